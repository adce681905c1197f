// Pipeline schedules as the order of work each pipeline rank runs in one step.
//
// Contract: make_schedule() returns, for every pipeline rank, its actions in issue order. An
// action names micro-batches and model chunks; the program builder turns each into compute and
// communication ops and wires the cross-rank dependencies, and the replay simulates them, so
// the bubble comes out of the simulation, not from a formula.
//
// Chunks: with 1F1B, GPipe and zero-bubble each rank holds one chunk (chunk 0). Interleaved
// 1F1B gives each rank `virtual_stages` chunks. DualPipe gives each rank two chunks, one per
// direction: chunk d is this rank's stage of the pipeline running in direction d (direction 0
// enters at rank 0, direction 1 at rank P-1); micro-batches 0..M/2-1 run in direction 0, the
// rest in direction 1.
//
// Throws std::invalid_argument for shapes a schedule cannot run, saying which rule: DualPipe
// needs an even number of ranks and an even micro-batch count M >= 2P (DualPipe reference
// implementation, github.com/deepseek-ai/DualPipe, dualpipe.py); interleaved needs M to be a
// multiple of P (Megatron-LM).
#pragma once

#include "workload/parallel_spec.hpp"

#include <vector>

namespace tcsim::training {

enum class ActionKind {
    forward,          ///< forward of (micro_batch, chunk)
    backward,         ///< full backward (input and weight gradients)
    backward_input,   ///< input gradient only; its weight gradient comes later as `weight`
    weight,           ///< deferred weight gradient of (micro_batch, chunk)
    forward_backward, ///< DualPipe, combined 1F1B: forward of (micro_batch, chunk) overlapped with backward of (micro_batch2, chunk2)
};

struct Action {
    ActionKind kind = ActionKind::forward;
    int micro_batch = 0;
    int chunk = 0;
    int micro_batch2 = -1; ///< forward_backward only: the backward's micro-batch
    int chunk2 = -1;
};

/// Per rank, the actions in order. `micro_batches` is per pipeline (per data-parallel replica).
/// `combined`: Megatron-Core's combined 1F1B (ParallelSpec::ep_comm_overlap): the steady state's
/// forward and backward of two micro-batches as one forward_backward action each (interleaved
/// 1F1B, or 1F1B at PP1; any other schedule throws std::invalid_argument).
std::vector<std::vector<Action>> make_schedule(workload::PipelineSchedule schedule, int ranks, int micro_batches,
                                               int virtual_stages, bool combined = false);

/// The chunks each rank holds under `schedule` (1, v, or 2 for DualPipe).
int chunks_per_rank(workload::PipelineSchedule schedule, int virtual_stages);

/// Model stage (0 = the first, holding the embedding) of `chunk` on `rank`. There are
/// ranks x chunks_per_rank stages, except DualPipe whose two directions each have `ranks`.
int model_stage(workload::PipelineSchedule schedule, int ranks, int rank, int chunk);

/// Number of model stages the layers are split into.
int model_stages(workload::PipelineSchedule schedule, int ranks, int virtual_stages);

/// The rank that runs model stage `stage` for `micro_batch` (and its chunk on that rank).
struct StageLocation {
    int rank = 0;
    int chunk = 0;
};
StageLocation locate_stage(workload::PipelineSchedule schedule, int ranks, int micro_batches, int micro_batch,
                           int stage);

} // namespace tcsim::training
