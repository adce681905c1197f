#include "scenario/cluster_use.hpp"

#include "run/resize.hpp"
#include "scenario/input_error.hpp"
#include "units/number_text.hpp"

namespace tcsim::scenario {
namespace {

using config::FileKind;

/// The origin of the override of workload key `key`, else its plain name ("cp 1").
std::string named(const config::Overrides& overrides, std::string_view key, std::string_view plain, int value) {
    for (const auto& o : overrides.all())
        if (o.kind == FileKind::workload && o.key == key) return o.origin;
    return std::string(plain) + " " + std::to_string(value);
}

} // namespace

ClusterPart cluster_part(const topology::ClusterSpec& cluster, const ClusterUse& use) {
    if (use.nodes > 0 && use.gpus > 0) throw InputError("give --nodes or --gpus, not both");
    if (use.nodes > 0) {
        if (use.nodes > cluster.nodes)
            throw InputError("--nodes " + std::to_string(use.nodes) + ": the cluster '" + cluster.name + "' has only " +
                             std::to_string(cluster.nodes) + " nodes (--gpus resizes it)");
        return {use.nodes * cluster.gpus_per_node, " (" + std::to_string(use.nodes) + " nodes used)"};
    }
    if (use.gpus > 0) return {use.gpus, " (resized to " + std::to_string(use.gpus) + " GPUs)"};
    return {};
}

void apply_cluster_use(topology::ClusterSpec& cluster, workload::Workload& workload, const ClusterUse& use,
                       const config::Overrides& overrides) {
    const auto [gpus, suffix] = cluster_part(cluster, use);
    const auto layout_set = [&overrides](std::string_view key) {
        return overrides.sets(FileKind::workload, "parallel." + std::string(key));
    };
    if (layout_set("dp")) {
        // An explicit DP: the layout must fill the GPUs as given; the extension stages' own
        // layouts still follow (below).
        const int target = gpus > 0 ? gpus : cluster.gpus();
        const workload::ParallelSpec& p = workload.parallel;
        const long long product = static_cast<long long>(p.tp) * p.pp * p.cp * p.dp;
        if (product != target)
            throw InputError(named(overrides, "parallel.tp", "tp", p.tp) + " x " +
                             named(overrides, "parallel.pp", "pp", p.pp) + " x " +
                             named(overrides, "parallel.cp", "cp", p.cp) + " x " +
                             named(overrides, "parallel.dp", "dp", p.dp) + " = " +
                             units::with_thousands(static_cast<double>(product)) + " GPUs, but the cluster '" +
                             cluster.name + "'" + suffix + " has " + units::with_thousands(target) +
                             " (leave out the DP override to have it derived from the GPU count)");
    }
    if (gpus > 0 || layout_set("dp") || layout_set("tp") || layout_set("pp") || layout_set("cp"))
        run::resize_to_gpus(cluster, workload, gpus > 0 ? gpus : cluster.gpus());
    cluster.name += suffix;
}

void refuse_unread(const config::Overrides& overrides, std::initializer_list<config::FileKind> read,
                   const std::string& command) {
    for (const auto& o : overrides.all()) {
        bool found = false;
        for (const FileKind k : read) found = found || k == o.kind;
        if (found) continue;
        std::string kinds;
        for (const FileKind k : read) kinds += (kinds.empty() ? "" : ", ") + std::string(config::to_string(k));
        throw InputError(o.origin + ": " + command + " reads no " + std::string(config::to_string(o.kind)) +
                         " file, so this override would change nothing (it reads: " + kinds + ")");
    }
}

std::vector<std::string> overridden(const config::Overrides& overrides, const ClusterUse& use, const Options& options) {
    std::vector<std::string> out;
    for (const auto& o : overrides.all()) out.push_back(o.origin);
    if (use.nodes > 0) out.push_back("--nodes " + std::to_string(use.nodes));
    if (use.gpus > 0) out.push_back("--gpus " + std::to_string(use.gpus));
    if (options.price_per_gpu_hour)
        out.push_back(units::printf_number("--price-per-gpu-hour %.15g", *options.price_per_gpu_hour));
    if (options.mtbf_per_gpu_hours)
        out.push_back(units::printf_number("--mtbf-per-gpu-hours %.15g", *options.mtbf_per_gpu_hours));
    return out;
}

std::string overridden_text(const config::Overrides& overrides, const ClusterUse& use, const Options& options) {
    std::string out;
    for (const auto& o : overridden(overrides, use, options)) out += (out.empty() ? "" : ", ") + o;
    return out;
}

} // namespace tcsim::scenario
