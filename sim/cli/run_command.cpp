// tcsim (no command) and tcsim run: simulate a training run and report it.
//
//   tcsim [--json] [--price-per-gpu-hour X] [--no-extension] [--samples N] [--seed S]
//         [--no-failures] [--mtbf-per-gpu-hours H]
//       The built-in scenario: is DeepSeek-V3's published training cost physically consistent?
//       Simulates its pre-training and context extension on the 2,048-H800 cluster (files
//       compiled into the program) with failures and restarts, prices it both ways, and checks
//       DeepSeek's claims ("$5.576M, 2.788M H800 GPU-hours"; "pre-trained in under two months")
//       beside the published Table 1 figures.
//   tcsim run --cluster FILE --workload FILE [--prices FILE] [--datacenter FILE] [--nodes N | --gpus N]
//             [--trace FILE] [--json] [the options above]
//       Any cluster and workload. The price is the price list's entry for the cluster's GPU
//       (default list: prices.toml beside the cluster file) unless --price-per-gpu-hour is given.
//       --nodes uses part of the cluster, --gpus resizes it (what-if); both scale data parallelism.
//   tcsim --version
//
#include "cli/run_command.hpp"
#include "cli/option_checks.hpp"
#include "cli/write_whole_file.hpp"

#include "cli/run_assessment.hpp"
#include "io/builtin_files.hpp"
#include "io/config_files.hpp"
#include "io/load_claim.hpp"
#include "io/load_cluster.hpp"
#include "io/load_workload.hpp"
#include "io/report.hpp"
#include "io/report_json.hpp"
#include "io/report_table.hpp"
#include "io/trace_json.hpp"
#include "training/step_simulator.hpp"
#include "run/resize.hpp"

#include <CLI/CLI.hpp>

#include <memory>
#include <string>
#include <vector>

