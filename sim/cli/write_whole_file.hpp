// Writes an output file so that it appears only complete: into PATH.partial beside it, then
// renamed. Any failure throws InputError naming the file, what it is and the system's reason,
// and leaves no partial file behind.
#pragma once

#include "cli/command.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <ostream>
#include <string>
#include <system_error>

namespace tcsim::cli {

inline void write_whole_file(const std::string& path, const std::string& what,
                             const std::function<void(std::ostream&)>& write) {
    const std::string partial = path + ".partial";
    const auto fail = [&](const std::string& reason) {
        std::error_code ignored;
        std::filesystem::remove(partial, ignored);
        throw InputError(path + ": cannot write the " + what + ": " + reason);
    };
    {
        errno = 0;
        std::ofstream out(partial, std::ios::binary);
        if (!out) fail(errno != 0 ? std::strerror(errno) : "cannot open it");
        write(out);
        if (!out.flush()) fail(errno != 0 ? std::strerror(errno) : "the write failed");
    }
    std::error_code ec;
    std::filesystem::rename(partial, path, ec);
    if (ec) fail(ec.message());
}

} // namespace tcsim::cli
