// Parameters and FLOPs of a transformer, counted from its architecture (ModelSpec).
//
// Contract
// --------
// Every function is pure: it reads the ModelSpec and returns plain numbers (counts of
// parameters, FLOPs per token). A spec that cannot describe a model (no layers, no heads, a GQA
// kv_heads that does not divide heads, an MoE with top_k outside [1, routed_experts], ...)
// throws std::invalid_argument naming the field; a layer index outside the model throws
// std::out_of_range.
//
// Conventions (what is counted)
// -----------------------------
// * 1 multiply-add = 2 FLOPs. A matmul of one token's activation (width m) against a weight
//   matrix m x n costs 2*m*n FLOPs, so the linear FLOPs of a forward pass are twice the weights
//   that touch the token.
// * Linear ("forward_linear"): every matmul against a weight: attention projections (Q/K/V/O, or
//   MLA's q_a/q_b/kv_a/kv_b/o), FFN matrices of the dense FFN or of the top_k routed + all
//   shared experts, the MoE router (h x E), the output head (2*h*V per token, also when the
//   head is tied to the embedding), and, with MTP, each module's 2h -> h projection.
// * Attention core ("forward_attention"): QK^T = 2*s_eff*heads*qk_head_dim and
//   attention x V = 2*s_eff*heads*v_dim per token per layer, where s_eff = seq_len for
//   non-causal attention and s_eff = seq_len / 2 (exactly half, as a real number) for causal
//   attention: a flash-style kernel skips the fully masked key blocks. GQA/MLA change the
//   projections, not this count (every query head still scores every key it may see).
//   A windowed layer (sliding_window W < s) replaces s/2 by the band's area per query in the
//   same convention, W - W^2/(2s), plus the sink keys outside the band (mean_keys_per_query).
// * Learned sinks (gpt-oss) add one exp and add per head per query to the softmax: not counted.
// * Not counted: the embedding lookup (a gather: 0 FLOPs), norms, biases, softmax, RoPE,
//   activation functions, residual adds, top-k selection, the loss. They are elementwise,
//   O(h) per token against the O(h^2) matmuls.
// * Backward = 2 x forward, for matmuls and for the attention core alike (the model-FLOPs
//   convention used for MFU; FlashAttention's own benchmarks count its backward as 2.5 x
//   forward because it recomputes the scores, which is hardware work, not model work).
// * Recomputation is extra forward work: selective = the attention core forward of every
//   layer; full = the whole forward of every transformer layer (and MTP module), i.e.
//   everything except the output head(s). Embedding lookup costs 0 either way.
// * model() = forward + backward is the numerator of MFU; hardware() adds recomputation.
//
// Conventions (what is a parameter)
// ---------------------------------
// * embedding: the V x h token table, plus a max_position x h table for learned positions.
//   With tied embeddings the one V x h matrix is counted here and output_head is 0.
// * attention: per layer all projection weights; Q/K/V biases when qkv_bias; the output
//   projection's bias when qkv_bias and ffn.bias (GPT-2/3, BLOOM and OPT bias every linear
//   layer; Qwen2 biases only Q/K/V); MLA's q_a and kv_a norms.
// * norms: two pre-norms per layer (one in a parallel block: GPT-J, PaLM) and the final norm;
//   RMSNorm has h weights, LayerNorm 2h.
// * learned sinks: one logit per head per layer.
// * router: the h x E gate weights of each MoE layer (DeepSeek-V3's aux-loss-free
//   e_score_correction_bias, E numbers per layer and not trained by gradient, is not counted).
// * mtp: per module a 2h x h projection, two norms (for the hidden state and for the
//   embedding of the next token), and one transformer block whose FFN is an MoE FFN when the
//   model is MoE. The module shares the main model's embedding and output head (DeepSeek-V3
//   report, Sec. 2.2), so those are not counted again.
// * total: the main model, all fields except mtp. active: total - embedding - the routed
//   experts a token does not use, i.e. the Kaplan "non-embedding" count for a dense model. For
//   a tied model that excludes the shared V x h matrix even though the head multiplies it, so
//   6 x active misses 6*h*V of the FLOPs: use flops_per_token for FLOPs, not 6 x active.
#pragma once

#include "workload/model_spec.hpp"
#include "workload/training_spec.hpp"

