// Each point is a fresh set of files carrying the base overrides, then the point's own: an
// override added later for the same key replaces the earlier (config::Overrides), so an axis
// wins over a --set of the same key. Loading is cheap beside simulating (no step is simulated),
// so every process checks every point, and a bad value stops every process alike.
#include "sweep/run_sweep.hpp"

#include "config/config_error.hpp"
#include "config/disk_or_builtin_files.hpp"
#include "engine/sim_time.hpp"
#include "run/parallel_map.hpp"
#include "scenario/evaluate.hpp"
#include "scenario/input_error.hpp"
#include "scenario/load.hpp"
#include "sweep/sweep_points.hpp"
#include "workload/plan_check.hpp"

#include <cstdlib>
#include <exception>
#include <optional>
#include <utility>

namespace tcsim::sweep {

namespace {

/// A point loaded: its checked inputs, or why it is refused.
struct Loaded {
    std::optional<scenario::Inputs> inputs;
    std::string refused;
};

Loaded load_point(const SweepSpec& spec, const SweepPoint& point, const SweepOptions& o) {
    config::Overrides overrides = o.base;
    scenario::ClusterUse use = o.use;
    scenario::Options options = o.options;
    if (options.prices.empty()) options.prices = spec.prices;
    if (options.datacenter.empty()) options.datacenter = spec.datacenter;
    std::string cluster = spec.cluster;
    std::string workload = spec.workload;
    for (std::size_t a = 0; a < spec.axes.size(); ++a) {
        const Axis& axis = spec.axes[a];
        const AxisValue& v = axis.values[point.value[a]];
        switch (axis.target) {
        case Target::file_key: {
            const auto dot = axis.key.find('.');
            config::KeyOverride key{};
            for (const auto kind : {config::FileKind::cluster, config::FileKind::workload, config::FileKind::prices,
                                    config::FileKind::datacenter, config::FileKind::gpus, config::FileKind::efficiency,
                                    config::FileKind::mfu_records})
                if (axis.key.substr(0, dot) == config::to_string(kind)) key.kind = kind;
            key.key = axis.key.substr(dot + 1);
            key.value = v.toml;
            key.origin = v.where + ": axis " + axis.key + " = " + v.toml;
            overrides.add(std::move(key));
            break;
        }
        case Target::gpus: use = {0, std::atoi(v.toml.c_str())}; break;
        case Target::nodes: use = {std::atoi(v.toml.c_str()), 0}; break;
        case Target::price_per_gpu_hour: options.price_per_gpu_hour = std::atof(v.toml.c_str()); break;
        case Target::cluster_file: cluster = v.toml; break;
        case Target::workload_file: workload = v.toml; break;
        }
    }
    config::DiskOrBuiltinFiles files;
    files.set_overrides(std::move(overrides));
    for (const std::string* given : {&options.prices, &options.datacenter})
        if (!given->empty()) files.named_by_user(*given);
    try {
        return {scenario::load_run(files, cluster, workload, use, options), {}};
    } catch (const workload::PlanError& e) {
        return {std::nullopt, e.what()};
    } catch (const scenario::InputError& e) {
        return {std::nullopt, e.what()};
    }
}

} // namespace

std::vector<std::vector<std::string>> point_values(const SweepSpec& spec) {
    std::vector<std::vector<std::string>> out;
    for (const SweepPoint& p : points(spec)) {
        std::vector<std::string> values;
        for (std::size_t a = 0; a < spec.axes.size(); ++a) values.push_back(spec.axes[a].values[p.value[a]].plain);
        out.push_back(std::move(values));
    }
    return out;
}

std::vector<SweepRow> run_sweep(const SweepSpec& spec, const SweepOptions& options) {
    const std::vector<SweepPoint> all = points(spec);
    const std::vector<std::vector<std::string>> values = point_values(spec);
    const auto size = static_cast<std::size_t>(std::max(1, options.share.size));
    const auto rank = static_cast<std::size_t>(std::max(0, options.share.rank));
    // Every point checked (the lowest-index ConfigError is rethrown), this share's kept.
    std::vector<Loaded> loaded = run::parallel_map<Loaded>(all.size(), options.threads, [&](std::size_t i) {
        Loaded l = load_point(spec, all[i], options);
        if (i % size != rank) l.inputs.reset();
        // Every point is loaded before any runs: their graphs are not kept (at 16K GPUs each is
        // tens of MiB); each run builds its own.
        if (l.inputs) l.inputs->fabric.reset();
        return l;
    });
    std::vector<std::size_t> mine;
    for (std::size_t i = rank; i < all.size(); i += size) mine.push_back(i);
    std::function<void(std::size_t)> tick;
    if (options.progress) tick = [&](std::size_t done) { options.progress(done, mine.size()); };
    return run::parallel_map<SweepRow>(
        mine.size(), options.threads,
        [&](std::size_t k) {
            const std::size_t i = mine[k];
            SweepRow row;
            row.point = i;
            row.values = values[i];
            if (!loaded[i].inputs) {
                row.status = RowStatus::refused;
                row.reason = loaded[i].refused;
                return row;
            }
            try {
                return row_of(i, values[i], scenario::evaluate(*loaded[i].inputs));
            } catch (const scenario::InputError& e) {
                row.status = RowStatus::refused;
                row.reason = e.what();
            } catch (const workload::PlanError& e) {
                row.status = RowStatus::refused;
                row.reason = e.what();
            } catch (const engine::DurationOutOfRange& e) {
                row.status = RowStatus::refused;
                row.reason = "these inputs cannot be simulated: " + std::string(e.what());
            } catch (const std::exception& e) {
                row.status = RowStatus::internal_error;
                row.reason = e.what();
            }
            return row;
        },
        tick);
}

} // namespace tcsim::sweep
