// What a serving deployment is: the model's layouts for prefill and decode, the weight and
// KV-cache formats, the requests' shape and the batching limits.
//
// Layout words (one deployment unit; DeepSeek's inference overview, github
// deepseek-ai/open-infra-index 202502OpenSourceWeek day 6, "Prefilling Phase [Routed Expert
// EP32, MLA/Shared Expert DP32]", "Decoding Phase [Routed Expert EP144, MLA/Shared Expert
// DP144]"):
//   tp  tensor parallelism of attention, dense FFN, shared experts and the head;
//   dp  attention replicas ("DP attention"): each holds its own sequences and their KV cache;
//   pp  pipeline stages, each with its share of the layers;
//   ep  the GPUs of one stage the routed experts are spread over (1 = each GPU holds them all
//       split by tp; otherwise ep = tp x dp, every GPU of the stage holding routed/ep experts);
//   redundant_experts  extra expert copies per layer spread over the ep GPUs (DeepSeek: 32).
// GPUs of the unit = tp x dp x pp.
//
// Contract: plain data; serve_model.hpp checks it (ServeError naming the field).
#pragma once

#include "hardware/dtype.hpp"
#include "hardware/gemm_library.hpp"

namespace tcsim::serve {

struct ServeLayout {
    int tp = 1;
    int dp = 1;
    int pp = 1;
    int ep = 1;
    int redundant_experts = 0;
    [[nodiscard]] int gpus() const { return tp * dp * pp; }
};

struct ServeSpec {
    ServeLayout prefill;
    ServeLayout decode;
    /// Prefill and decode on separate GPUs (each phase's layout its own unit) or on the same
    /// GPUs, one after the other (the prefill layout is then ignored: decode's serves both).
    bool disaggregated = true;
    hardware::Dtype weight_dtype = hardware::Dtype::fp8;      ///< weights and the GEMMs against them
    /// The kernels of FP8 GEMMs: tcsim serve, serving records and RL rollouts take the served
    /// workload's training.fp8_gemm_library (the same kernels serve it).
    hardware::GemmLibrary fp8_gemm_library = hardware::GemmLibrary::cublas;
    hardware::Dtype kv_dtype = hardware::Dtype::bf16;         ///< the KV cache (MLA: the latent)
    hardware::Dtype activation_dtype = hardware::Dtype::bf16; ///< activations sent between GPUs
    int prompt_tokens = 0;                                    ///< per request
    int output_tokens = 0;                                    ///< per request
    /// Sequences one attention replica decodes at once (per pipeline micro-batch); 0: as many
    /// as its memory holds (continuous batching filled to the KV-cache limit).
    int max_batch_sequences = 0;
    /// Tokens one attention replica prefills per forward pass (whole prompts, at least one).
    /// Assumed, not measured: a pass of 16K tokens keeps every GEMM's M dimension in the
    /// compute model's large-shape regime; the serve report prints it beside the memory share.
    int prefill_batch_tokens = 16384;
    /// Fraction of HBM the server may fill with weights and KV cache; the rest is activations
    /// and workspace. Assumed 0.9: vLLM's default gpu_memory_utilization (vLLM docs, engine
    /// arguments).
    double memory_utilization = 0.9;
    /// Communication hidden behind compute by splitting the batch in two (DeepSeek's
    /// "dual-batch overlap", inference overview day 6): a step takes max(compute, communication);
    /// otherwise their sum.
    bool overlap_communication = true;
};

} // namespace tcsim::serve
