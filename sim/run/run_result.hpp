// A whole training run as a sequence of phases, each with its own simulated step.
//
// Phases: the batch-size ramp is cut into a few phases of constant batch (each simulated), the
// steady state at the final batch, then any context-extension stages. Time is steps x step
// time; failures, restarts and checkpoints are not included here (figures say so).
#pragma once

#include "replay/step_result.hpp"

#include <string>
#include <vector>

namespace tcsim::run {

struct RunPhase {
    std::string name;               ///< "ramp 1/4", "steady", "extension 32K"
    bool extension = false;         ///< a context-extension stage (not main pre-training)
    int seq_len = 0;
    int global_batch_sequences = 0;   ///< the phase's batch (mean batch of a ramp phase)
    /// The batch the step was simulated at: the phase's batch rounded to what the layout and
    /// schedule can run (e.g. DualPipe needs at least 2 x PP micro-batches). The phase's time
    /// is its tokens at the simulated step's tokens per second.
    int simulated_batch_sequences = 0;
    double steps = 0;
    double tokens = 0;
    double seconds = 0;             ///< steps x step time
    replay::StepResult step;
};

struct RunResult {
    std::vector<RunPhase> phases;
    int gpus = 0;
    double pretrain_tokens = 0;     ///< main pre-training tokens (phases without extension)
    double pretrain_seconds = 0;
    double extension_seconds = 0;
    [[nodiscard]] double seconds() const { return pretrain_seconds + extension_seconds; }
    [[nodiscard]] double pretrain_gpu_hours() const { return pretrain_seconds / 3600.0 * gpus; }
    [[nodiscard]] double extension_gpu_hours() const { return extension_seconds / 3600.0 * gpus; }
};

} // namespace tcsim::run
