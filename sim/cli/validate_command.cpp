// tcsim validate: the calibration sets as a test of the whole model.
//
//   tcsim validate [PATH...] [--json | --csv] [--jobs N] [--replace FILE=OTHER]... [--by-kind]
//                  [--write-uncertainty FILE]
//       PATH: calibration files or directories of them (*.toml, sorted by name); default
//       calibrations/ under the working directory. --replace reads OTHER wherever FILE is read
//       (e.g. a candidate efficiency file in place of topologies/efficiency/ampere.toml).
//   A record that cannot be evaluated (a missing file, a layout its cluster cannot hold or that
//   does not fit in memory) and a calibration file that cannot be read are failing values with
//   the reason, in every output; the rest are still evaluated, and the exit code is 3 as for a
//   value outside its tolerance.
#include "cli/validate_command.hpp"
#include "cli/option_checks.hpp"

#include "calibration/error_distribution.hpp"
#include "calibration/overlay_files.hpp"
#include "calibration/validation.hpp"
#include "calibration/validation_report.hpp"
#include "cli/calibration_inputs.hpp"
#include "cli/write_whole_file.hpp"
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
    bool csv = false;
    int jobs = 0;
    std::vector<std::string> replace;
    bool by_kind = false;
    std::string write_uncertainty;
};

std::string execute(const ValidateOptions& options) {
    const config::DiskFiles disk;
    calibration::OverlayFiles files(disk);
    apply_replacements(files, disk, options.replace);
    const std::vector<std::string> paths =
        options.paths.empty() ? std::vector<std::string>{"calibrations"} : options.paths;
    const LoadedSets loaded = load_readable_sets(files, paths);
    const auto& sets = loaded.sets;
    const int jobs = options.jobs > 0 ? options.jobs : default_jobs();
    calibration::ValidationReport report = calibration::validate(sets, files, jobs);
    for (const auto& u : loaded.unreadable) report.failures.push_back({u.file, "", u.message});
    std::string text = options.json  ? calibration::render_validation_json(report)
                       : options.csv ? calibration::render_validation_csv(report)
                                     : calibration::render_validation_table(report);
    const auto distributions = calibration::error_distributions(report);
    if (options.by_kind && !options.json && !options.csv) text += "\n" + calibration::render_error_table(distributions);
    if (!options.write_uncertainty.empty())
        write_whole_file(options.write_uncertainty, "model-uncertainty file",
                         [&](std::ostream& out) { out << calibration::render_uncertainty_toml(distributions); });
    if (!report.as_expected()) {
        const int not_evaluated = report.count(calibration::RowStatus::not_evaluated);
        const int outside = report.unexpected() - not_evaluated;
        std::string message;
        if (outside > 0 || report.failures.empty())
            message = std::to_string(outside) + " of " + std::to_string(report.rows.size()) +
                      " published values are unexpectedly outside their tolerance (or a known gap closed)";
        if (!report.failures.empty()) {
            // Name the set file and record of each, as bad input would be named.
            message += std::string(message.empty() ? "" : "; ") + std::to_string(report.failures.size()) +
                       " records or files could not be evaluated (" + std::to_string(not_evaluated) +
                       " published values fail):";
            for (const auto& f : report.failures) {
                const auto set =
                    std::find_if(sets.begin(), sets.end(), [&f](const auto& s) { return s.name == f.set; });
                const std::string named = "record '" + f.record + "'";
                const std::string where = set != sets.end() ? set->file : f.set;
                const std::string first_line = f.message.substr(0, f.message.find('\n'));
                message += "\n  " + where + ": " +
                           (f.record.empty() || first_line.starts_with(named) ? first_line : named + ": " + first_line);
            }
        }
        throw FailedOutcome(message, std::move(text), exit_out_of_tolerance);
    }
    return text;
}

} // namespace

void add_validate_command(CLI::App& app, Commands& commands) {
    auto options = std::make_shared<ValidateOptions>();
    CLI::App* cmd = app.add_subcommand(
        "validate", "Predict every calibration record and compare with the published value (exit 3 if any "
                    "is outside its tolerance without a known_gap mark, inside it with one, or cannot be "
                    "evaluated)");
    cmd->add_option("paths", options->paths, "Calibration files or directories (default: calibrations/)");
    auto* json = cmd->add_flag("--json", options->json, "Write the report as one JSON object");
    cmd->add_flag("--csv", options->csv, "Write one CSV line per published value (with the reason where not evaluated)")
        ->excludes(json);
    cmd->add_option("--jobs,-j", options->jobs, "Records evaluated in parallel (default: the CPU count)")
        ->check(positive_integer("a thread count"));
    cmd->add_option("--replace", options->replace,
                    "FILE=OTHER: read OTHER wherever FILE is read (e.g. a candidate efficiency file)");
    cmd->add_flag("--by-kind", options->by_kind,
                  "After the table, how far published values fall from tcsim's predictions per kind of prediction "
                  "(GEMM, collective, dense or MoE step, whole run, serving), in-sample and predicted apart");
    cmd->add_option("--write-uncertainty", options->write_uncertainty,
                    "Write the measured model uncertainty (predicted values per kind) as the TOML file claim "
                    "verdicts read (topologies/model_uncertainty.toml)");
    commands.push_back({cmd, [options] { return execute(*options); }});
}

} // namespace tcsim::cli