namespace {

using namespace tcsim;

using cli::InputError;

struct Options {
    std::string cluster;
    std::string workload;
    bool json = false;
    int nodes = 0;            ///< run: use this many nodes of the cluster (0 = all)
    int gpus = 0;             ///< run: resize the cluster to this many GPUs (0 = as it is)
    std::string trace;        ///< run: write the steady step's Chrome trace here
    cli::AssessmentOptions assessment;
};

// The claims the built-in scenario checks (shipped in claims/, compiled into the program).
constexpr const char* kBuiltinClaims[] = {"claims/deepseek-v3-cost.toml", "claims/deepseek-v3-two-months.toml"};

// DeepSeek-V3 Technical Report (arXiv 2412.19437), Table 1, "Training costs of DeepSeek-V3,
// assuming the rental price of H800 is $2 per GPU hour": pre-training 2664K GPU-hours ($5.328M),
// context extension 119K ($0.238M), post-training 5K ($0.01M), total 2788K ($5.576M).
// Post-training is not simulated, so totals compare with pre-training + context extension.
io::PublishedFigures deepseek_v3_published(bool includes_extension) {
    constexpr double gpus = 2048;
    constexpr double pretrain_gpu_hours = 2'664'000;
    constexpr double extension_gpu_hours = 119'000;
    constexpr double price = 2.0;
    io::PublishedFigures published;
    published.source = "DeepSeek-V3 Technical Report (arXiv 2412.19437), Table 1";
    published.values = {
        {io::Figure::pretrain_days, pretrain_gpu_hours / gpus / 24,
         "derived: 2,664K GPU-hours / 2,048 GPUs / 24 h (the report: \"less than two months\")"},
        {io::Figure::pretrain_gpu_hours, pretrain_gpu_hours, "pre-training 2,664K H800 GPU-hours"},
        {io::Figure::pretrain_cost_usd, pretrain_gpu_hours * price, "$5.328M at $2 per GPU-hour"},
    };
    if (includes_extension) {
        published.values.insert(published.values.begin() + 1,
                                {io::Figure::total_days, (pretrain_gpu_hours + extension_gpu_hours) / gpus / 24,
                                 "derived: (2,664K + 119K) GPU-hours / 2,048 GPUs / 24 h"});
        published.values.push_back({io::Figure::total_gpu_hours, pretrain_gpu_hours + extension_gpu_hours,
                                    "pre-training 2,664K + context extension 119K (post-training 5K not simulated)"});
        published.values.push_back({io::Figure::total_cost_usd, (pretrain_gpu_hours + extension_gpu_hours) * price,
                                    "$5.328M + $0.238M (the $5.576M total adds $0.01M of post-training)"});
    }
    return published;
}

/// Simulates the steady-state step again with tracing and writes it; the file appears only
/// complete (written beside, then renamed).
void write_trace(const std::string& path, const topology::ClusterSpec& cluster, const workload::Workload& workload) {
    training::StepTrace trace;
    training::simulate_step(cluster, workload, workload.training.seq_len, workload.training.global_batch_sequences, &trace);
    cli::write_whole_file(path, "trace file", [&trace](std::ostream& out) { io::write_chrome_trace(out, trace); });
}

std::string report_text(const Options& options, const io::RunReport& report) {
    return options.json ? io::render_json(report) : io::render_table(report);
}

std::string run_files(const Options& options) {
    const io::DiskFiles files;
    topology::ClusterSpec cluster = io::load_cluster(files, options.cluster);
    workload::Workload workload = io::load_workload(files, options.workload);
    if (options.nodes > 0 && options.gpus > 0) throw InputError("give --nodes or --gpus, not both");
    if (options.nodes > 0) {
        if (options.nodes > cluster.nodes)
            throw InputError("--nodes " + std::to_string(options.nodes) + ": the cluster '" + cluster.name + "' has only " +
                             std::to_string(cluster.nodes) + " nodes (--gpus resizes it)");
        run::resize_to_gpus(cluster, workload, options.nodes * cluster.gpus_per_node);
        cluster.name += " (" + std::to_string(options.nodes) + " nodes used)";
    }
    if (options.gpus > 0) {
        run::resize_to_gpus(cluster, workload, options.gpus);
        cluster.name += " (resized to " + std::to_string(options.gpus) + " GPUs)";
    }
    io::RunReport report = cli::simulate_and_assess({&files, options.cluster}, cluster, workload, options.assessment);
    if (!options.trace.empty()) write_trace(options.trace, cluster, workload);
    return report_text(options, report);
}

/// The built-in scenario: DeepSeek-V3's claims checked against its simulated run.
std::string run_builtin(const Options& options) {
    const io::EmbeddedFiles& files = io::builtin_files();
    std::vector<io::ClaimScenario> claims;
    for (const char* path : kBuiltinClaims) claims.push_back(io::load_claim(files, path));
    const io::ClaimScenario& scenario = claims.front();
    io::RunReport report =
        cli::simulate_and_assess({&files, scenario.cluster_path}, scenario.cluster, scenario.workload, options.assessment,
                                 scenario.claim.price);
    report.published = deepseek_v3_published(!options.assessment.no_extension);
    std::vector<economics::Claim> checked;
    for (const auto& c : claims) {
        economics::Claim claim = c.claim;
        // Without the extension simulated, only pre-training figures can be compared.
        if (options.assessment.no_extension)
            std::erase_if(claim.figures, [](const economics::ClaimedFigure& f) { return f.scope != economics::ClaimScope::pretraining; });
        if (!claim.figures.empty()) checked.push_back(std::move(claim));
    }
    cli::add_claim_checks(report, checked, {&files, scenario.cluster_path});
    return cli::claims_outcome({&report}, report_text(options, report));
}

} // namespace

namespace tcsim::cli {

void add_run_commands(CLI::App& app, Commands& commands) {
    auto options = std::make_shared<Options>();
    app.add_flag("--json", options->json, "Write the report as one JSON object instead of a table");
    add_assessment_options(app, options->assessment);

    CLI::App* run = app.add_subcommand("run", "Simulate a training run of a workload on a cluster");
    run->add_option("--cluster", options->cluster, "Cluster file (TOML)")->required();
    run->add_option("--workload", options->workload, "Workload file (TOML)")->required();
    run->add_option("--prices", options->assessment.prices,
                    "Price list (TOML; default: prices.toml beside the cluster file)");
    run->add_option("--nodes", options->nodes, "Use only this many nodes of the cluster (scales data parallelism)")
        ->check(positive_integer("a node count"));
    run->add_option("--gpus", options->gpus,
                    "What-if: resize the cluster to this many GPUs (whole nodes) and scale data parallelism")
        ->check(positive_integer("a GPU count"));
    run->add_option("--trace", options->trace,
                    "Write the steady-state step as Chrome trace JSON (Perfetto, chrome://tracing) to this file");
    run->add_flag("--json", options->json, "Write the report as one JSON object instead of a table");
    add_assessment_options(*run, options->assessment);

    commands.push_back({&app, [options] { return run_builtin(*options); }});
    commands.push_back({run, [options] { return run_files(*options); }});
}

} // namespace tcsim::cli