namespace tcsim::workload {

struct ParameterCounts {
    double embedding = 0;      ///< input token embedding (+ learned position table)
    double output_head = 0;    ///< 0 when tied
    double attention = 0;      ///< all layers: projections (+biases), MLA q/kv norms
    double dense_ffn = 0;      ///< dense FFN layers
    double routed_experts = 0; ///< all MoE layers, all routed experts
    double shared_experts = 0;
    double router = 0;                ///< gate weights
    double norms = 0;                 ///< per-layer pre-norms + final norm
    double mtp = 0;                   ///< multi-token-prediction modules (shared embedding/head not counted)
    double total = 0;                 ///< main model: everything above except mtp
    double active = 0;                ///< per token: total - embedding - routed*(1 - top_k/routed)
    double active_with_embedding = 0; ///< active + embedding
};

ParameterCounts count_parameters(const ModelSpec& model);

/// Parameters of one transformer layer (`layer` in [0, layers + mtp_modules): indices >= layers
/// are MTP modules' blocks, including their 2h -> h projection and two norms), split into the
/// routed experts and everything else.
struct LayerParameters {
    double routed_experts = 0;
    double other = 0; ///< attention, norms, dense FFN or shared experts + router
    [[nodiscard]] double total() const { return routed_experts + other; }
};
LayerParameters layer_parameters(const ModelSpec& model, int layer);

/// Forward FLOPs of one token through one transformer layer, split by kind.
/// `layer` is in [0, layers + mtp_modules): indices >= layers are the transformer blocks of the
/// MTP modules (MoE FFN when the model is MoE). Those blocks' 2h -> h projection and the output
/// head are not part of any layer: see mtp_projection_forward_flops_per_token and
/// output_head_forward_flops_per_token.
struct LayerFlops {
    double attention_linear = 0; ///< projections (Q/K/V/O or MLA's five matrices)
    double attention_core = 0;   ///< QK^T and attention x V
    double ffn = 0;              ///< dense FFN, or top_k routed + shared experts
    double router = 0;           ///< MoE gate (h x E); 0 for dense layers
    [[nodiscard]] double total() const { return attention_linear + attention_core + ffn + router; }
};

LayerFlops layer_forward_flops_per_token(const ModelSpec& model, int layer, int seq_len, bool causal);

/// Keys one query scores on average in transformer layer `layer` at sequence length s, in the
/// model-FLOPs convention: causal global layers s/2 (non-causal s); a windowed causal layer
/// (window W < s, every query seeing itself and the W - 1 keys before it) the band's area per
/// query, W - W^2/(2s), plus the area of the sink keys outside the band: int_0^(s-W) min(N, x)
/// dx / s for N sink tokens. A window W >= s masks nothing and counts as global.
double mean_keys_per_query(const ModelSpec& model, int layer, int seq_len, bool causal);

/// The exact mean of the keys a causal query scores, as kernels compute them:
/// (1/s) sum_{p<s} [min(p + 1, W) + min(N, max(0, p - W + 1))], i.e.
/// (W(W + 1)/2 + (s - W) W + sinks) / s for a windowed layer, (s + 1)/2 for a global one.
double exact_mean_keys_per_query(const ModelSpec& model, int layer, int seq_len);

/// K/V heads one tensor-parallel rank holds: kv_heads / tp, or 1 when TP exceeds the KV heads
/// (each KV head then replicated on tp / kv_heads ranks, as Megatron-Core does for
/// num_query_groups < tensor_model_parallel_size and vLLM for num_kv_heads < tp). MLA: every
/// query head has its K and V after the up-projection, heads / tp.
int kv_heads_per_rank(const AttentionSpec& attention, int tp);

/// Parameters one TP rank holds per layer beyond (its layer's parameters) / tp because its KV
/// head's K and V projections are replicated rather than split (0 when tp <= kv_heads).
double replicated_kv_parameters_per_rank(const ModelSpec& model, int tp);

/// 2*h*V: one token through the vocabulary projection (counted even when tied).
double output_head_forward_flops_per_token(const ModelSpec& model);

/// 2*(2h)*h: one token through one MTP module's projection of concat(h, h) to h.
double mtp_projection_forward_flops_per_token(const ModelSpec& model);

struct FlopsPerToken {
    double forward = 0;           ///< main model (+ MTP modules if included), one forward pass
    double backward = 0;          ///< 2 x forward
    double recompute = 0;         ///< none: 0; selective: attention core fwd; full: all layers' fwd
    double forward_linear = 0;    ///< matmuls against weights (incl. output head(s), router, MTP projection)
    double forward_attention = 0; ///< QK^T and attention x V
    double forward_head = 0;      ///< output head(s): 1 + (MTP modules if included); part of forward_linear
    [[nodiscard]] double model() const { return forward + backward; } ///< for MFU
    [[nodiscard]] double hardware() const { return forward + backward + recompute; }
};

/// FLOPs per trained token at sequence length `seq_len`. With include_mtp, each of the
/// mtp_modules adds its projection, its transformer block and one more pass through the output
/// head; forward = forward_linear + forward_attention.
FlopsPerToken flops_per_token(const ModelSpec& model, int seq_len, Recompute recompute, bool causal = true,
                              bool include_mtp = true);

} // namespace tcsim::workload
