// Bytes of KV cache one token leaves behind, per GPU that holds it.
//
//   MHA / GQA / MQA: K and V of every KV head a tensor-parallel rank holds, per layer:
//       2 x kv_heads_per_rank(tp) x head_dim x bytes(kv_dtype)
//     (workload::kv_heads_per_rank: kv_heads / tp, or 1 replicated head when tp > kv_heads).
//   MLA (DeepSeek-V2 arXiv:2405.04434 Sec. 2.1.2, "only the compressed latent c_KV and the
//   decoupled key k_R need to be cached"): (kv_lora_rank + qk_rope_head_dim) x bytes per
//   layer, the same on every TP rank (the latent is not split by head).
// A windowed layer keeps at most `sliding_window` tokens (plus its sink tokens): kv_bytes for
// a whole sequence caps those layers' tokens there.
//
// Contract: pure; layers in [first, last) only (a pipeline stage's share).
#pragma once

#include "hardware/dtype.hpp"
#include "units/quantity.hpp"
#include "workload/model_spec.hpp"

namespace tcsim::serve {

/// KV bytes of one token in one layer on one TP rank.
[[nodiscard]] units::Bytes kv_bytes_per_token_layer(const workload::ModelSpec& model, int tp, hardware::Dtype kv);

/// KV bytes of a sequence of `context` tokens in layers [first, last) on one TP rank.
[[nodiscard]] units::Bytes kv_bytes_of_sequence(const workload::ModelSpec& model, int first, int last, double context,
                                                int tp, hardware::Dtype kv);

} // namespace tcsim::serve
