// The training recipe: how many tokens, in what batches, in what precision.
#pragma once

#include "hardware/dtype.hpp"

#include <vector>

namespace tcsim::workload {

enum class Recompute { none, selective, full };

/// Global batch size ramp: starts at `start_sequences`, grows linearly in tokens to the final
/// batch over `over_tokens`.
struct BatchRamp {
    int start_sequences = 0;
    double over_tokens = 0.0;
};

/// A stage of training after the main run at another sequence length (context extension).
struct ExtensionStage {
    int seq_len = 0;
    int global_batch_sequences = 0;
    long long steps = 0;
};

struct TrainingSpec {
    double tokens = 0.0;               ///< main pre-training tokens
    int seq_len = 0;
    int global_batch_sequences = 0;    ///< final (steady-state) global batch
    BatchRamp ramp;                    ///< start_sequences == 0: no ramp
    std::vector<ExtensionStage> extension;
    hardware::Dtype gemm_dtype = hardware::Dtype::bf16;      ///< dtype of linear-layer GEMMs
    hardware::Dtype attention_dtype = hardware::Dtype::bf16; ///< dtype of the attention core
    Recompute recompute = Recompute::none;
};

} // namespace tcsim::workload
