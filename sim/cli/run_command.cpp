// tcsim (no command) and tcsim run: simulate a training run and report it.
//
//   tcsim [--json] [--price-per-gpu-hour X] [--no-extension]
//       The built-in scenario: DeepSeek-V3 pre-training on the 2,048-H800 cluster (files compiled
//       into the program), with DeepSeek's published figures beside the prediction.
//   tcsim run --cluster FILE --workload FILE [--prices FILE] [--json] [--price-per-gpu-hour X]
//             [--no-extension]
//       Any cluster and workload. The price is the price list's entry for the cluster's GPU
//       (default list: prices.toml beside the cluster file) unless --price-per-gpu-hour is given.
//   tcsim --version
//
#include "cli/run_command.hpp"

#include "economics/cost_model.hpp"
#include "io/builtin_files.hpp"
#include "io/config_error.hpp"
#include "io/config_files.hpp"
#include "io/load_cluster.hpp"
#include "io/load_prices.hpp"
#include "io/load_workload.hpp"
#include "io/report.hpp"
#include "io/report_json.hpp"
#include "io/report_table.hpp"
#include "run/run_model.hpp"
#include "io/trace_json.hpp"
#include "replay/step_simulator.hpp"
#include "workload/memory_model.hpp"
#include "workload/plan_check.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cmath>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <memory>
#include <string>

