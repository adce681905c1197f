// Parameter and FLOP counting. The header states the conventions; this file says why.
//
// Why count from the architecture and not from "6N": 6N is the FLOPs of the weight matmuls
// only. It leaves out the attention core (which grows with sequence length and is ~12% of
// DeepSeek-V3's training FLOPs at 4K context), it is wrong for MoE unless N is the *active*
// count, and for tied embeddings it drops the output head. The step simulator schedules
// per-layer kernels and MFU divides model FLOPs by time; both come from the functions below,
// so they cannot disagree.
//
// All arithmetic is in double: counts reach 1e12 (parameters) and 1e15 (FLOPs per sequence)
// where int overflows, and every product of spec fields is exact in a double below 2^53.

#include "workload/model_math.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace tcsim::workload {
namespace {

void require(bool ok, const ModelSpec& model, const char* what) {
    if (!ok) {
        throw std::invalid_argument("model '" + model.name + "': " + what);
    }
}

void validate(const ModelSpec& model) {
    require(model.layers > 0, model, "layers must be > 0");
    require(model.hidden > 0, model, "hidden must be > 0");
    require(model.vocab > 0, model, "vocab must be > 0");
    require(model.mtp_modules >= 0, model, "mtp_modules must be >= 0");
    require(model.position != PositionKind::learned || model.max_position > 0, model,
            "learned positions need max_position > 0");
    const AttentionSpec& a = model.attention;
    require(a.heads > 0, model, "attention.heads must be > 0");
    if (a.kind == AttentionKind::mla) {
        require(a.q_lora_rank >= 0, model, "attention.q_lora_rank must be >= 0");
        require(a.kv_lora_rank > 0, model, "attention.kv_lora_rank must be > 0");
        require(a.qk_nope_head_dim >= 0 && a.qk_rope_head_dim >= 0 && a.qk_head_dim() > 0, model,
                "attention: MLA qk_nope_head_dim + qk_rope_head_dim must be > 0");
        require(a.v_head_dim > 0, model, "attention.v_head_dim must be > 0");
    } else {
        require(a.head_dim > 0, model, "attention.head_dim must be > 0");
        require(a.kv_heads > 0 && a.kv_heads <= a.heads && a.heads % a.kv_heads == 0, model,
                "attention.kv_heads must divide heads");
        require(a.kind != AttentionKind::mha || a.kv_heads == a.heads, model, "attention: MHA needs kv_heads == heads");
    }
    require(a.sliding_window >= 0, model, "attention.sliding_window must be >= 0");
    require(a.global_every >= 0, model, "attention.global_every must be >= 0");
    require(a.sink_tokens >= 0, model, "attention.sink_tokens must be >= 0");
    require(a.sliding_window > 0 || (a.global_every == 0 && a.sink_tokens == 0), model,
            "attention.global_every and attention.sink_tokens need a sliding_window");
    require(!model.parallel_block || !model.ffn.is_moe(), model, "parallel_block needs a dense FFN");
    const FfnSpec& f = model.ffn;
    require(f.first_dense_layers >= 0 && f.first_dense_layers <= model.layers, model,
            "ffn.first_dense_layers must be in [0, layers]");
    const bool any_dense = !f.is_moe() || f.first_dense_layers > 0 || f.moe_every > 1;
    require(!any_dense || f.dense_intermediate > 0, model, "ffn.dense_intermediate must be > 0");
    if (f.is_moe()) {
        require(f.expert_intermediate > 0, model, "ffn.expert_intermediate must be > 0");
        require(f.top_k >= 1 && f.top_k <= f.routed_experts, model, "ffn.top_k must be in [1, routed_experts]");
        require(f.shared_experts >= 0, model, "ffn.shared_experts must be >= 0");
        require(f.moe_every >= 1, model, "ffn.moe_every must be >= 1");
        require(f.capacity_factor >= 0, model, "ffn.capacity_factor must be >= 0");
    }
}

void require_seq_len(const ModelSpec& model, int seq_len) { require(seq_len > 0, model, "seq_len must be > 0"); }

double norm_params(const ModelSpec& model) {
    // RMSNorm: a scale per channel. LayerNorm: scale and shift.
    const double h = model.hidden;
    return model.norm == NormKind::layernorm ? 2.0 * h : h;
}

// Weights of one layer's attention projections that multiply each token (no biases, no norms):
// twice this is the layer's attention_linear FLOPs.
double attention_matmul_weights(const ModelSpec& model) {
    const AttentionSpec& a = model.attention;
    const double h = model.hidden;
    const double heads = a.heads;
    if (a.kind == AttentionKind::mla) {
        // DeepSeek-V2/V3 MLA in training: Q through a low-rank bottleneck (q_a, q_b) unless
        // q_lora_rank == 0; K and V from a shared latent c_kv (kv_a, which also emits the
        // decoupled RoPE key shared by all heads), expanded per head by kv_b. The "absorbed"
        // form that folds kv_b into q and o is an inference trick; training runs kv_b.
        const double qk = a.qk_head_dim();
        const double q = a.q_lora_rank > 0 ? h * a.q_lora_rank + double(a.q_lora_rank) * heads * qk : h * heads * qk;
        const double kv_a = h * (double(a.kv_lora_rank) + a.qk_rope_head_dim);
        const double kv_b = double(a.kv_lora_rank) * heads * (double(a.qk_nope_head_dim) + a.v_head_dim);
        const double o = heads * a.v_head_dim * h;
        return q + kv_a + kv_b + o;
    }
    const double q_width = heads * a.head_dim;
    const double kv_width = double(a.kv_heads) * a.head_dim;
    return h * q_width + 2.0 * h * kv_width + q_width * h;
}

// Parameters of one layer's attention that are not matmul weights: biases and MLA's norms.
double attention_other_params(const ModelSpec& model) {
    const AttentionSpec& a = model.attention;
    if (a.kind == AttentionKind::mla) {
        // q_a_layernorm (only with a Q bottleneck) and kv_a_layernorm are RMSNorms over the
        // latents in DeepSeek's code, whatever the model's main norm kind.
        return double(a.q_lora_rank) + a.kv_lora_rank + (a.learned_sinks ? double(a.heads) : 0.0);
    }
    // gpt-oss's learned sinks: one logit per head.
    double params = a.learned_sinks ? double(a.heads) : 0.0;
    if (a.qkv_bias) {
        params += double(a.heads) * a.head_dim + 2.0 * a.kv_heads * a.head_dim;
        if (model.ffn.bias) {
            params += model.hidden; // GPT-2/3-style models bias the output projection too
        }
    }
    return params;
}

// One FFN of width `inter` (a dense FFN or one expert).
double ffn_matmul_weights(const ModelSpec& model, int inter) {
    const double mats = is_gated(model.ffn.activation) ? 3.0 : 2.0; // gate, up, down vs up, down
    return mats * model.hidden * inter;
}

double ffn_bias_params(const ModelSpec& model, int inter) {
    if (!model.ffn.bias) {
        return 0;
    }
    const double up_bias = (is_gated(model.ffn.activation) ? 2.0 : 1.0) * inter;
    return up_bias + model.hidden;
}

struct MoeLayerParams {
    double routed = 0;
    double shared = 0;
    double router = 0;
};

MoeLayerParams moe_layer_params(const ModelSpec& model) {
    const FfnSpec& f = model.ffn;
    const double expert =
        ffn_matmul_weights(model, f.expert_intermediate) + ffn_bias_params(model, f.expert_intermediate);
    const double shared = f.shared_expert_intermediate > 0 ? ffn_matmul_weights(model, f.shared_expert_intermediate) +
                                                                 ffn_bias_params(model, f.shared_expert_intermediate)
                                                           : expert * f.shared_experts;
    return {.routed = expert * f.routed_experts, .shared = shared, .router = double(model.hidden) * f.routed_experts};
}

// Pre-norms per transformer layer: attention's and the FFN's, or the one a parallel block shares.
double norms_per_layer(const ModelSpec& model) { return model.parallel_block ? 1.0 : 2.0; }

double dense_ffn_params(const ModelSpec& model) {
    return ffn_matmul_weights(model, model.ffn.dense_intermediate) +
           ffn_bias_params(model, model.ffn.dense_intermediate);
}

// Parameters of one transformer block as used in an MTP module: attention, two pre-norms and
// an FFN that is MoE when the model is (DeepSeek-V3's MTP block is a MoE block).
double transformer_block_params(const ModelSpec& model, bool moe) {
    double params =
        attention_matmul_weights(model) + attention_other_params(model) + norms_per_layer(model) * norm_params(model);
    if (moe) {
        const MoeLayerParams m = moe_layer_params(model);
        params += m.routed + m.shared + m.router;
    } else {
        params += dense_ffn_params(model);
    }
    return params;
}

} // namespace

