// The search's fast screen: an estimate of one layout's step time, cheap enough to rank
// thousands of layouts, from the same program and compute model as the full simulation.
//
// Contract: screen_step_seconds(cluster, w, batch) simulates w's step (training::simulate_step)
// with the alpha-beta network (each collective priced alone by its closed form: no contention,
// no flow solving) at two small micro-batch counts per pipeline, M1 (the fewest the schedule
// runs in its steady state: PP, or 2 x PP for DualPipe) and M2 = 2 x M1, and extrapolates
// linearly to the batch's M:
//     T(M) ~= T(M1) + (T(M2) - T(M1)) (M - M1) / (M2 - M1)
// A pipeline schedule's step is affine in M once every stage is in its steady state (1F1B:
// (M + PP - 1) micro-batch times plus the data-parallel tail, Narayanan et al. SC'21 Sec 2.2),
// so the extrapolation adds no error of its own there; where M <= M2 the step is simulated at M
// itself. The batch must be one w can run (run::runnable_batch). Throws what simulate_step
// throws (workload::PlanError, std::invalid_argument for a schedule that cannot run).
#pragma once

#include "topology/cluster.hpp"
#include "workload/workload.hpp"

namespace tcsim::search {

[[nodiscard]] double screen_step_seconds(const topology::ClusterSpec& cluster, const workload::Workload& workload,
                                         int global_batch_sequences);

} // namespace tcsim::search
