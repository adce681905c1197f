// A transformer's architecture: what determines its parameters and FLOPs.
#pragma once

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
    int routed_experts = 0;
    int shared_experts = 0;
    int expert_intermediate = 0; ///< width of each routed and shared expert
    int top_k = 0;               ///< routed experts per token
    int max_nodes_per_token = 0; ///< node-limited routing (0 = unlimited)

    [[nodiscard]] bool is_moe() const { return routed_experts > 0; }
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

    [[nodiscard]] bool is_moe_layer(int layer) const { return ffn.is_moe() && layer >= ffn.first_dense_layers; }
};

} // namespace tcsim::workload
