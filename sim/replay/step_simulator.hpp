// One training step, simulated event by event.
//
// Contract: builds the workload's per-rank program for (seq_len, global batch), prices every
// compute block with the compute model and every collective with the network model, runs it on
// a fresh engine and returns the step time of the slowest rank with its breakdown. Throws
// workload::PlanError if the layout cannot run the batch. Deterministic.
#pragma once

#include "replay/replay.hpp"
#include "replay/step_result.hpp"
#include "topology/cluster.hpp"
#include "workload/workload.hpp"

namespace tcsim::replay {

/// What a timeline needs: the program that ran and when each op ran.
struct StepTrace {
    workload::Program program;
    std::vector<OpSpan> spans;   ///< in completion order
};

/// With `trace`, also records every op's start and end into it.
StepResult simulate_step(const topology::ClusterSpec& cluster, const workload::Workload& workload, int seq_len,
                         int global_batch_sequences, StepTrace* trace = nullptr);

} // namespace tcsim::replay
