// What `tcsim validate` and `tcsim calibrate` read from the command line: calibration files
// found under paths, and files swapped for others (--replace FILE=OTHER).
#pragma once

#include "calibration/calibration_record.hpp"
#include "calibration/overlay_files.hpp"
#include "cli/command.hpp"
#include "config/config_files.hpp"

#include <string>
#include <vector>

namespace tcsim::cli {

/// The calibration files under `paths`: files as given; directories: their *.toml, recursively,
/// sorted by path. Throws InputError for a path that does not exist or holds no *.toml.
[[nodiscard]] std::vector<std::string> calibration_files(const std::vector<std::string>& paths);

/// Loads every set under `paths`; set names and record ids must be unique across them
/// (InputError otherwise).
[[nodiscard]] std::vector<calibration::CalibrationSet> load_sets(const config::ConfigFiles& files,
                                                                 const std::vector<std::string>& paths);

/// A calibration file that could not be loaded, and why.
struct UnreadableSet {
    std::string file;
    std::string message;
};

/// What load_readable_sets found: the sets that loaded, and the files that did not.
struct LoadedSets {
    std::vector<calibration::CalibrationSet> sets;
    std::vector<UnreadableSet> unreadable;
};

/// Like load_sets, but a file that cannot be loaded (a syntax error, a bad key: config::ConfigError)
/// is listed in `unreadable` and the others still load, so that one broken file under a
/// directory does not hide the rest. Paths that do not exist and duplicate names still throw.
[[nodiscard]] LoadedSets load_readable_sets(const config::ConfigFiles& files, const std::vector<std::string>& paths);

/// Applies --replace FILE=OTHER options to `overlay`, reading OTHER from `disk`.
void apply_replacements(calibration::OverlayFiles& overlay, const config::ConfigFiles& disk,
                        const std::vector<std::string>& replace);

/// Threads to evaluate records on when the user gives none: the CPU count.
[[nodiscard]] int default_jobs();

} // namespace tcsim::cli
