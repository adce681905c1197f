#include "scenario/load.hpp"

#include "config/builtin_files.hpp"
#include "config/load_cluster.hpp"
#include "config/load_datacenter.hpp"
#include "config/load_model_uncertainty.hpp"
#include "config/load_prices.hpp"
#include "config/load_published.hpp"
#include "config/load_workload.hpp"
#include "economics/cost_model.hpp"
#include "run/post_training.hpp"
#include "run/resize.hpp"
#include "run/run_model.hpp"
#include "scenario/cluster_use.hpp"
#include "scenario/input_error.hpp"
#include "scenario/uncertain_design.hpp"
#include "topology/fabric_builders.hpp"
#include "workload/plan_check.hpp"

#include <iterator>
#include <stdexcept>

namespace tcsim::scenario {

namespace {

economics::RentalPrice choose_rental(const Options& options, const economics::PriceCatalog& catalog,
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

/// Prices, datacenter assumptions and overrides around a loaded cluster and workload, then the
/// check of every layout the run simulates (unless `check` is false: a Monte Carlo sample's
/// inputs, priced but never simulated). `rental` is a claim's own price.
Inputs assemble(const config::ConfigFiles& files, const std::string& cluster_path, topology::ClusterSpec cluster,
                workload::Workload workload, const Options& options,
                const std::optional<economics::RentalPrice>& rental, bool check = true) {
    const std::string prices_path =
        options.prices.empty() ? files.resolve(cluster_path, "prices.toml") : options.prices;
    Inputs in;
    in.datacenter_path =
        options.datacenter.empty() ? files.resolve(cluster_path, "datacenter.toml") : options.datacenter;
    const economics::PriceCatalog catalog = config::load_prices(files, prices_path, cluster.catalog_gpus);
    const config::DatacenterSpec datacenter = config::load_datacenter(files, in.datacenter_path);

    economics::AssessmentInputs& a = in.assessment;
    a.rental = rental && !options.price_per_gpu_hour ? *rental
                                                     : choose_rental(options, catalog, prices_path, cluster.gpu.name);
    a.ownership = ownership_prices(catalog, cluster);
    a.power = datacenter.power;
    a.reliability = datacenter.reliability;
    if (options.mtbf_per_gpu_hours) {
        a.reliability.failures_per_gpu_hour = {1.0 / *options.mtbf_per_gpu_hours, "--mtbf-per-gpu-hours"};
        a.reliability.failures_per_gpu_hour_range.reset();
    }
    if (options.no_failures) {
        a.reliability.failures_per_gpu_hour = {0.0, "--no-failures"};
        a.reliability.failures_per_gpu_hour_range.reset();
    }
    a.monte_carlo = {.samples = options.samples, .seed = options.seed, .threads = options.jobs};

    if (options.no_extension) workload.training.extension.clear(); // not simulated, so not checked either
    run::RunOptions run_options;
    run_options.include_extension = !options.no_extension;
    if (check) {
        run::check_run(cluster, workload, run_options);
        topology::ClusterGraph graph = check_cluster_builds(cluster, cluster_path);
        try {
            in.fabric = network::make_fabric(cluster, std::move(graph));
        } catch (const std::invalid_argument& e) {
            throw InputError(cluster_path + ": cluster '" + cluster.name + "': " + e.what());
        }
        run::check_post_training(cluster, workload);
        for (const workload::PostTrainingStage& stage : workload.post_training)
            (void)check_cluster_builds(run::stage_cluster(cluster, stage.parallel.gpus()), cluster_path);
    }

    in.cluster = std::move(cluster);
    in.workload = std::move(workload);
    in.options = options;
    return in;
}

/// The MFU records beside the cluster file.
config::MfuRecords mfu_records(const config::ConfigFiles& files, const std::string& cluster_path) {
    return config::load_mfu_records(files, files.resolve(cluster_path, "mfu_records.toml"));
}

/// tcsim's measured model uncertainty beside the cluster file (or its built-in copy).
economics::ModelUncertainty model_uncertainty(const config::ConfigFiles& files, const std::string& cluster_path) {
    return config::load_model_uncertainty(files, files.resolve(cluster_path, "model_uncertainty.toml"));
}

/// Claims checked against the run, with the best published MFU in `records`.
ClaimChecks claim_checks(const config::MfuRecords& records, const economics::ModelUncertainty& uncertainty,
                         const std::string& gpu, std::vector<economics::Claim> claims) {
    ClaimChecks checks;
    checks.claims = std::move(claims);
    if (const auto it = records.find(gpu); it != records.end()) checks.best_mfu = it->second;
    checks.uncertainty = uncertainty;
    return checks;
}

/// The published figures of `file`; without the extension simulated, only pre-training ones.
report::PublishedFigures published_figures(const config::PublishedFile& file, bool includes_extension) {
    report::PublishedFigures published;
    published.source = file.source;
    for (const auto& f : file.figures) {
        for (const report::Figure figure :
             {report::Figure::pretrain_days, report::Figure::total_days, report::Figure::pretrain_gpu_hours,
              report::Figure::total_gpu_hours, report::Figure::pretrain_cost_usd, report::Figure::total_cost_usd}) {
            if (report::to_string(figure) != f.figure) continue;
            const bool total = figure == report::Figure::total_days || figure == report::Figure::total_gpu_hours ||
                               figure == report::Figure::total_cost_usd;
            if (total && !includes_extension) continue;
            published.values.push_back({figure, f.value, f.note});
        }
    }
    return published;
}

} // namespace

topology::ClusterGraph check_cluster_builds(const topology::ClusterSpec& cluster, const std::string& cluster_path) {
    // The fabric the run will be simulated on must be buildable from the cluster's keys (a 2-tier
    // fat tree too small for the GPUs asked for, NICs a node cannot share evenly): refused here,
    // naming the file, rather than when the first step builds it.
    try {
        return topology::build_cluster_graph(cluster);
    } catch (const std::invalid_argument& e) {
        throw InputError(cluster_path + ": cluster '" + cluster.name +
                         "' cannot be built (keys nodes, gpus_per_node, " + "nics_per_node and [fabric]): " + e.what());
    }
}

config::ClaimScenario load_claim(const config::ConfigFiles& files, const std::string& path) {
    return config::load_claim(files, path, run::resize_to_gpus);
}

namespace {

/// Runs `load`; a refused layout (or resize) names the files it came from and the overrides given.
template <class Load>
Inputs naming_overrides(const std::string& where, const config::ConfigFiles& files, const ClusterUse& use,
                        const Options& options, Load load) {
    const std::string given = overridden_text(files.overrides(), use, options);
    const std::string with = given.empty() ? std::string() : " with " + given;
    try {
        Inputs in = load();
        in.overridden = overridden(files.overrides(), use, options);
        in.builtin_inputs = files.builtin_stand_ins();
        return in;
    } catch (const workload::PlanError& e) {
        throw InputError(where + with + ": " + e.what());
    } catch (const InputError& e) {
        // Named already (cluster_use.cpp names the flags it refuses), or nothing to name.
        const std::string message = e.what();
        for (const std::string& o : overridden(files.overrides(), use, options))
            if (message.find(o) != std::string::npos) throw;
        if (given.empty()) throw;
        throw InputError(message + " (" + given + ")");
    }
}

} // namespace

Inputs load_run(const config::ConfigFiles& files, const std::string& cluster_path, const std::string& workload_path,
                const ClusterUse& use, const Options& options) {
    using config::FileKind;
    refuse_unread(files.overrides(),
                  {FileKind::cluster, FileKind::workload, FileKind::prices, FileKind::datacenter, FileKind::gpus,
                   FileKind::efficiency},
                  "tcsim run");
    if (use.nodes > 0 && use.gpus > 0) throw InputError("give --nodes or --gpus, not both");
    const Reload load = [&](const config::ConfigFiles& f, bool check) {
        topology::ClusterSpec cluster = config::load_cluster(f, cluster_path);
        workload::Workload workload = config::load_workload(f, workload_path);
        // --no-extension: the extension stages are neither simulated nor resized (their layouts
        // need not divide the GPU count).
        if (options.no_extension) workload.training.extension.clear();
        apply_cluster_use(cluster, workload, use, f.overrides());
        return assemble(f, cluster_path, std::move(cluster), std::move(workload), options, std::nullopt, check);
    };
    // A refused layout names the files it came from: the workload's [parallel] and [training]
    // keys on the cluster file's GPUs, and the overrides given.
    // Read through a view of its own, so that the uncertain keys met are this scenario's alone.
    const config::FilesWithOverrides own(files, {});
    Inputs in = naming_overrides(workload_path + " ([parallel], [training]) on " + cluster_path, own, use, options,
                                 [&] { return load(own, true); });
    if (!own.uncertain().empty()) in.uncertain = design_uncertainty(own, own.uncertain().all(), options, load);
    return in;
}

Inputs load_claim_check(const config::ConfigFiles& files, const std::string& claim_path, const Options& options,
                        const ClusterUse& use) {
    using config::FileKind;
    refuse_unread(files.overrides(),
                  {FileKind::claim, FileKind::cluster, FileKind::workload, FileKind::prices, FileKind::datacenter,
                   FileKind::gpus, FileKind::efficiency, FileKind::mfu_records},
                  "tcsim check");
    const Reload load = [&](const config::ConfigFiles& f, bool check) {
        config::ClaimScenario s = scenario::load_claim(f, claim_path);
        apply_cluster_use(s.cluster, s.workload, use, f.overrides());
        return assemble(f, s.cluster_path, std::move(s.cluster), std::move(s.workload), options, s.claim.price, check);
    };
    // Read through a view of its own, so that the uncertain keys met are this scenario's alone.
    const config::FilesWithOverrides own(files, {});
    config::ClaimScenario s = scenario::load_claim(own, claim_path);
    const config::MfuRecords records = mfu_records(own, s.cluster_path);
    Inputs in = naming_overrides(claim_path, own, use, options, [&] {
        apply_cluster_use(s.cluster, s.workload, use, own.overrides());
        Inputs loaded =
            assemble(own, s.cluster_path, std::move(s.cluster), std::move(s.workload), options, s.claim.price);
        loaded.claim_checks =
            claim_checks(records, model_uncertainty(own, s.cluster_path), loaded.cluster.gpu.name, {s.claim});
        return loaded;
    });
    if (!own.uncertain().empty()) in.uncertain = design_uncertainty(own, own.uncertain().all(), options, load);
    return in;
}

Inputs load_builtin(const Options& options, const config::Overrides& overrides, const ClusterUse& use) {
    // The built-in files, but a --prices or --datacenter file the user names is read from disk
    // (it replaces a built-in file of the same name rather than being silently ignored).
    config::EmbeddedFiles files = config::builtin_files();
    const config::DiskFiles disk;
    for (const std::string* given : {&options.prices, &options.datacenter})
        if (!given->empty()) files.add(*given, disk.read(*given));
    files.set_overrides(overrides);
    std::vector<config::ClaimScenario> scenarios;
    for (const std::string_view path : config::kBuiltinClaims)
        scenarios.push_back(scenario::load_claim(files, std::string(path)));
    const config::PublishedFile published = config::load_published(files, std::string(config::kBuiltinPublished));
    config::ClaimScenario& first = scenarios.front();
    const config::MfuRecords records = mfu_records(files, first.cluster_path);
    Inputs in = naming_overrides(std::string(config::kBuiltinClaims[0]), files, use, options, [&] {
        apply_cluster_use(first.cluster, first.workload, use, files.overrides());
        return assemble(files, first.cluster_path, first.cluster, first.workload, options, first.claim.price);
    });
    // Ranges given with --set: the first claim's scenario is the one simulated.
    if (!files.uncertain().empty()) {
        const Reload load = [&](const config::ConfigFiles& f, bool check) {
            config::ClaimScenario s = scenario::load_claim(f, std::string(config::kBuiltinClaims[0]));
            apply_cluster_use(s.cluster, s.workload, use, f.overrides());
            return assemble(f, s.cluster_path, std::move(s.cluster), std::move(s.workload), options, s.claim.price,
                            check);
        };
        in.uncertain = design_uncertainty(files, files.uncertain().all(), options, load);
    }
    in.published = published_figures(published, !options.no_extension);
    std::vector<economics::Claim> checked;
    for (const auto& s : scenarios) {
        economics::Claim claim = s.claim;
        // Without the extension simulated, only pre-training figures can be compared.
        if (options.no_extension)
            std::erase_if(claim.figures, [](const economics::ClaimedFigure& f) {
                return f.quantity != economics::ClaimedQuantity::hardware &&
                       f.quantity != economics::ClaimedQuantity::gpu_count && f.scope.context_extension;
            });
        if (!claim.figures.empty()) checked.push_back(std::move(claim));
    }
    in.claim_checks =
        claim_checks(records, model_uncertainty(files, first.cluster_path), in.cluster.gpu.name, std::move(checked));
    // The story's claims about other runs: their own scenarios from the built-in files as shipped
    // (the command line's overrides, cluster use, price and files are DeepSeek-V3's), with the
    // same Monte Carlo; in symmetric mode (full mode refuses the GPT-4 estimate's 24,960 GPUs).
    Options related_options = options;
    related_options.prices.clear();
    related_options.datacenter.clear();
    related_options.price_per_gpu_hour.reset();
    related_options.full = false;
    const config::EmbeddedFiles& shipped = config::builtin_files();
    for (const std::string_view path : config::kBuiltinRelatedClaims)
        in.related.push_back(load_claim_check(shipped, std::string(path), related_options));
    return in;
}

} // namespace tcsim::scenario
