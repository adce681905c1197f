// A transformer's architecture: what determines its parameters and FLOPs.
#pragma once

#include "hardware/dtype.hpp"

#include <string>

namespace tcsim::workload {

enum class AttentionKind {
    mha, ///< multi-head: kv_heads == heads
    gqa, ///< grouped-query: kv_heads < heads
    mla, ///< multi-head latent attention (DeepSeek-V2/V3): low-rank Q and KV projections
};

struct AttentionSpec {
    AttentionKind kind = AttentionKind::mha;
    int heads = 0;
    int kv_heads = 0; ///< MHA/GQA
    int head_dim = 0; ///< MHA/GQA: per-head dimension of Q, K and V
    bool qkv_bias = false;
    // MLA only (DeepSeek-V3 config names):
    int q_lora_rank = 0; ///< 0 = Q projected directly from the hidden state
    int kv_lora_rank = 0;
    int qk_nope_head_dim = 0;
    int qk_rope_head_dim = 0;
    int v_head_dim = 0;

    /// Per-head dimension of queries and keys (MLA: nope + rope).
    [[nodiscard]] int qk_head_dim() const {
        return kind == AttentionKind::mla ? qk_nope_head_dim + qk_rope_head_dim : head_dim;
    }
    [[nodiscard]] int v_dim() const { return kind == AttentionKind::mla ? v_head_dim : head_dim; }
};

struct FfnSpec {
    bool gated = true; ///< SwiGLU-style (3 matrices) vs GeLU MLP (2 matrices)
    bool bias = false;
    int dense_intermediate = 0; ///< width of the dense FFN
    // Mixture of experts (all zero for a dense model):
    int first_dense_layers = 0; ///< leading layers that keep a dense FFN
    /// After the leading dense layers, every `moe_every`-th layer is MoE, the others dense:
    /// layer i is MoE when (i + 1) % moe_every == 0 (1: all; Llama 4 Maverick's
    /// interleave_moe_layer_step = 2: layers 1, 3, 5, ...).
    int moe_every = 1;
    int routed_experts = 0;
    int shared_experts = 0;
    int expert_intermediate = 0; ///< width of each routed expert
    /// Width of the shared-expert block (0 = shared_experts x expert_intermediate; Qwen2-MoE's
    /// shared_expert_intermediate_size differs).
    int shared_expert_intermediate = 0;
    int top_k = 0;               ///< routed experts per token
    int max_nodes_per_token = 0; ///< node-limited routing (0 = unlimited)
    /// Group-limited routing (DeepSeek-V2/V3 n_group / topk_group): experts in `expert_groups`
    /// equal groups of consecutive experts; a token picks its experts from `groups_per_token` of
    /// them (0 = no group limit).
    int expert_groups = 0;
    int groups_per_token = 0;
    /// Expert capacity as a multiple of the balanced load: tokens beyond it are dropped and
    /// expert inputs padded to it (GShard, Switch; Megatron-LM --moe-expert-capacity-factor with
    /// --moe-pad-expert-input-to-capacity). 0 = dropless: every token is computed; tcsim then
    /// assumes balanced routing (each expert gets the average load).
    double capacity_factor = 0.0;
    /// Dtype of the router GEMM (Megatron-LM --moe-router-dtype); its scores are FP32 after it.
    hardware::Dtype router_dtype = hardware::Dtype::bf16;

    [[nodiscard]] bool is_moe() const { return routed_experts > 0; }
    /// Width of all shared experts together.
    [[nodiscard]] int shared_width() const {
        return shared_expert_intermediate > 0 ? shared_expert_intermediate : shared_experts * expert_intermediate;
    }
    [[nodiscard]] bool has_shared() const { return shared_width() > 0; }
    /// Expert load relative to balanced routing: the capacity factor, or 1 when dropless.
    [[nodiscard]] double load_factor() const { return capacity_factor > 0 ? capacity_factor : 1.0; }
};

enum class PositionKind { rope, learned, alibi };
enum class NormKind { rmsnorm, layernorm };

struct ModelSpec {
    std::string name;
    int layers = 0;
    int hidden = 0;
    int vocab = 0;
    bool tied_embeddings = false;
    PositionKind position = PositionKind::rope;
    int max_position = 0; ///< learned positions only: table length
    NormKind norm = NormKind::rmsnorm;
    AttentionSpec attention;
    FfnSpec ffn;
    int mtp_modules = 0; ///< DeepSeek-V3 multi-token-prediction depth
    std::string source;

    /// Whether transformer layer `layer` has an MoE FFN; the MTP modules (layer >= layers) are MoE
    /// in an MoE model (DeepSeek-V3).
    [[nodiscard]] bool is_moe_layer(int layer) const {
        if (!ffn.is_moe() || layer < ffn.first_dense_layers) return false;
        return layer >= layers || (layer + 1) % ffn.moe_every == 0;
    }
};

} // namespace tcsim::workload
