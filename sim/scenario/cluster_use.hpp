// How much of the cluster a run uses and how its layout follows: --nodes, --gpus and the layout
// overrides (--tp, --pp, --cp, --dp or their --set spellings) applied to a loaded cluster and
// workload, and the list of everything the command line overrode, for the report's header.
//
// Contract: apply_cluster_use() uses the cluster's first `use.nodes` nodes or resizes it to
// `use.gpus` GPUs, then re-derives the data-parallel degree of every layout as
// run::resize_to_gpus does (DP = GPUs / (TP x PP x CP)) when the GPU count or TP, PP or CP was
// overridden, unless DP itself was: then the explicit combination must multiply to the GPU
// count, or it is refused by InputError naming the flags and the numbers. It never changes
// TP, PP, CP, EP or the schedule. overridden() lists the overrides as the user wrote them
// ("--tp 4", "--set cluster.nic_bandwidth=200 Gb/s", "--gpus 4096", "--price-per-gpu-hour 2.5").
#pragma once

#include "config/overrides.hpp"
#include "scenario/options.hpp"
#include "topology/cluster.hpp"
#include "workload/workload.hpp"

#include <initializer_list>
#include <string>
#include <vector>

namespace tcsim::scenario {

/// The GPUs `use` asks of `cluster` (0: all of it, unchanged) and the words the cluster's name
/// gets for it; InputError for both --nodes and --gpus, or more nodes than the cluster has.
struct ClusterPart {
    int gpus = 0;
    std::string suffix; ///< " (64 nodes used)", " (resized to 4096 GPUs)"
};
[[nodiscard]] ClusterPart cluster_part(const topology::ClusterSpec& cluster, const ClusterUse& use);

void apply_cluster_use(topology::ClusterSpec& cluster, workload::Workload& workload, const ClusterUse& use,
                       const config::Overrides& overrides);

/// Refuses (InputError) an override of a kind of file that `read` does not list: the command
/// never reads such a file, so the override would silently change nothing.
void refuse_unread(const config::Overrides& overrides, std::initializer_list<config::FileKind> read,
                   const std::string& command);

[[nodiscard]] std::vector<std::string> overridden(const config::Overrides& overrides, const ClusterUse& use,
                                                  const Options& options);

/// overridden() joined with ", " ("" when nothing was overridden).
[[nodiscard]] std::string overridden_text(const config::Overrides& overrides, const ClusterUse& use,
                                          const Options& options);

} // namespace tcsim::scenario
