#include "cli/calibration_inputs.hpp"

#include "calibration/load_calibration_set.hpp"
#include "config/config_error.hpp"

#include <algorithm>
#include <filesystem>
#include <map>
#include <thread>

namespace tcsim::cli {

std::vector<std::string> calibration_files(const std::vector<std::string>& paths) {
    std::vector<std::string> out;
    for (const auto& p : paths) {
        std::error_code ec;
        const std::filesystem::path path(p);
        if (std::filesystem::is_directory(path, ec)) {
            std::vector<std::string> found;
            for (const auto& entry : std::filesystem::recursive_directory_iterator(path, ec))
                if (entry.is_regular_file() && entry.path().extension() == ".toml")
                    found.push_back(entry.path().generic_string());
            if (ec) throw InputError(p + ": cannot list the directory: " + ec.message());
            if (found.empty()) throw InputError(p + ": no calibration files (*.toml) in this directory");
            std::sort(found.begin(), found.end());
            out.insert(out.end(), found.begin(), found.end());
        } else if (std::filesystem::exists(path, ec)) {
            out.push_back(p);
        } else {
            throw InputError(p + ": no such file or directory");
        }
    }
    return out;
}

namespace {

LoadedSets load_all(const config::ConfigFiles& files, const std::vector<std::string>& paths, bool tolerant) {
    LoadedSets out;
    auto& sets = out.sets;
    std::map<std::string, std::string> set_file, record_file;
    for (const auto& file : calibration_files(paths)) {
        calibration::CalibrationSet s;
        try {
            s = calibration::load_calibration_set(files, file);
        } catch (const config::ConfigError& e) {
            if (!tolerant) throw;
            out.unreadable.push_back({file, e.what()});
            continue;
        }
        if (auto [it, fresh] = set_file.emplace(s.name, file); !fresh)
            throw InputError(file + ": set '" + s.name + "' is also defined in " + it->second);
        for (const auto& r : s.records)
            if (auto [it, fresh] = record_file.emplace(r.id, file); !fresh)
                throw InputError(file + ": record '" + r.id + "' is also defined in " + it->second);
        sets.push_back(std::move(s));
    }
    return out;
}

} // namespace

std::vector<calibration::CalibrationSet> load_sets(const config::ConfigFiles& files,
                                                   const std::vector<std::string>& paths) {
    return load_all(files, paths, false).sets;
}

LoadedSets load_readable_sets(const config::ConfigFiles& files, const std::vector<std::string>& paths) {
    return load_all(files, paths, true);
}

void apply_replacements(calibration::OverlayFiles& overlay, const config::ConfigFiles& disk,
                        const std::vector<std::string>& replace) {
    for (const auto& r : replace) {
        const auto eq = r.find('=');
        if (eq == std::string::npos || eq == 0 || eq + 1 == r.size())
            throw InputError("--replace expects FILE=OTHER, got '" + r + "'");
        overlay.replace(r.substr(0, eq), disk.read(r.substr(eq + 1)));
    }
}

int default_jobs() { return static_cast<int>(std::max(1u, std::thread::hardware_concurrency())); }

} // namespace tcsim::cli