ParameterCounts count_parameters(const ModelSpec& model) {
    validate(model);
    const double h = model.hidden;
    const double vocab_matrix = double(model.vocab) * h;

    ParameterCounts p;
    p.embedding = vocab_matrix;
    if (model.position == PositionKind::learned) {
        p.embedding += double(model.max_position) * h;
    }
    p.output_head = model.tied_embeddings ? 0.0 : vocab_matrix;

    const double attention_per_layer = attention_matmul_weights(model) + attention_other_params(model);
    p.attention = attention_per_layer * model.layers;

    const MoeLayerParams moe = model.ffn.is_moe() ? moe_layer_params(model) : MoeLayerParams{};
    for (int layer = 0; layer < model.layers; ++layer) {
        if (model.is_moe_layer(layer)) {
            p.routed_experts += moe.routed;
            p.shared_experts += moe.shared;
            p.router += moe.router;
        } else {
            p.dense_ffn += dense_ffn_params(model);
        }
    }
    p.norms = (norms_per_layer(model) * model.layers + 1.0) * norm_params(model);

    // MTP module k (DeepSeek-V3 report Sec. 2.2): h'_i = M_k [RMSNorm(h_i); RMSNorm(Emb(t_{i+k}))],
    // M_k in R^{h x 2h}, then TRM_k, then the shared OutHead. Emb and OutHead are the main
    // model's, so only M_k, the two norms and TRM_k are new parameters.
    const double mtp_module =
        2.0 * h * h + 2.0 * norm_params(model) + transformer_block_params(model, model.ffn.is_moe());
    p.mtp = mtp_module * model.mtp_modules;

    p.total = p.embedding + p.output_head + p.attention + p.dense_ffn + p.routed_experts + p.shared_experts + p.router +
              p.norms;
    const double unused_routed =
        model.ffn.is_moe() ? p.routed_experts * (1.0 - double(model.ffn.top_k) / model.ffn.routed_experts) : 0.0;
    p.active = p.total - p.embedding - unused_routed;
    p.active_with_embedding = p.active + p.embedding;
    return p;
}

