// From step to run: the phases of a training run, each priced by a simulated step.
//
// Contract: simulate_run() splits the workload's training into phases (batch ramp cut into
// `ramp_phases` equal-token phases, each run at its mean batch rounded to what the layout can
// run; the steady state; then the context-extension stages), simulates one step per distinct
// (sequence length, batch) and multiplies by the phase's steps. Deterministic. No failures or
// checkpoints (the result says "failure-free").
#pragma once

#include "run/run_result.hpp"
#include "topology/cluster.hpp"
#include "workload/workload.hpp"

namespace tcsim::run {

struct RunOptions {
    int ramp_phases = 4;
    bool include_extension = true;
};

RunResult simulate_run(const topology::ClusterSpec& cluster, const workload::Workload& workload,
                       const RunOptions& options = {});

} // namespace tcsim::run
