// tcsim (no command) and tcsim run: simulate a training run and report it.
//
//   tcsim [--json | --csv] [--price-per-gpu-hour X] [--no-extension] [--samples N] [--seed S]
//         [--no-failures] [--mtbf-per-gpu-hours H] [--full]
//       The built-in scenario: is DeepSeek-V3's published training cost physically consistent?
//       Simulates its pre-training and context extension on the 2,048-H800 cluster (files
//       compiled into the program) with failures and restarts, prices it both ways, and checks
//       DeepSeek's claims ("$5.576M, 2.788M H800 GPU-hours"; "pre-trained in under two months")
//       beside the published Table 1 figures.
//   tcsim run --cluster FILE --workload FILE [--prices FILE] [--datacenter FILE] [--nodes N | --gpus N]
//             [--trace FILE] [--json | --csv] [the options above] [overrides]
//       Any cluster and workload. The price is the price list's entry for the cluster's GPU
//       (default list: prices.toml beside the cluster file) unless --price-per-gpu-hour is given.
//       --nodes uses part of the cluster, --gpus resizes it (what-if); both scale data parallelism.
//       --full simulates every GPU of each step (full mode) instead of one per pipeline stage.
//   Both take the override flags (override_options.hpp: --gpu, --tp, ..., --set KIND.KEY=VALUE).
//   Support files missing beside a cluster file are read from the built-in copies
//   (config/disk_or_builtin_files.hpp) and the report says which.
//   --html FILE (on both) also writes the report to publish: one self-contained page with the
//   verdicts, a glossary, charts (with the run resized to other GPU counts: scenario/gpu_scaling.hpp)
//   and the sources (report/report_html.hpp).
//   tcsim --version
//
#include "cli/run_command.hpp"
#include "cli/option_checks.hpp"
#include "cli/override_options.hpp"
#include "cli/write_whole_file.hpp"

#include "cli/run_assessment.hpp"
#include "config/disk_or_builtin_files.hpp"
#include "report/report_csv.hpp"
#include "report/report_html.hpp"
#include "report/report_json.hpp"
#include "report/report_table.hpp"
#include "report/run_report.hpp"
#include "report/trace_json.hpp"
#include "scenario/evaluate.hpp"
#include "scenario/gpu_scaling.hpp"
#include "scenario/load.hpp"

#include <CLI/CLI.hpp>

#include <memory>
#include <string>

namespace {

using namespace tcsim;

struct Options {
    std::string cluster;
    std::string workload;
    bool json = false;
    bool csv = false;
    std::string trace; ///< run: write the steady step's Chrome trace here
    std::string html;  ///< write the report to publish here (report/report_html.hpp)
    scenario::Options assessment;
    cli::OverrideOptions overrides; ///< --gpu, --tp, ..., --set; --nodes, --gpus
};

std::string report_text(const Options& options, const report::RunReport& report) {
    if (options.csv) return report::render_csv({&report});
    return options.json ? report::render_json(report) : report::render_table(report);
}

/// --html: the page, with the run at other GPU counts for its scaling chart.
void write_html(const Options& options, const scenario::Inputs& inputs, report::RunReport report) {
    if (options.html.empty()) return;
    report.gpu_scaling = scenario::scale_gpu_counts(inputs, report);
    const std::string page = report::render_html(report);
    cli::write_whole_file(options.html, "HTML report", [&page](std::ostream& out) { out << page; });
}

std::string run_files(const Options& options) {
    config::DiskOrBuiltinFiles files;
    files.set_overrides(options.overrides.overrides());
    for (const std::string* given : {&options.assessment.prices, &options.assessment.datacenter})
        if (!given->empty()) files.named_by_user(*given);
    const scenario::Inputs inputs =
        scenario::load_run(files, options.cluster, options.workload, options.overrides.use, options.assessment);
    const report::RunReport report = scenario::evaluate(inputs);
    write_html(options, inputs, report);
    // The file appears only complete (written beside, then renamed).
    if (!options.trace.empty()) {
        const training::StepTrace trace = scenario::trace_steady_step(inputs, report);
        cli::write_whole_file(options.trace, "trace file",
                              [&trace](std::ostream& out) { report::write_chrome_trace(out, trace); });
    }
    return report_text(options, report);
}

/// The built-in scenario: the story's claims checked against DeepSeek-V3's simulated run (and
/// GPT-4's against the estimate's). The verdicts are its output, whatever they are: it exits 0
/// (`tcsim check` exits 4 when a claim is unlikely or implausible).
std::string run_builtin(const Options& options) {
    const scenario::Inputs inputs =
        scenario::load_builtin(options.assessment, options.overrides.overrides(), options.overrides.use);
    const report::RunReport report = scenario::evaluate(inputs);
    write_html(options, inputs, report);
    std::vector<const report::RunReport*> all{&report};
    for (const auto& other : report.related) all.push_back(&other);
    return options.csv ? report::render_claims_csv(all) : report_text(options, report);
}

} // namespace

namespace tcsim::cli {

void add_run_commands(CLI::App& app, Commands& commands) {
    auto options = std::make_shared<Options>();
    CLI::Option* json = app.add_flag("--json", options->json, "Write the report as one JSON object instead of a table");
    app.add_flag("--csv", options->csv, "Write the claimed figures as CSV (report/report_csv.hpp)")->excludes(json);
    add_html_option(app, options->html);
    add_assessment_options(app, options->assessment);
    add_jobs_option(app, options->assessment);
    add_override_options(app, options->overrides);

    CLI::App* run = app.add_subcommand("run", "Simulate a training run of a workload on a cluster");
    run->add_option("--cluster", options->cluster, "Cluster file (TOML)")->check(file_path())->required();
    run->add_option("--workload", options->workload, "Workload file (TOML)")->check(file_path())->required();
    run->add_option("--prices", options->assessment.prices,
                    "Price list (TOML; default: prices.toml beside the cluster file)");
    run->add_option("--trace", options->trace,
                    "Write the steady-state step as Chrome trace JSON (Perfetto, chrome://tracing) to this file");
    CLI::Option* run_json =
        run->add_flag("--json", options->json, "Write the report as one JSON object instead of a table");
    run->add_flag("--csv", options->csv, "Write one CSV row per phase and the totals (report/report_csv.hpp)")
        ->excludes(run_json);
    add_html_option(*run, options->html);
    add_assessment_options(*run, options->assessment);
    add_jobs_option(*run, options->assessment);
    add_override_options(*run, options->overrides);

    commands.push_back({&app, [options] { return run_builtin(*options); }});
    commands.push_back({run, [options] { return run_files(*options); }});
}

} // namespace tcsim::cli
