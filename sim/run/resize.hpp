// What-if over cluster size: the same workload on more or fewer GPUs of the same kind.
//
// Contract: resize_to_gpus() gives the cluster gpus / gpus_per_node nodes (same node, NICs and
// fabric kind) and scales the data-parallel degree of every layout (pre-training and each
// extension stage's own) by gpus / the layout's GPUs, keeping TP, PP, CP, EP and the schedule.
// It throws workload::PlanError when `gpus` is not a whole number of nodes or a layout's DP
// would not be a whole number. Whether the resized layouts run (batches, EP dividing DP x CP,
// memory) is then run::check_run's job, as for any other layout.
#pragma once

#include "topology/cluster.hpp"
#include "workload/workload.hpp"

namespace tcsim::run {

void resize_to_gpus(topology::ClusterSpec& cluster, workload::Workload& workload, int gpus);

} // namespace tcsim::run