LayerParameters layer_parameters(const ModelSpec& model, int layer) {
    validate(model);
    if (layer < 0 || layer >= model.layers + model.mtp_modules)
        throw std::out_of_range("layer " + std::to_string(layer) + " outside the model's " +
                                std::to_string(model.layers + model.mtp_modules) + " layers");
    LayerParameters p;
    p.other =
        attention_matmul_weights(model) + attention_other_params(model) + norms_per_layer(model) * norm_params(model);
    if (model.is_moe_layer(layer)) {
        const MoeLayerParams m = moe_layer_params(model);
        p.routed_experts = m.routed;
        p.other += m.shared + m.router;
    } else {
        p.other += dense_ffn_params(model);
    }
    if (layer >= model.layers) p.other += 2.0 * double(model.hidden) * model.hidden + 2.0 * norm_params(model);
    return p;
}

LayerFlops layer_forward_flops_per_token(const ModelSpec& model, int layer, int seq_len, bool causal) {
    validate(model);
    require_seq_len(model, seq_len);
    if (layer < 0 || layer >= model.layers + model.mtp_modules) {
        throw std::out_of_range("model '" + model.name + "': layer " + std::to_string(layer) + " outside [0, " +
                                std::to_string(model.layers + model.mtp_modules) + ")");
    }
    const AttentionSpec& a = model.attention;
    const FfnSpec& f = model.ffn;
    const double h = model.hidden;

    LayerFlops out;
    out.attention_linear = 2.0 * attention_matmul_weights(model);

    // Each query scores s_eff keys and mixes s_eff values (mean_keys_per_query says how many).
    const double s_eff = mean_keys_per_query(model, layer, seq_len, causal);
    out.attention_core = 2.0 * s_eff * a.heads * (double(a.qk_head_dim()) + a.v_dim());

    // Layers past the main model are the MTP modules' blocks: MoE whenever the model is.
    const bool moe = layer >= model.layers ? f.is_moe() : model.is_moe_layer(layer);
    if (moe) {
        out.ffn = 2.0 * (f.top_k * ffn_matmul_weights(model, f.expert_intermediate) +
                         ffn_matmul_weights(model, f.shared_width()));
        out.router = 2.0 * h * f.routed_experts;
    } else {
        out.ffn = 2.0 * ffn_matmul_weights(model, f.dense_intermediate);
    }
    return out;
}

namespace {
/// sum_{j=1..J} min(N, j): the sink keys that lie outside the windows of the J queries whose
/// window has left position 0 behind (query p, window W: keys [p - W + 1, p]; j = p - W + 1).
double sink_keys_exact(double J, double N) { return J <= N ? J * (J + 1.0) / 2.0 : N * (N + 1.0) / 2.0 + (J - N) * N; }
/// The same area as an integral, int_0^J min(N, x) dx: the continuous convention of s/2.
double sink_keys_area(double J, double N) { return J <= N ? J * J / 2.0 : N * J - N * N / 2.0; }
} // namespace

