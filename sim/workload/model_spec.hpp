// A transformer's architecture: what determines its parameters and FLOPs.
#pragma once

#include "hardware/dtype.hpp"

#include <string>
#include <string_view>

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
    // Local attention (Mistral 7B, Gemma 2/3, gpt-oss):
    /// Keys a windowed causal query sees: itself and the window - 1 before it (0 = no window:
    /// every layer attends to the whole causal context).
    int sliding_window = 0;
    /// With a window: layer i (0-based) is global (full causal attention) when
    /// (i + 1) % global_every == 0, else windowed (0 = every layer windowed). Gemma 3: 6;
    /// gpt-oss: 2.
    int global_every = 0;
    /// StreamingLLM-style sink tokens (Xiao et al., arXiv:2309.17453): the first `sink_tokens`
    /// positions, which every windowed query also attends to beyond its window.
    int sink_tokens = 0;
    /// A learned per-head logit added to the softmax denominator (gpt-oss "sinks"): one
    /// parameter per head per layer, and no attention FLOPs worth counting (one exp and add per
    /// head per query against 2 x (qk + v) per key).
    bool learned_sinks = false;

    /// Per-head dimension of queries and keys (MLA: nope + rope).
    [[nodiscard]] int qk_head_dim() const {
        return kind == AttentionKind::mla ? qk_nope_head_dim + qk_rope_head_dim : head_dim;
    }
    [[nodiscard]] int v_dim() const { return kind == AttentionKind::mla ? v_head_dim : head_dim; }
};

/// The FFN's activation function. Gated ones (GLU variants, Shazeer arXiv:2002.05202) multiply
/// act(x W_gate) by x W_up: three matrices; the others apply act(x W_up): two.
enum class Activation {
    swiglu,       ///< SiLU(gate) * up (Llama, DeepSeek, Qwen)
    geglu,        ///< GELU(gate) * up (Gemma)
    gelu,         ///< GPT-2/3, BLOOM (the tanh approximation)
    relu,         ///< OPT, T5
    squared_relu, ///< relu(x)^2 (So et al., Primer, arXiv:2109.08668; Nemotron-4)
    silu,         ///< SiLU without a gate
};

constexpr bool is_gated(Activation a) { return a == Activation::swiglu || a == Activation::geglu; }

constexpr std::string_view to_string(Activation a) {
    switch (a) {
    case Activation::swiglu: return "swiglu";
    case Activation::geglu: return "geglu";
    case Activation::gelu: return "gelu";
    case Activation::relu: return "relu";
    case Activation::squared_relu: return "squared-relu";
    case Activation::silu: return "silu";
    }
    return "?";
}

struct FfnSpec {
    Activation activation = Activation::swiglu;
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
    /// Attention and MLP side by side on one norm's output, their outputs summed into one
    /// residual add (GPT-J, PaLM; GPT-NeoX use_parallel_residual): y = x + attn(n(x)) + mlp(n(x)).
    bool parallel_block = false;
    std::string source;

    /// Whether transformer layer `layer` has an MoE FFN; the MTP modules (layer >= layers) are MoE
    /// in an MoE model (DeepSeek-V3).
    [[nodiscard]] bool is_moe_layer(int layer) const {
        if (!ffn.is_moe() || layer < ffn.first_dense_layers) return false;
        return layer >= layers || (layer + 1) % ffn.moe_every == 0;
    }
    /// Whether transformer layer `layer` attends through the sliding window: every layer of a
    /// windowed model but the global ones ((layer + 1) % global_every == 0). The MTP modules'
    /// blocks (layer >= layers) are taken as global: no model has both.
    [[nodiscard]] bool is_windowed_layer(int layer) const {
        if (attention.sliding_window <= 0 || layer >= layers) return false;
        return attention.global_every <= 0 || (layer + 1) % attention.global_every != 0;
    }
};

} // namespace tcsim::workload
