// A whole training run as a sequence of phases, each with its own simulated step.
//
// Phases: the batch-size ramp is cut into a few phases of constant batch (each simulated), the
// steady state at the final batch, then any context-extension stages, each at its own layout
// when the workload gives one. Time is steps x step time; failures, restarts and checkpoints
// are not included here (run/failure_simulation.hpp adds them).
#pragma once

#include "training/step_result.hpp"
#include "workload/parallel_spec.hpp"

#include <string>
#include <vector>

namespace tcsim::run {

struct RunPhase {
    std::string name;       ///< "ramp 1/4", "steady", "extension 32K"
    bool extension = false; ///< a context-extension stage (not main pre-training)
    int seq_len = 0;
    int global_batch_sequences = 0; ///< the phase's batch (mean batch of a ramp phase)
    /// The batch the step was simulated at: the phase's batch rounded to what the layout and
    /// schedule can run (e.g. DualPipe needs at least 2 x PP micro-batches). The phase's time
    /// is its tokens at the simulated step's tokens per second.
    int simulated_batch_sequences = 0;
    workload::ParallelSpec parallel; ///< the layout the phase ran at
    bool own_layout = false;         ///< an extension stage with a layout of its own
    double steps = 0;
    double tokens = 0;
    double seconds = 0;     ///< tokens at the simulated step's tokens per second
    double model_flops = 0; ///< model FLOPs of the phase's tokens (no recomputation)
    training::StepResult step;
};

struct RunResult {
    std::vector<RunPhase> phases;
    int gpus = 0;
    double pretrain_tokens = 0; ///< main pre-training tokens (phases without extension)
    double pretrain_seconds = 0;
    double extension_seconds = 0;
    double pretrain_model_flops = 0;
    double extension_model_flops = 0;
    [[nodiscard]] double seconds() const { return pretrain_seconds + extension_seconds; }
    [[nodiscard]] double pretrain_gpu_hours() const { return pretrain_seconds / 3600.0 * gpus; }
    [[nodiscard]] double extension_gpu_hours() const { return extension_seconds / 3600.0 * gpus; }
};

/// "PP16 dualpipe x EP64 x DP128", naming only the degrees above one (TP, CP, DP always).
std::string layout_text(const workload::ParallelSpec& parallel);

} // namespace tcsim::run
