// One forward pass of a serving batch on the GPUs of one pipeline stage: its kernels priced by
// the compute model (roofline), its communication by closed forms on the cluster's links.
//
// Work per GPU of a stage, for `tokens` tokens per attention replica (decode: one per
// sequence; prefill: whole prompts) attending to `context` keys:
//   * per layer, the non-expert weights (attention projections, dense FFN or shared experts,
//     router, norms) / tp, read once: FLOPs 2 x tokens x those weights / tp;
//   * the attention core: decode reads every cached token's KV (kv_cache.hpp) once per layer;
//     its FLOPs are 2 x context x (score + value width) per head per query: MHA/GQA qk + v head
//     dims; MLA in the absorbed form DeepSeek-V2 Sec. 2.1.2 describes for inference (W_UK into
//     W_Q, W_UV into W_O): scores over the kv_lora_rank + rope latent, values over kv_lora_rank.
//     Prefill counts the causal core of workload::layer_forward_flops_per_token;
//   * an MoE layer's routed experts: tokens x top_k expert-token pairs per replica, dp
//     replicas' pairs spread over the ep GPUs (balanced routing); the expert weights read are
//     those a token touched: each token picks top_k distinct experts of E, so of the g experts a
//     GPU holds g x (1 - (1 - top_k/E)^n) are hit in expectation by the stage's n tokens when
//     routing is uniform (one token: exactly its top_k experts);
//   * the output head on the last stage (prefill: one token per sequence).
// Communication per layer: tp > 1, two ring all-reduces of the activations on NVLink
// (2 (tp-1)/tp x bytes at the calibrated NVLink fraction); ep > 1, the MoE layer's dispatch
// (weight dtype) and combine (activation dtype): once per other node a token's experts are on
// over the NICs (DeepEP's node deduplication; forward_step.cpp), top_k copies on NVLink,
// whichever takes longer; pp > 1, one activation send per stage. With `overlap_communication`
// a stage takes max(compute, communication), else their sum.
//
// Contract: pure and deterministic; throws ServeError for a layout the model cannot take.
#pragma once

#include "compute/compute_model.hpp"
#include "serve/serve_spec.hpp"
#include "topology/cluster.hpp"
#include "units/quantity.hpp"
#include "workload/model_spec.hpp"

namespace tcsim::serve {

enum class Phase { prefill, decode };

/// One stage's forward pass on one of its GPUs.
struct StageStep {
    units::Seconds compute{0.0};
    units::Seconds communication{0.0};
    units::Seconds time{0.0};  ///< max or sum of the two (ServeSpec::overlap_communication)
    units::Bytes weights_read; ///< per GPU
    units::Bytes kv_read;      ///< per GPU
    units::Flops flops;        ///< per GPU
};

/// The slowest stage and the whole pipeline's latency for one batch.
struct ForwardStep {
    StageStep slowest;           ///< the stage that sets the pipeline's rate
    units::Seconds latency{0.0}; ///< through every stage, one after the other
};

/// Layers [first, last) of pipeline stage `stage` of `pp` (the remainder to the first stages).
struct LayerRange {
    int first = 0;
    int last = 0;
};
[[nodiscard]] LayerRange stage_layers(int layers, int pp, int stage);

/// Weight bytes one GPU of `stage` holds under `layout` (expert copies included).
[[nodiscard]] units::Bytes weight_bytes_per_gpu(const workload::ModelSpec& model, const ServeLayout& layout,
                                                hardware::Dtype weights, int stage);

/// Checks that `layout` fits `model` (tp divides heads, ep is 1 or tp x dp and divides the
/// experts with their copies, pp at most the layers); throws ServeError naming `what`.
void check_layout(const workload::ModelSpec& model, const ServeLayout& layout, const char* what);

[[nodiscard]] ForwardStep forward_step(const workload::ModelSpec& model, const ServeSpec& spec,
                                       const ServeLayout& layout, const topology::ClusterSpec& cluster,
                                       const compute::ComputeModel& compute, Phase phase, double tokens,
                                       double context);

} // namespace tcsim::serve
