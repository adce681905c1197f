// One training step, simulated event by event.
//
// Contract: builds the workload's per-rank program for (seq_len, global batch), prices every
// compute block with the compute model and every collective with the network model, runs it on
// a fresh engine and returns the step time of the slowest rank with its breakdown. Throws
// workload::PlanError if the layout cannot run the batch, or in full mode if the step would
// exceed kMaxFullModeOps (kMaxFullModeTraceOps with a trace). Deterministic.
#pragma once

#include "network/make_network.hpp"
#include "topology/cluster.hpp"
#include "training/step_buffers.hpp"
#include "training/step_replay.hpp"
#include "training/step_result.hpp"
#include "workload/workload.hpp"

namespace tcsim::training {

/// What a timeline needs: the program that ran and when each op ran.
struct StepTrace {
    Program program;
    std::vector<OpSpan> spans; ///< in completion order
};

/// The most ops full mode simulates in one step (every GPU's copy of its stage's program). The
/// executor holds only the ops in flight, each made as it first matters and forgotten once
/// finished (exec/op_source.hpp, training/full_expansion.hpp), and 4 bytes per op besides (where
/// its record is), so a step's memory is about kFullModeBytesPerOp per op: 6 GB at this limit.
/// What bounds full mode is its time, about 1 us of CPU per op (17 minutes a step at this limit;
/// measured by benchmarks/full_mode_bench, README "How it works").
inline constexpr long long kMaxFullModeOps = 1'000'000'000;
/// Bytes per full-mode op, for the refusal's estimate: measured peak memory over ops (DeepSeek-V3's
/// 128K stage, 136M ops in 0.70 GiB; the GPT-4 estimate, 156M ops), rounded up.
inline constexpr long long kFullModeBytesPerOp = 6;
/// With a trace, full mode writes the step's whole program out and keeps every op and its span:
/// about kFullModeTraceBytesPerOp each (a Program op with its dependencies ~150, the executor's
/// op, edges and collective ~90, the span 24), so it traces at most kMaxFullModeTraceOps ops
/// (about 11 GB).
inline constexpr long long kMaxFullModeTraceOps = 40'000'000;
inline constexpr long long kFullModeTraceBytesPerOp = 270;

struct StepOptions {
    /// The flow-level model shares links among concurrent collectives; alpha-beta prices each
    /// collective alone (faster to run, no contention).
    network::NetworkKind network = network::NetworkKind::flow;
    /// Simulate every GPU instead of one representative per pipeline stage. Each GPU issues its
    /// collectives in its stage representative's order, from a replay of the symmetric program
    /// first (training/issue_order.hpp); then the expanded program runs, every collective
    /// waiting for all members of its group.
    bool full = false;
    /// The cluster's fabric, built once and shared by the steps of a run; null: built for this
    /// step (flow model only). Must be the fabric of the `cluster` simulate_step is given.
    std::shared_ptr<const network::Fabric> fabric;
};

/// With `trace`, also records every op's start and end into it. With `buffers`, the step's large
/// tables are built in the memory an earlier step left there and left there for the next
/// (training/step_buffers.hpp); the result is the same.
StepResult simulate_step(const topology::ClusterSpec& cluster, const workload::Workload& workload, int seq_len,
                         int global_batch_sequences, StepTrace* trace = nullptr, const StepOptions& options = {},
                         StepBuffers* buffers = nullptr);

} // namespace tcsim::training
