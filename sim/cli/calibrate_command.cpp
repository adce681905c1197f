// tcsim calibrate: a reproducible fit of efficiency parameters (STYLE.md rule 11: "fitted
// factors are a type of their own, and their fit is reproducible from a notebook or a command").
//
//   tcsim calibrate --train SET... --params NAME,... [--file EFFICIENCY_FILE] [--out FILE]
//                   [--calibrations PATH...] [--no-cross-validation] [--jobs N]
//       SET: a set name among the calibration files under --calibrations (default
//       calibrations/), or a calibration file. NAME: a key of the efficiency file
//       (gemm_bf16.n_half, links.nvlink, ...; calibration/parameter_file.hpp). The efficiency
//       file is the one the training records' clusters name (--file when they name several).
#include "cli/calibrate_command.hpp"
#include "cli/option_checks.hpp"
#include "cli/write_whole_file.hpp"

#include "calibration/fit.hpp"
#include "calibration/load_calibration_set.hpp"
#include "calibration/overlay_files.hpp"
#include "calibration/parameter_file.hpp"
#include "cli/calibration_inputs.hpp"
#include "config/config_files.hpp"

#include <CLI/CLI.hpp>

#include <filesystem>
#include <iostream>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace tcsim::cli {
namespace {

struct CalibrateOptions {
    std::vector<std::string> train;
    std::vector<std::string> params;
    std::string file;
    std::string out;
    std::vector<std::string> calibrations;
    bool no_cross_validation = false;
    int jobs = 0;
};

std::vector<calibration::CalibrationSet> training_sets(const config::ConfigFiles& files, const CalibrateOptions& o) {
    std::vector<calibration::CalibrationSet> all;
    std::vector<calibration::CalibrationSet> chosen;
    std::vector<UnreadableSet> unreadable;
    bool loaded = false;
    std::set<std::string> names;
    for (const auto& t : o.train) {
        std::error_code ec;
        if (std::filesystem::is_regular_file(t, ec)) {
            chosen.push_back(calibration::load_calibration_set(files, t));
        } else {
            if (!loaded) {
                // A broken file among the calibrations does not stop a fit on other sets; it is
                // named on stderr, and in the error if the set asked for is not found.
                LoadedSets found = load_readable_sets(
                    files, o.calibrations.empty() ? std::vector<std::string>{"calibrations"} : o.calibrations);
                all = std::move(found.sets);
                unreadable = std::move(found.unreadable);
                for (const auto& u : unreadable)
                    std::cerr << "tcsim calibrate: skipped " << u.file << " (cannot be read): " << u.message << '\n';
                loaded = true;
            }
            bool found = false;
            for (const auto& s : all)
                if (s.name == t) {
                    chosen.push_back(s);
                    found = true;
                }
            if (!found) {
                std::string known;
                for (const auto& s : all) known += (known.empty() ? "" : ", ") + s.name;
                std::string problem = "--train " + t + ": no such set (sets: " + known + ")";
                for (const auto& u : unreadable) problem += "\n  (not read: " + u.message + ")";
                throw InputError(problem);
            }
        }
        if (!names.insert(chosen.back().name).second)
            throw InputError("--train names set '" + chosen.back().name + "' twice");
    }
    return chosen;
}

std::string parameter_file(const config::ConfigFiles& files, const CalibrateOptions& o,
                           const std::vector<calibration::CalibrationSet>& sets) {
    if (!o.file.empty()) return o.file;
    std::set<std::string> used;
    for (const auto& s : sets)
        for (const auto& r : s.records) used.insert(calibration::efficiency_file_of(files, r.cluster));
    if (used.size() != 1) {
        std::string list;
        for (const auto& u : used) list += (list.empty() ? "" : ", ") + u;
        throw InputError("the training records use several efficiency files (" + list + "): choose one with --file");
    }
    return *used.begin();
}

std::string execute(const CalibrateOptions& o) {
    const config::DiskFiles files;
    const auto sets = training_sets(files, o);
    const std::string file = parameter_file(files, o, sets);
    calibration::FitOptions options;
    options.cross_validate = !o.no_cross_validation;
    options.jobs = o.jobs > 0 ? o.jobs : default_jobs();
    // Progress on stderr (a fit evaluates every record many times and can take minutes);
    // stdout carries only the report.
    options.progress = [](const std::string& line) { std::cerr << "tcsim calibrate: " << line << '\n' << std::flush; };
    calibration::FitResult fit;
    try {
        fit = calibration::fit_parameters(sets, files, file, o.params, options);
    } catch (const std::invalid_argument& e) {
        throw InputError(e.what());
    }
    std::string text = calibration::render_fit(fit);
    if (!o.out.empty()) {
        const std::string content = calibration::fitted_parameter_file(fit, files);
        write_whole_file(o.out, "parameter file", [&content](std::ostream& out) { out << content; });
        text += "\nWrote " + o.out + "\n";
    }
    return text;
}

} // namespace

void add_calibrate_command(CLI::App& app, Commands& commands) {
    auto o = std::make_shared<CalibrateOptions>();
    CLI::App* cmd = app.add_subcommand("calibrate", "Fit efficiency parameters to calibration sets (least squares, "
                                                    "leave-one-out cross-validation)");
    cmd->add_option("--train", o->train, "Training sets: set names or calibration files")->required();
    cmd->add_option("--params", o->params, "Parameters to fit, e.g. gemm_bf16.n_half,gemm_bf16.k_half")
        ->required()
        ->delimiter(',');
    cmd->add_option("--file", o->file, "The efficiency file to fit (default: the one the training records use)");
    cmd->add_option("--out", o->out, "Write the fitted parameter file here");
    cmd->add_option("--calibrations", o->calibrations, "Where to find sets named by --train (default: calibrations/)");
    cmd->add_flag("--no-cross-validation", o->no_cross_validation, "Skip the leave-one-out fits");
    cmd->add_option("--jobs,-j", o->jobs, "Records evaluated in parallel (default: the CPU count)")
        ->check(positive_integer("a thread count"));
    commands.push_back({cmd, [o] { return execute(*o); }});
}

} // namespace tcsim::cli