namespace {

using namespace tcsim;

using cli::InputError;

struct Options {
    std::string cluster;
    std::string workload;
    std::string prices;
    bool json = false;
    std::optional<double> price_per_gpu_hour;
    bool no_extension = false;
    int nodes = 0;            ///< run: use this many nodes of the cluster (0 = all)
    std::string trace;        ///< run: write the steady step's Chrome trace here
};

/// A price is a positive, finite number of US dollars per GPU-hour.
std::string check_price(const std::string& text) {
    std::size_t used = 0;
    double value = 0;
    try {
        value = std::stod(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used != text.size() || !std::isfinite(value) || value <= 0) {
        return "expected a positive price in US dollars per GPU-hour (e.g. 2.5), got '" + text + "'";
    }
    return {};
}

/// Options shared by the built-in scenario and `run`.
void add_output_options(CLI::App& app, Options& options) {
    app.add_flag("--json", options.json, "Write the report as one JSON object instead of a table");
    app.add_option("--price-per-gpu-hour", options.price_per_gpu_hour,
                   "Rental price in US dollars per GPU-hour (default: the price list's entry for the GPU)")
        ->check(CLI::Validator(check_price, "USD/GPU-hour > 0"));
    app.add_flag("--no-extension", options.no_extension, "Leave out the context-extension stages");
}

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

/// The price per GPU-hour: the user's, or the catalog's entry for `gpu`.
economics::RentalPrice choose_price(const Options& options, const io::ConfigFiles& files,
                                    const std::string& prices_path, const std::string& gpu) {
    if (options.price_per_gpu_hour) {
        return economics::RentalPrice{units::dollars_per_hour(*options.price_per_gpu_hour), "", "--price-per-gpu-hour"};
    }
    const economics::PriceCatalog catalog = io::load_prices(files, prices_path);
    if (catalog.rental.find(gpu) == catalog.rental.end()) {
        std::string priced;
        for (const auto& [name, price] : catalog.rental) {
            priced += (priced.empty() ? "" : ", ") + name;
        }
        throw InputError(prices_path + ": no rental price for GPU '" + gpu + "' (priced: " +
                         (priced.empty() ? std::string("none") : priced) + "); give --price-per-gpu-hour");
    }
    return economics::price_for(catalog, gpu);
}

/// Simulates the steady-state step again with tracing and writes it; the file appears only
/// complete (written beside, then renamed).
void write_trace(const std::string& path, const topology::ClusterSpec& cluster, const workload::Workload& workload) {
    replay::StepTrace trace;
    replay::simulate_step(cluster, workload, workload.training.seq_len, workload.training.global_batch_sequences, &trace);
    const std::string partial = path + ".partial";
    {
        std::ofstream out(partial, std::ios::binary);
        if (!out) throw InputError(path + ": cannot write the trace file");
        io::write_chrome_trace(out, trace);
        if (!out.flush()) throw InputError(path + ": cannot write the trace file");
    }
    std::error_code ec;
    std::filesystem::rename(partial, path, ec);
    if (ec) throw InputError(path + ": cannot write the trace file: " + ec.message());
}

io::RunReport simulate(const Options& options, const io::ConfigFiles& files, const std::string& cluster_path,
                       const std::string& workload_path, const std::string& prices_path) {
    topology::ClusterSpec cluster = io::load_cluster(files, cluster_path);
    if (options.nodes > 0) {
        if (options.nodes > cluster.nodes)
            throw InputError("--nodes " + std::to_string(options.nodes) + ": the cluster '" + cluster.name + "' has only " +
                             std::to_string(cluster.nodes) + " nodes");
        cluster.nodes = options.nodes;
        cluster.name += " (" + std::to_string(options.nodes) + " nodes used)";
    }
    workload::Workload workload = io::load_workload(files, workload_path);
    if (options.no_extension) {
        workload.training.extension.clear();  // not simulated, so not checked either
    }
    const economics::RentalPrice price = choose_price(options, files, prices_path, cluster.gpu.name);
    workload::check_plan(cluster, workload);
    workload::check_memory(cluster, workload, workload.training.seq_len, workload.training.global_batch_sequences);

    run::RunOptions run_options;
    run_options.include_extension = !options.no_extension;

    io::RunReport report;
    report.scenario = {cluster.name, cluster.gpu.name, workload.name, cluster.gpus()};
    report.run = run::simulate_run(cluster, workload, run_options);
    if (!options.trace.empty()) write_trace(options.trace, cluster, workload);
    report.pretrain_cost = economics::rental_cost(report.run.pretrain_gpu_hours(), price);
    report.total_cost =
        economics::rental_cost(report.run.pretrain_gpu_hours() + report.run.extension_gpu_hours(), price);
    report.price_date = price.date;
    const bool extension = std::any_of(report.run.phases.begin(), report.run.phases.end(),
                                       [](const run::RunPhase& phase) { return phase.extension; });
    report.covers = io::covers_text(extension);
    return report;
}

std::string report_text(const Options& options, const io::RunReport& report) {
    return options.json ? io::render_json(report) : io::render_table(report);
}

/// Runs the parsed command; returns the report text. Throws on any error.
std::string execute(const Options& options, bool run_command) {
    if (run_command) {
        const io::DiskFiles files;
        const std::string prices = options.prices.empty() ? files.resolve(options.cluster, "prices.toml") : options.prices;
        return report_text(options, simulate(options, files, options.cluster, options.workload, prices));
    }
    const io::EmbeddedFiles& files = io::builtin_files();
    io::RunReport report = simulate(options, files, std::string(io::kBuiltinCluster), std::string(io::kBuiltinWorkload),
                                    std::string(io::kBuiltinPrices));
    report.published = deepseek_v3_published(!options.no_extension);
    return report_text(options, report);
}


} // namespace

namespace tcsim::cli {

void add_run_commands(CLI::App& app, Commands& commands) {
    auto options = std::make_shared<Options>();
    add_output_options(app, *options);

    CLI::App* run = app.add_subcommand("run", "Simulate a training run of a workload on a cluster");
    run->add_option("--cluster", options->cluster, "Cluster file (TOML)")->required();
    run->add_option("--workload", options->workload, "Workload file (TOML)")->required();
    run->add_option("--prices", options->prices, "Price list (TOML; default: prices.toml beside the cluster file)");
    run->add_option("--nodes", options->nodes, "Use only this many nodes of the cluster (what-if)")
        ->check(CLI::PositiveNumber);
    run->add_option("--trace", options->trace,
                    "Write the steady-state step as Chrome trace JSON (Perfetto, chrome://tracing) to this file");
    add_output_options(*run, *options);

    commands.push_back({&app, [options] { return execute(*options, false); }});
    commands.push_back({run, [options] { return execute(*options, true); }});
}

} // namespace tcsim::cli
