// The built-in support files a command read in place of missing ones (config/
// disk_or_builtin_files.hpp), said on stderr for commands whose reports have no place for them
// (collective, search); run, check, explain and sweep list them in the report itself.
#pragma once

#include "config/config_files.hpp"

#include <iostream>
#include <string>

namespace tcsim::cli {

inline void note_builtin_stand_ins(const std::string& command, const config::ConfigFiles& files) {
    const auto stand_ins = files.builtin_stand_ins();
    if (stand_ins.empty()) return;
    std::cerr << "tcsim " << command << ": not found on disk, built-in copies used:";
    for (const auto& s : stand_ins) std::cerr << "\n  " << s;
    std::cerr << '\n';
}

} // namespace tcsim::cli
