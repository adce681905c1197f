// The training recipe: how many tokens, in what batches, in what precision.
#pragma once

#include "hardware/dtype.hpp"
#include "hardware/gemm_library.hpp"
#include "workload/parallel_spec.hpp"

#include <optional>
#include <vector>

namespace tcsim::workload {

enum class Recompute { none, selective, full };

/// Finer-grained recomputation of named modules (Megatron-LM --recompute-modules names):
/// their outputs are not kept for the backward pass but recomputed from their inputs.
struct RecomputeModules {
    bool layernorm = false;   ///< norm outputs (the inputs of the following linear layers)
    bool mla_up_proj = false; ///< MLA's q/kv up-projections (DeepSeek-V3 Sec 3.2.3)
    bool moe_act = false;     ///< the activation function of routed experts
    bool core_attn = false;   ///< the attention core (= selective recompute)
    bool mlp = false;         ///< the whole dense MLP
    [[nodiscard]] bool any() const { return layernorm || mla_up_proj || moe_act || core_attn || mlp; }
};

/// Global batch size ramp: starts at `start_sequences`, grows linearly in tokens to the final
/// batch over `over_tokens`.
struct BatchRamp {
    int start_sequences = 0;
    double over_tokens = 0.0;
};

/// A stage of training after the main run at another sequence length (context extension).
/// Its layout is the pre-training layout unless the stage gives its own (`parallel`): long
/// sequences usually need context parallelism and a different data-parallel degree.
struct ExtensionStage {
    int seq_len = 0;
    int global_batch_sequences = 0;
    long long steps = 0;
    std::optional<ParallelSpec> parallel; ///< the stage's own layout; nullopt: the pre-training one
};

struct TrainingSpec {
    double tokens = 0.0; ///< main pre-training tokens
    int seq_len = 0;
    int global_batch_sequences = 0; ///< final (steady-state) global batch
    BatchRamp ramp;                 ///< start_sequences == 0: no ramp
    std::vector<ExtensionStage> extension;
    hardware::Dtype gemm_dtype = hardware::Dtype::bf16;      ///< dtype of linear-layer GEMMs
    hardware::Dtype attention_dtype = hardware::Dtype::bf16; ///< dtype of the attention core
    /// The kernels of the FP8 GEMMs (workload key fp8_gemm_library): cuBLAS as frameworks call
    /// it, or DeepSeek's DeepGEMM; each has its own best shape (hardware/efficiency.hpp).
    hardware::GemmLibrary fp8_gemm_library = hardware::GemmLibrary::cublas;
    Recompute recompute = Recompute::none;
    RecomputeModules recompute_modules;
    /// The attention core as one fused flash-attention kernel (scores never leave the SMs), or
    /// unfused as Megatron-LM ran it in 2021: two batched GEMMs over the full s x s scores with
    /// a softmax (and dropout) between them in memory.
    bool flash_attention = true;
    bool dropout = false; ///< dropout after attention, the FFN and on attention probabilities
    /// Gradients on the wire in the data-parallel reduction: FP32 where the recipe accumulates
    /// and reduces in FP32 (Megatron-LM --accumulate-allreduce-grads-in-fp32, forced for BF16);
    /// FP16/BF16 where it reduces in the training dtype (Megatron-LM 2021 FP16 runs).
    hardware::Dtype grad_reduce_dtype = hardware::Dtype::fp32;
};

} // namespace tcsim::workload
