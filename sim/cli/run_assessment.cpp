#include "cli/run_assessment.hpp"

#include "cli/option_checks.hpp"
#include "economics/cost_model.hpp"
#include "io/load_claim.hpp"
#include "io/load_datacenter.hpp"
#include "io/load_prices.hpp"
#include "io/report_summary.hpp"
#include "run/failure_simulation.hpp"
#include "run/run_model.hpp"

#include <cmath>
#include <exception>
#include <iterator>
#include <stdexcept>

namespace tcsim::cli {

namespace {

economics::RentalPrice choose_rental(const AssessmentOptions& options, const economics::PriceCatalog& catalog,
                                     const std::string& prices_path, const std::string& gpu) {
    if (options.price_per_gpu_hour)
        return economics::RentalPrice{units::dollars_per_hour(*options.price_per_gpu_hour), "", "--price-per-gpu-hour"};
    try {
        return economics::price_for(catalog, gpu);
    } catch (const std::out_of_range& e) {
        // A misspelt entry never gets here: load_prices refuses names the GPU catalog lacks.
        throw InputError(prices_path + ": " + e.what() + "; give --price-per-gpu-hour");
    }
}

/// Ownership prices when the list has all of them for this GPU and fabric; else nullopt.
std::optional<economics::OwnershipPrices> ownership_prices(const economics::PriceCatalog& catalog,
                                                           const topology::ClusterSpec& cluster) {
    const auto purchase = catalog.purchase.find(cluster.gpu.name);
    if (purchase == catalog.purchase.end() || catalog.network.empty() || !catalog.electricity || !catalog.lifetime)
        return std::nullopt;
    // The network entry for the fabric's tiers, else the nearest larger one, else the largest.
    auto network = catalog.network.lower_bound(cluster.fabric.tiers);
    if (network == catalog.network.end()) network = std::prev(catalog.network.end());
    economics::OwnershipPrices p;
    p.purchase = purchase->second;
    p.network = network->second;
    p.electricity = *catalog.electricity;
    p.lifetime = *catalog.lifetime;
    p.lifetime_source = catalog.lifetime_source;
    return p;
}

} // namespace

void add_assessment_options(CLI::App& app, AssessmentOptions& options) {
    app.add_option("--price-per-gpu-hour", options.price_per_gpu_hour,
                   "Rental price in US dollars per GPU-hour (default: the price list's entry for the GPU)")
        ->check(CLI::Validator(
            [](const std::string& text) {
                const std::string problem = check_positive(text);
                return problem.empty() ? problem
                                       : "expected a positive price in US dollars per GPU-hour (e.g. 2.5), got '" + text + "'";
            },
            "USD/GPU-hour > 0"));
    app.add_flag("--no-extension", options.no_extension, "Leave out the context-extension stages");
    app.add_option("--datacenter", options.datacenter,
                   "Power and reliability assumptions (TOML; default: datacenter.toml beside the cluster file)");
    app.add_option("--samples", options.samples, "Monte Carlo samples of failures and restarts (default 1000)")
        ->check(integer_between(1, 1'000'000, "a sample count"));
    app.add_option("--seed", options.seed, "Seed of the failure samples (the same seed gives the same output)")
        ->check(seed_value());
    app.add_flag("--no-failures", options.no_failures, "No failures (checkpoints are written only at a checkpoint_interval the datacenter file gives: Young/Daly needs failures)");
    app.add_option("--mtbf-per-gpu-hours", options.mtbf_per_gpu_hours,
                   "GPU-hours between job-interrupting failures per GPU (default: the datacenter file's)")
        ->check(CLI::Validator(check_positive, "hours > 0"));
}

io::RunReport simulate_and_assess(const ScenarioFiles& where, const topology::ClusterSpec& cluster,
                                  const workload::Workload& workload, const AssessmentOptions& options,
                                  const std::optional<economics::RentalPrice>& rental) {
    const io::ConfigFiles& files = *where.files;
    const std::string prices_path =
        options.prices.empty() ? files.resolve(where.cluster_path, "prices.toml") : options.prices;
    const std::string datacenter_path =
        options.datacenter.empty() ? files.resolve(where.cluster_path, "datacenter.toml") : options.datacenter;
    const economics::PriceCatalog catalog = io::load_prices(files, prices_path, cluster.catalog_gpus);
    io::DatacenterSpec datacenter = io::load_datacenter(files, datacenter_path);

    economics::AssessmentInputs inputs;
    inputs.rental = rental && !options.price_per_gpu_hour ? *rental
                                                           : choose_rental(options, catalog, prices_path, cluster.gpu.name);
    inputs.ownership = ownership_prices(catalog, cluster);
    inputs.power = datacenter.power;
    inputs.reliability = datacenter.reliability;
    if (options.mtbf_per_gpu_hours) {
        inputs.reliability.failures_per_gpu_hour = {1.0 / *options.mtbf_per_gpu_hours, "--mtbf-per-gpu-hours"};
        inputs.reliability.failures_per_gpu_hour_range.reset();
    }
    if (options.no_failures) {
        inputs.reliability.failures_per_gpu_hour = {0.0, "--no-failures"};
        inputs.reliability.failures_per_gpu_hour_range.reset();
    }
    inputs.monte_carlo = {options.samples, options.seed};

    run::RunOptions run_options;
    run_options.include_extension = !options.no_extension;
    workload::Workload w = workload;
    if (options.no_extension) w.training.extension.clear();  // not simulated, so not checked either
    run::check_run(cluster, w, run_options);

    io::RunReport report;
    report.scenario = {cluster.name, cluster.gpu.name, w.name, cluster.gpus(), w.model.name};
    report.run = run::simulate_run(cluster, w, run_options);
    report.pretrain_cost = economics::rental_cost(report.run.pretrain_gpu_hours(), inputs.rental);
    report.total_cost =
        economics::rental_cost(report.run.pretrain_gpu_hours() + report.run.extension_gpu_hours(), inputs.rental);
    report.price_date = inputs.rental.date;
    try {
        report.assessment = economics::assess(report.run, cluster, w, inputs);
    } catch (const run::UnfinishableRun& e) {
        throw InputError(std::string(e.what()) + "; the failure rate comes from " +
                         (options.mtbf_per_gpu_hours ? std::string("--mtbf-per-gpu-hours") : "the datacenter file " + datacenter_path));
    }
    const bool extension = report.run.extension_seconds > 0;
    report.covers = io::covers_text(extension, io::Failures::simulated);
    return report;
}

void add_claim_checks(io::RunReport& report, const std::vector<economics::Claim>& claims, const ScenarioFiles& where) {
    if (!report.assessment) throw std::logic_error("add_claim_checks: the report has no assessment");
    const io::MfuRecords records =
        io::load_mfu_records(*where.files, where.files->resolve(where.cluster_path, "mfu_records.toml"));
    std::optional<economics::MfuRecord> best;
    if (const auto it = records.find(report.scenario.gpu); it != records.end()) best = it->second;
    for (const auto& claim : claims)
        report.claims.push_back(economics::check_claim(claim, *report.assessment, report.scenario.gpu, best));
    report.verdict_rule = economics::verdict_rule();
    report.summary = io::summary_paragraph(report);
}

std::string claims_outcome(const std::vector<const io::RunReport*>& reports, std::string text) {
    std::string unsupported;
    int count = 0;
    for (const io::RunReport* r : reports)
        for (const auto& c : r->claims)
            if (c.verdict == economics::Verdict::optimistic || c.verdict == economics::Verdict::inconsistent) {
                unsupported += std::string(count++ ? "; " : "") + "\"" + c.claim.name + "\" is " +
                               std::string(economics::to_string(c.verdict));
                }
    if (count == 0) return text;
    throw FailedOutcome(std::to_string(count) + (count == 1 ? " claim is" : " claims are") +
                            " not supported by the simulation: " + unsupported,
                        std::move(text), exit_claim_unsupported);
}

} // namespace tcsim::cli
