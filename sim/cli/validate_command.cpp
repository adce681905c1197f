// tcsim validate: the calibration sets as a test of the whole model.
//
//   tcsim validate [PATH...] [--json] [--jobs N] [--replace FILE=OTHER]...
//       PATH: calibration files or directories of them (*.toml, sorted by name); default
//       calibrations/ under the working directory. --replace reads OTHER wherever FILE is read
//       (e.g. a candidate efficiency file in place of topologies/efficiency/ampere.toml).
#include "cli/validate_command.hpp"
#include "cli/option_checks.hpp"

#include "calibration/overlay_files.hpp"
#include "calibration/validation.hpp"
#include "calibration/validation_report.hpp"
#include "cli/calibration_inputs.hpp"
#include "config/config_files.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace tcsim::cli {
namespace {

struct ValidateOptions {
    std::vector<std::string> paths;
    bool json = false;
    int jobs = 0;
    std::vector<std::string> replace;
};

std::string execute(const ValidateOptions& options) {
    const config::DiskFiles disk;
    calibration::OverlayFiles files(disk);
    apply_replacements(files, disk, options.replace);
    const std::vector<std::string> paths =
        options.paths.empty() ? std::vector<std::string>{"calibrations"} : options.paths;
    const auto sets = load_sets(files, paths);
    const int jobs = options.jobs > 0 ? options.jobs : default_jobs();
    const calibration::ValidationReport report = calibration::validate(sets, files, jobs);
    std::string text =
        options.json ? calibration::render_validation_json(report) : calibration::render_validation_table(report);
    if (!report.failures.empty()) {
        // A record that cannot be evaluated is bad input (a missing file, a layout its cluster
        // cannot hold): nothing goes to stdout, and the message names the set file and record.
        std::string message = std::to_string(report.failures.size()) + " calibration record" +
                              (report.failures.size() == 1 ? "" : "s") + " could not be evaluated:";
        for (const auto& f : report.failures) {
            const auto set = std::find_if(sets.begin(), sets.end(), [&f](const auto& s) { return s.name == f.set; });
            const std::string named = "record '" + f.record + "'";
            message += "\n  " + (set != sets.end() ? set->file : f.set) + ": " +
                       (f.message.starts_with(named) ? f.message : named + ": " + f.message);
        }
        throw InputError(message);
    }
    if (!report.as_expected()) {
        throw FailedOutcome(std::to_string(report.unexpected()) + " of " + std::to_string(report.rows.size()) +
                                " published values are unexpectedly outside their tolerance (or a known gap closed)",
                            std::move(text), exit_out_of_tolerance);
    }
    return text;
}

} // namespace

void add_validate_command(CLI::App& app, Commands& commands) {
    auto options = std::make_shared<ValidateOptions>();
    CLI::App* cmd = app.add_subcommand(
        "validate", "Predict every calibration record and compare with the published value (exit 3 if any "
                    "is outside its tolerance without a known_gap mark, or inside it with one)");
    cmd->add_option("paths", options->paths, "Calibration files or directories (default: calibrations/)");
    cmd->add_flag("--json", options->json, "Write the report as one JSON object");
    cmd->add_option("--jobs,-j", options->jobs, "Records evaluated in parallel (default: the CPU count)")
        ->check(positive_integer("a thread count"));
    cmd->add_option("--replace", options->replace,
                    "FILE=OTHER: read OTHER wherever FILE is read (e.g. a candidate efficiency file)");
    commands.push_back({cmd, [options] { return execute(*options); }});
}

} // namespace tcsim::cli