double mean_keys_per_query(const ModelSpec& model, int layer, int seq_len, bool causal) {
    validate(model);
    require_seq_len(model, seq_len);
    const double s = seq_len;
    const double W = model.attention.sliding_window;
    if (!model.is_windowed_layer(layer) || W >= s) {
        // Causal: the mean number of visible keys is (s+1)/2; a flash-style kernel skips the
        // fully masked key blocks but computes the diagonal blocks in full, so its real work is
        // a little above that. We use s/2, the convention of FlashAttention's benchmarks
        // (benchmarks/benchmark_flash_attention.py: `4 * batch * seqlen**2 * nheads * headdim
        // // (2 if causal else 1)`) and of the published DeepSeek-V3 estimate we check against,
        // so causal is exactly half of non-causal.
        return causal ? s / 2.0 : s;
    }
    if (!causal) return W; // a (non-causal) window of W keys around each query
    // The area of the causal band of width W over an s x s score matrix, in the same
    // continuous convention as s^2 / 2 for the full triangle: s W - W^2 / 2, plus the sink keys
    // outside the band. At W = s it is s^2 / 2: a window as long as the sequence is no window.
    const double J = s - W;
    return (s * W - W * W / 2.0 + sink_keys_area(J, model.attention.sink_tokens)) / s;
}

double exact_mean_keys_per_query(const ModelSpec& model, int layer, int seq_len) {
    validate(model);
    require_seq_len(model, seq_len);
    const double s = seq_len;
    const double W = model.attention.sliding_window;
    // Query p (0-based) sees min(p + 1, W) keys: sum_{p<s} = W (W + 1) / 2 + (s - W) W when
    // W < s, else s (s + 1) / 2; plus the sink keys outside its window.
    if (!model.is_windowed_layer(layer) || W >= s) return (s + 1.0) / 2.0;
    const double J = s - W;
    return (W * (W + 1.0) / 2.0 + J * W + sink_keys_exact(J, model.attention.sink_tokens)) / s;
}

int kv_heads_per_rank(const AttentionSpec& attention, int tp) {
    if (attention.kind == AttentionKind::mla) return attention.heads / tp;
    return std::max(1, attention.kv_heads / tp);
}

double replicated_kv_parameters_per_rank(const ModelSpec& model, int tp) {
    const AttentionSpec& a = model.attention;
    if (a.kind == AttentionKind::mla || tp <= a.kv_heads) return 0.0;
    // K and V weights (and biases) of one KV head, held whole by each of the tp / kv_heads
    // ranks that share it instead of split over them.
    const double per_head = 2.0 * (double(model.hidden) + (a.qkv_bias ? 1.0 : 0.0)) * a.head_dim;
    return per_head * (kv_heads_per_rank(a, tp) - double(a.kv_heads) / tp);
}

double output_head_forward_flops_per_token(const ModelSpec& model) {
    validate(model);
    // A tied head still multiplies the token by the V x h matrix: tying saves memory, not work.
    return 2.0 * model.hidden * double(model.vocab);
}

double mtp_projection_forward_flops_per_token(const ModelSpec& model) {
    validate(model);
    return 2.0 * (2.0 * model.hidden) * double(model.hidden);
}

FlopsPerToken flops_per_token(const ModelSpec& model, int seq_len, Recompute recompute, bool causal, bool include_mtp) {
    validate(model);
    require_seq_len(model, seq_len);

    const int mtp = include_mtp ? model.mtp_modules : 0;
    double layers_linear = 0;
    double layers_attention = 0;
    for (int layer = 0; layer < model.layers + mtp; ++layer) {
        const LayerFlops l = layer_forward_flops_per_token(model, layer, seq_len, causal);
        layers_linear += l.attention_linear + l.ffn + l.router;
        layers_attention += l.attention_core;
    }
    // Each MTP module projects concat(h, h) to h before its block; its prediction goes through
    // the shared output head again, so the head runs 1 + mtp times per token.
    layers_linear += mtp * mtp_projection_forward_flops_per_token(model);

    FlopsPerToken out;
    out.forward_head = (1.0 + mtp) * output_head_forward_flops_per_token(model);
    out.forward_linear = layers_linear + out.forward_head;
    out.forward_attention = layers_attention;
    out.forward = out.forward_linear + out.forward_attention;
    // Backward of a matmul Y = X W needs dX = dY W^T and dW = X^T dY: two matmuls of the
    // forward's size. The attention core likewise needs dQ, dK (through the scores) and dV, dP
    // (through the values): 2x its forward, not counting the score recomputation
    // that FlashAttention does in its backward (that is hardware work, and the model-FLOPs
    // convention for MFU leaves it out).
    out.backward = 2.0 * out.forward;
    switch (recompute) {
    case Recompute::none: out.recompute = 0; break;
    case Recompute::selective:
        // Megatron's selective recomputation (Korthikanti et al. 2022) keeps the linear
        // layers' outputs and recomputes only the attention core (QK^T, softmax, x V).
        out.recompute = out.forward_attention;
        break;
    case Recompute::full:
        // Full recomputation reruns each layer's forward from its checkpointed input before
        // that layer's backward; the output head (and the 0-FLOP embedding) is not rerun.
        out.recompute = out.forward - out.forward_head;
        break;
    }
    return out;
}

} // namespace tcsim::workload
