// Field names and defaults are Hugging Face transformers' (configuration_<type>.py of each
// model, v4.51-4.56): a key absent from a config.json takes the class default, so the defaults
// that change cost are written here with the class they come from.
#include "config/import_hf.hpp"

#include "config/config_error.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <sstream>

namespace tcsim::config {
namespace {

using Json = nlohmann::json;

/// Which family's block and defaults a model_type uses.
enum class Family {
    llama,
    mistral,
    mixtral,
    qwen2,
    qwen2_moe,
    qwen3,
    qwen3_moe,
    deepseek,
    gemma2,
    gemma3,
    gpt_oss,
    llama4,
    nemotron,
    gpt_neox,
    gptj
};

struct TypeEntry {
    const char* name;
    Family family;
};

constexpr TypeEntry kTypes[] = {
    {"llama", Family::llama},         {"mistral", Family::mistral},      {"mixtral", Family::mixtral},
    {"qwen2", Family::qwen2},         {"qwen2_moe", Family::qwen2_moe},  {"qwen3", Family::qwen3},
    {"qwen3_moe", Family::qwen3_moe}, {"deepseek_v2", Family::deepseek}, {"deepseek_v3", Family::deepseek},
    {"gemma2", Family::gemma2},       {"gemma3", Family::gemma3},        {"gemma3_text", Family::gemma3},
    {"gpt_oss", Family::gpt_oss},     {"llama4", Family::llama4},        {"llama4_text", Family::llama4},
    {"nemotron", Family::nemotron},   {"gpt_neox", Family::gpt_neox},    {"gptj", Family::gptj},
};

/// The model in the schema's words (workloads/*.toml keys), before it is written.
struct Model {
    int layers = 0, hidden = 0, vocab = 0;
    bool tied = false;
    std::string norm = "rmsnorm";
    bool parallel_block = false;
    int mtp_modules = 0;
    // attention
    std::string kind = "mha";
    int heads = 0, kv_heads = 0, head_dim = 0;
    bool qkv_bias = false;
    int q_lora_rank = 0, kv_lora_rank = 0, qk_nope_head_dim = 0, qk_rope_head_dim = 0, v_head_dim = 0;
    int sliding_window = 0, global_every = 0;
    bool learned_sinks = false;
    // ffn
    std::string activation = "swiglu";
    bool bias = false;
    int dense_intermediate = 0;
    int routed_experts = 0, shared_experts = 0, expert_intermediate = 0, shared_expert_intermediate = 0, top_k = 0;
    int first_dense_layers = 0, moe_every = 1, expert_groups = 0, groups_per_token = 0;
};

/// Reads one JSON object, naming `prefix + key` in every error.
class Reader {
public:
    Reader(std::string file, const Json& object, std::string prefix)
        : file_(std::move(file)), j_(object), prefix_(std::move(prefix)) {}

    [[noreturn]] void fail(const std::string& key, const std::string& problem) const {
        throw ConfigError(file_, 0, 0, prefix_ + key, problem);
    }

    /// Present and not null.
    [[nodiscard]] bool has(const std::string& key) const { return j_.contains(key) && !j_.at(key).is_null(); }
    [[nodiscard]] const Json& at(const std::string& key) const { return j_.at(key); }

    [[nodiscard]] int positive(const std::string& key) const {
        if (!has(key)) fail(key, "required field is missing (expected a positive integer)");
        return positive_value(key);
    }
    [[nodiscard]] int positive_or(const std::string& key, int fallback) const {
        return has(key) ? positive_value(key) : fallback;
    }
    [[nodiscard]] int non_negative_or(const std::string& key, int fallback) const {
        if (!has(key)) return fallback;
        const std::int64_t v = integer_value(key);
        if (v < 0) fail(key, "expected an integer >= 0, found " + j_.at(key).dump());
        return static_cast<int>(v);
    }
    [[nodiscard]] bool boolean_or(const std::string& key, bool fallback) const {
        if (!has(key)) return fallback;
        if (!j_.at(key).is_boolean()) fail(key, "expected true or false, found " + j_.at(key).dump());
        return j_.at(key).get<bool>();
    }
    [[nodiscard]] std::string string_or(const std::string& key, const std::string& fallback) const {
        if (!has(key)) return fallback;
        if (!j_.at(key).is_string()) fail(key, "expected a string, found " + j_.at(key).dump());
        return j_.at(key).get<std::string>();
    }
    [[nodiscard]] std::vector<int> integers(const std::string& key) const {
        std::vector<int> out;
        if (!has(key)) return out;
        if (!j_.at(key).is_array()) fail(key, "expected a list of integers, found " + j_.at(key).dump());
        for (const Json& v : j_.at(key)) {
            if (!v.is_number_integer() || v.get<std::int64_t>() < 0)
                fail(key, "expected a list of integers >= 0, found " + j_.at(key).dump());
            out.push_back(static_cast<int>(v.get<std::int64_t>()));
        }
        return out;
    }
    [[nodiscard]] std::vector<std::string> strings(const std::string& key) const {
        std::vector<std::string> out;
        if (!has(key)) return out;
        if (!j_.at(key).is_array()) fail(key, "expected a list of strings, found " + j_.at(key).dump());
        for (const Json& v : j_.at(key)) {
            if (!v.is_string()) fail(key, "expected a list of strings, found " + j_.at(key).dump());
            out.push_back(v.get<std::string>());
        }
        return out;
    }
    [[nodiscard]] const std::string& file() const { return file_; }
    [[nodiscard]] const std::string& prefix() const { return prefix_; }

private:
    [[nodiscard]] std::int64_t integer_value(const std::string& key) const {
        const Json& v = j_.at(key);
        // 1e5-style floats that are whole numbers are integers to Python's json too.
        if (v.is_number_float() && std::floor(v.get<double>()) == v.get<double>() && std::abs(v.get<double>()) < 1e15)
            return static_cast<std::int64_t>(v.get<double>());
        if (!v.is_number_integer()) fail(key, "expected an integer, found " + v.dump());
        return v.get<std::int64_t>();
    }
    [[nodiscard]] int positive_value(const std::string& key) const {
        const std::int64_t v = integer_value(key);
        if (v <= 0 || v > 1'000'000'000) fail(key, "expected a positive integer, found " + j_.at(key).dump());
        return static_cast<int>(v);
    }

    std::string file_;
    const Json& j_;
    std::string prefix_;
};

/// The notes written at the top of the output, one per field read but not represented.
using Notes = std::vector<std::string>;

void note_if(const Reader& r, const std::string& key, const std::string& why, Notes& notes) {
    if (r.has(key)) notes.push_back(r.prefix() + key + " = " + r.at(key).dump() + ": " + why);
}

/// Activation of a gated MLP (gate, up, down: 3 matrices) from HF's hidden_act.
std::string gated_activation(const Reader& r, const std::string& key, const std::string& fallback) {
    const std::string act = r.string_or(key, fallback);
    if (act == "silu" || act == "swish") return "swiglu";
    if (act == "gelu" || act == "gelu_pytorch_tanh" || act == "gelu_new" || act == "gelu_fast") return "geglu";
    r.fail(key, "expected \"silu\" (SwiGLU) or a GELU (GeGLU) for this gated MLP, found \"" + act + "\"");
}

/// Activation of a plain MLP (up, down: 2 matrices) from HF's hidden_act.
std::string plain_activation(const Reader& r, const std::string& key, const std::string& fallback) {
    const std::string act = r.string_or(key, fallback);
    if (act == "relu2") return "squared-relu";
    if (act == "relu") return "relu";
    if (act == "silu" || act == "swish") return "silu";
    if (act == "gelu" || act == "gelu_new" || act == "gelu_fast" || act == "gelu_pytorch_tanh") return "gelu";
    r.fail(key, "expected one of \"relu2\", \"relu\", \"silu\", \"gelu\", \"gelu_new\", \"gelu_fast\", "
                "\"gelu_pytorch_tanh\", found \"" +
                    act + "\"");
}

/// Heads, KV heads and head_dim as llama-like configs give them.
void read_heads(const Reader& r, Model& m, const std::string& head_dim_key = "head_dim") {
    m.heads = r.positive("num_attention_heads");
    m.kv_heads = r.positive_or("num_key_value_heads", m.heads);
    if (m.heads % m.kv_heads != 0)
        r.fail("num_key_value_heads", "expected a divisor of num_attention_heads (" + std::to_string(m.heads) +
                                          "), found " + std::to_string(m.kv_heads));
    if (r.has(head_dim_key)) {
        m.head_dim = r.positive(head_dim_key);
    } else {
        if (m.hidden % m.heads != 0)
            r.fail(head_dim_key, "required field is missing and hidden_size (" + std::to_string(m.hidden) +
                                     ") is not a multiple of num_attention_heads (" + std::to_string(m.heads) +
                                     ") to derive it");
        m.head_dim = m.hidden / m.heads;
    }
    m.kind = m.kv_heads == m.heads ? "mha" : "gqa";
}

/// Layer i is global when (i + 1) % K == 0, else windowed: the K of a list of layer types.
int global_every_from(const Reader& r, const std::vector<std::string>& types, int layers) {
    if (static_cast<int>(types.size()) != layers)
        r.fail("layer_types",
               "expected one entry per layer (" + std::to_string(layers) + "), found " + std::to_string(types.size()));
    int first_global = -1;
    for (int i = 0; i < layers; ++i) {
        const std::string& t = types[static_cast<std::size_t>(i)];
        if (t != "sliding_attention" && t != "full_attention")
            r.fail("layer_types", "expected \"sliding_attention\" or \"full_attention\" per layer, found \"" + t +
                                      "\" at layer " + std::to_string(i));
        if (t == "full_attention" && first_global < 0) first_global = i;
    }
    if (first_global < 0) return 0; // every layer windowed
    const int k = first_global + 1;
    for (int i = 0; i < layers; ++i) {
        const bool global = types[static_cast<std::size_t>(i)] == "full_attention";
        if (global != ((i + 1) % k == 0))
            r.fail("layer_types", "tcsim represents windowed layers with one global layer every K (layer i global "
                                  "when (i + 1) % K == 0); this pattern is not one (layer " +
                                      std::to_string(i) + " breaks K = " + std::to_string(k) + ")");
    }
    return k == 1 ? -1 : k; // -1: every layer global, no window at all
}

/// Leading dense layers from Qwen's mlp_only_layers (must be 0, 1, ..., k-1).
int leading_dense_layers(const Reader& r, const std::string& key) {
    std::vector<int> layers = r.integers(key);
    std::sort(layers.begin(), layers.end());
    for (std::size_t i = 0; i < layers.size(); ++i)
        if (layers[i] != static_cast<int>(i))
            r.fail(key, "tcsim represents dense layers among MoE layers only as leading layers (0, 1, ..., k-1), "
                        "found " +
                            r.at(key).dump());
    return static_cast<int>(layers.size());
}

void read_common(const Reader& r, Model& m, bool tied_default) {
    m.layers = r.positive("num_hidden_layers");
    m.hidden = r.positive("hidden_size");
    m.vocab = r.positive("vocab_size");
    m.tied = r.boolean_or("tie_word_embeddings", tied_default);
}

void read_rope_notes(const Reader& r, Notes& notes) {
    note_if(r, "rope_scaling", "RoPE scaling changes positions, not parameters or FLOPs", notes);
    note_if(r, "rope_parameters", "RoPE parameters change positions, not parameters or FLOPs", notes);
}

// ---- families -------------------------------------------------------------------------------

// LlamaConfig: tie_word_embeddings=False, hidden_act="silu", attention_bias=False, mlp_bias=False.
void read_llama(const Reader& r, Model& m, Notes& notes) {
    read_common(r, m, false);
    read_heads(r, m);
    m.qkv_bias = r.boolean_or("attention_bias", false);
    m.bias = r.boolean_or("mlp_bias", false);
    m.activation = gated_activation(r, "hidden_act", "silu");
    m.dense_intermediate = r.positive("intermediate_size");
    read_rope_notes(r, notes);
}

// MistralConfig / MixtralConfig: tie_word_embeddings=False, sliding_window=4096 in the class but
// every released config gives it (null: no window).
void read_mistral(const Reader& r, Model& m, Notes& notes, bool moe) {
    read_common(r, m, false);
    read_heads(r, m);
    m.activation = gated_activation(r, "hidden_act", "silu");
    if (r.has("sliding_window")) m.sliding_window = r.positive("sliding_window");
    if (moe) {
        m.routed_experts = r.positive("num_local_experts");
        m.top_k = r.positive("num_experts_per_tok");
        m.expert_intermediate = r.positive("intermediate_size");
        note_if(r, "router_jitter_noise", "router noise does not change cost", notes);
    } else {
        m.dense_intermediate = r.positive("intermediate_size");
    }
    read_rope_notes(r, notes);
}

// Qwen2Config / Qwen3Config (+ MoE): tie_word_embeddings=False; Qwen2 biases Q, K and V always;
// Qwen3 has attention_bias (default False) and per-head QK RMSNorms.
void read_qwen(const Reader& r, Model& m, Notes& notes, Family f) {
    read_common(r, m, false);
    read_heads(r, m);
    const bool qwen2 = f == Family::qwen2 || f == Family::qwen2_moe;
    m.qkv_bias = qwen2 ? true : r.boolean_or("attention_bias", false);
    m.activation = gated_activation(r, "hidden_act", "silu");
    if (r.boolean_or("use_sliding_window", false))
        r.fail("use_sliding_window", "a sliding window on the layers from max_window_layers on cannot be represented "
                                     "(tcsim windows every layer or all but every K-th); expected false");
    if (r.has("sliding_window") || r.has("max_window_layers"))
        notes.push_back(r.prefix() + "sliding_window / max_window_layers: unused, use_sliding_window is false");
    if (!qwen2) notes.push_back("Qwen3's per-head QK RMSNorms (2 x head_dim weights per layer) are not counted");
    const bool moe = f == Family::qwen2_moe || f == Family::qwen3_moe;
    if (!moe) {
        m.dense_intermediate = r.positive("intermediate_size");
    } else {
        m.routed_experts = r.positive("num_experts");
        m.top_k = r.positive("num_experts_per_tok");
        m.expert_intermediate = r.positive("moe_intermediate_size");
        m.moe_every = r.positive_or("decoder_sparse_step", 1);
        m.first_dense_layers = leading_dense_layers(r, "mlp_only_layers");
        if (m.first_dense_layers > 0 || m.moe_every > 1) m.dense_intermediate = r.positive("intermediate_size");
        if (f == Family::qwen2_moe && r.has("shared_expert_intermediate_size")) {
            m.shared_experts = 1;
            m.shared_expert_intermediate = r.positive("shared_expert_intermediate_size");
            notes.push_back("Qwen2-MoE's shared_expert_gate (hidden_size weights per layer) is not counted");
        }
        note_if(r, "norm_topk_prob", "renormalising the top-k weights does not change cost", notes);
    }
    read_rope_notes(r, notes);
}

// DeepseekV2Config / DeepseekV3Config: MLA; moe_layer_freq=1, first_k_dense_replace=0.
void read_deepseek(const Reader& r, Model& m, Notes& notes) {
    read_common(r, m, false);
    m.kind = "mla";
    m.heads = r.positive("num_attention_heads");
    m.kv_heads = m.heads;
    m.qkv_bias = r.boolean_or("attention_bias", false);
    m.q_lora_rank = r.non_negative_or("q_lora_rank", 0); // null: Q projected directly (V2-Lite)
    m.kv_lora_rank = r.positive("kv_lora_rank");
    m.qk_nope_head_dim = r.positive("qk_nope_head_dim");
    m.qk_rope_head_dim = r.positive("qk_rope_head_dim");
    m.v_head_dim = r.positive("v_head_dim");
    m.activation = gated_activation(r, "hidden_act", "silu");
    m.mtp_modules = r.non_negative_or("num_nextn_predict_layers", 0);
    if (!r.has("n_routed_experts")) {
        m.dense_intermediate = r.positive("intermediate_size");
        read_rope_notes(r, notes);
        return;
    }
    m.routed_experts = r.positive("n_routed_experts");
    m.top_k = r.positive("num_experts_per_tok");
    m.expert_intermediate = r.positive("moe_intermediate_size");
    m.shared_experts = r.non_negative_or("n_shared_experts", 0);
    m.first_dense_layers = r.non_negative_or("first_k_dense_replace", 0);
    if (r.positive_or("moe_layer_freq", 1) != 1)
        r.fail("moe_layer_freq", "DeepSeek's MoE every k-th layer (layer_idx % k == 0) is not tcsim's interleaving "
                                 "((i + 1) % k == 0); expected 1, found " +
                                     r.at("moe_layer_freq").dump());
    if (m.first_dense_layers > 0) m.dense_intermediate = r.positive("intermediate_size");
    const std::string method = r.string_or("topk_method", "greedy");
    if (method == "group_limited_greedy" || method == "noaux_tc") {
        m.expert_groups = r.positive("n_group");
        m.groups_per_token = r.positive("topk_group");
        if (m.expert_groups == 1) m.expert_groups = m.groups_per_token = 0; // one group: no limit
    } else if (method != "greedy") {
        r.fail("topk_method",
               "expected \"greedy\", \"group_limited_greedy\" or \"noaux_tc\", found \"" + method + "\"");
    }
    note_if(r, "routed_scaling_factor", "scaling the routed output does not change cost", notes);
    note_if(r, "scoring_func", "the gate's score function is elementwise", notes);
    note_if(r, "quantization_config",
            "the released weights' quantization is not the training precision "
            "(set gemm_dtype in [training])",
            notes);
    read_rope_notes(r, notes);
}

// Gemma2Config: tie_word_embeddings=True, hidden_activation="gelu_pytorch_tanh", layer i
// windowed when i % 2 == 0. Gemma3TextConfig (v4.50): vocab_size=262_208,
// hidden_activation="gelu_pytorch_tanh", tie_word_embeddings=True, sliding_window_pattern=6
// (layer i global when (i + 1) % 6 == 0); later versions give layer_types instead.
void read_gemma(const Reader& r, Model& m, Notes& notes, bool gemma3) {
    m.layers = r.positive("num_hidden_layers");
    m.hidden = r.positive("hidden_size");
    m.vocab = gemma3 ? r.positive_or("vocab_size", 262208) : r.positive("vocab_size");
    m.tied = r.boolean_or("tie_word_embeddings", true);
    read_heads(r, m);
    m.qkv_bias = r.boolean_or("attention_bias", false);
    m.activation =
        gated_activation(r, r.has("hidden_activation") ? "hidden_activation" : "hidden_act", "gelu_pytorch_tanh");
    m.dense_intermediate = r.positive("intermediate_size");
    m.sliding_window = r.positive_or("sliding_window", 4096);
    if (r.has("layer_types")) {
        m.global_every = global_every_from(r, r.strings("layer_types"), m.layers);
    } else {
        m.global_every = gemma3 ? r.positive_or("sliding_window_pattern", 6) : 2;
    }
    if (m.global_every < 0) m.sliding_window = m.global_every = 0; // every layer global
    notes.push_back("Gemma's post-attention and post-FFN norms" + std::string(gemma3 ? " and QK norms" : "") +
                    " (a few hidden_size weights per layer) are not counted");
    note_if(r, "query_pre_attn_scalar", "the query scale does not change cost", notes);
    note_if(r, "attn_logit_softcapping", "soft-capping is elementwise", notes);
    note_if(r, "final_logit_softcapping", "soft-capping is elementwise", notes);
    note_if(r, "rope_local_base_freq", "RoPE bases change positions, not cost", notes);
    read_rope_notes(r, notes);
}

// GptOssConfig: 36/24 layers alternating sliding (128) and full attention, learned sinks in
// every layer, biased attention and experts, tie_word_embeddings=False.
void read_gpt_oss(const Reader& r, Model& m, Notes& notes) {
    read_common(r, m, false);
    read_heads(r, m);
    m.qkv_bias = r.boolean_or("attention_bias", true);
    m.bias = true; // the experts' gate_up_proj_bias and down_proj_bias
    m.activation = "swiglu";
    m.learned_sinks = true;
    m.sliding_window = r.positive("sliding_window");
    if (r.has("layer_types")) {
        m.global_every = global_every_from(r, r.strings("layer_types"), m.layers);
        if (m.global_every < 0) m.sliding_window = m.global_every = 0;
    } else {
        m.global_every = 2; // GptOssConfig's default: sliding, full, sliding, full, ...
    }
    m.routed_experts = r.positive("num_local_experts");
    m.top_k = r.has("num_experts_per_tok") ? r.positive("num_experts_per_tok") : r.positive("experts_per_token");
    m.expert_intermediate = r.positive("intermediate_size");
    note_if(r, "swiglu_limit", "the clamped SwiGLU is elementwise", notes);
    note_if(r, "quantization_config",
            "the released weights' quantization (MXFP4 experts) is not the training "
            "precision (set gemm_dtype in [training])",
            notes);
    read_rope_notes(r, notes);
}

// Llama4TextConfig: every MoE layer has 1 shared expert of intermediate_size beside the routed
// ones; dense layers use intermediate_size_mlp; MoE layers are
// range(interleave_moe_layer_step - 1, layers, step) unless moe_layers is given.
void read_llama4(const Reader& r, Model& m, Notes& notes, int seq_len) {
    read_common(r, m, false);
    read_heads(r, m);
    m.qkv_bias = r.boolean_or("attention_bias", false);
    m.activation = gated_activation(r, "hidden_act", "silu");
    m.routed_experts = r.positive("num_local_experts");
    m.top_k = r.positive("num_experts_per_tok");
    m.expert_intermediate = r.positive("intermediate_size");
    m.shared_experts = 1;
    m.moe_every = r.positive_or("interleave_moe_layer_step", 1);
    if (r.has("moe_layers")) {
        const std::vector<int> given = r.integers("moe_layers");
        std::vector<int> rule;
        for (int i = m.moe_every - 1; i < m.layers; i += m.moe_every) rule.push_back(i);
        if (given != rule)
            r.fail("moe_layers", "tcsim represents MoE layers as every interleave_moe_layer_step-th layer (" +
                                     std::to_string(m.moe_every) + "); this list is not that pattern");
    }
    if (m.moe_every > 1) m.dense_intermediate = r.positive("intermediate_size_mlp");
    if (r.has("attention_chunk_size")) {
        const int chunk = r.positive("attention_chunk_size");
        if (seq_len > chunk)
            r.fail("attention_chunk_size", "chunked local attention (chunks of " + std::to_string(chunk) +
                                               " tokens) costs less than full attention beyond one chunk and "
                                               "cannot be represented; expected a seq_len <= " +
                                               std::to_string(chunk) + ", found " + std::to_string(seq_len));
        notes.push_back(r.prefix() + "attention_chunk_size = " + std::to_string(chunk) +
                        ": chunked attention is represented as full causal attention, exact for seq_len <= " +
                        std::to_string(chunk) + " and an overestimate beyond");
    }
    note_if(r, "no_rope_layers", "NoPE layers skip RoPE, which is elementwise", notes);
    note_if(r, "use_qk_norm", "the QK L2 norm is elementwise", notes);
    read_rope_notes(r, notes);
}

// NemotronConfig: squared ReLU, LayerNorm1P, head_dim (older configs: kv_channels),
// tie_word_embeddings=False, partial_rotary_factor=0.5.
void read_nemotron(const Reader& r, Model& m, Notes& notes) {
    read_common(r, m, false);
    read_heads(r, m, r.has("head_dim") ? "head_dim" : "kv_channels");
    m.norm = "layernorm";
    m.qkv_bias = r.boolean_or("attention_bias", false);
    m.bias = r.boolean_or("mlp_bias", false);
    m.activation = plain_activation(r, "hidden_act", "relu2");
    m.dense_intermediate = r.positive("intermediate_size");
    note_if(r, "partial_rotary_factor", "partial RoPE is elementwise", notes);
    read_rope_notes(r, notes);
}

// GPTNeoXConfig: use_parallel_residual=True, hidden_act="gelu", biases on every linear layer,
// tie_word_embeddings=False.
void read_gpt_neox(const Reader& r, Model& m, Notes& notes) {
    read_common(r, m, false);
    read_heads(r, m);
    m.norm = "layernorm";
    m.qkv_bias = r.boolean_or("attention_bias", true);
    m.bias = true;
    m.parallel_block = r.boolean_or("use_parallel_residual", true);
    m.activation = plain_activation(r, "hidden_act", "gelu");
    m.dense_intermediate = r.positive("intermediate_size");
    note_if(r, "rotary_pct", "partial RoPE is elementwise", notes);
}

// GPTJConfig: n_embd, n_layer, n_head, n_inner (null: 4 x n_embd), rotary_dim,
// activation_function="gelu_new"; attention and MLP in parallel; no attention biases, MLP biases.
void read_gptj(const Reader& r, Model& m, Notes& notes) {
    m.layers = r.positive("n_layer");
    m.hidden = r.positive("n_embd");
    m.vocab = r.positive("vocab_size");
    m.tied = r.boolean_or("tie_word_embeddings", false);
    m.heads = m.kv_heads = r.positive("n_head");
    if (m.hidden % m.heads != 0)
        r.fail("n_head",
               "expected a divisor of n_embd (" + std::to_string(m.hidden) + "), found " + std::to_string(m.heads));
    m.head_dim = m.hidden / m.heads;
    m.kind = "mha";
    m.norm = "layernorm";
    m.bias = true;
    m.parallel_block = true;
    m.activation = plain_activation(r, "activation_function", "gelu_new");
    m.dense_intermediate = r.positive_or("n_inner", 4 * m.hidden);
    note_if(r, "rotary_dim", "partial RoPE is elementwise", notes);
    notes.push_back("GPT-J's output-head bias (vocab_size weights) is not counted");
}

// ---- writing --------------------------------------------------------------------------------

std::string quoted(const std::string& s) {
    std::string out = "\"";
    for (const char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out + "\"";
}

std::string number_text(double v) {
    std::ostringstream s;
    s.precision(6);
    s << v;
    return s.str();
}

/// Activations with a spelling on every branch: `gated` (true = SwiGLU, false = GeLU MLP); the
/// others need the `activation` key.
void write_activation(std::ostringstream& out, const std::string& activation) {
    if (activation == "swiglu") {
        out << "gated = true                 # SwiGLU\n";
    } else if (activation == "gelu") {
        out << "gated = false                # GeLU MLP\n";
    } else {
        out << "activation = " << quoted(activation) << '\n';
    }
}

std::string write(const Model& m, const std::string& name, const std::string& model_type, const std::string& path,
                  const Notes& notes, const HfRecipe& recipe) {
    std::ostringstream out;
    out << "# Imported by `tcsim import --hf` from " << path << " (model_type \"" << model_type << "\").\n";
    if (!notes.empty()) {
        out << "# Fields read but not represented (they do not change tcsim's parameters or FLOPs):\n";
        for (const std::string& n : notes) out << "# note: " << n << '\n';
    }
    out << "name = " << quoted(name) << '\n';
    out << "source = " << quoted("Hugging Face config.json: " + path) << "\n\n";
    out << "[model]\n";
    out << "name = " << quoted(name) << '\n';
    out << "layers = " << m.layers << '\n';
    out << "hidden = " << m.hidden << '\n';
    out << "vocab = " << m.vocab << '\n';
    out << "tied_embeddings = " << (m.tied ? "true" : "false") << '\n';
    out << "position = \"rope\"\n";
    out << "norm = " << quoted(m.norm) << '\n';
    if (m.parallel_block) out << "parallel_block = true\n";
    if (m.mtp_modules > 0) out << "mtp_modules = " << m.mtp_modules << '\n';
    out << "\n[model.attention]\n";
    out << "kind = " << quoted(m.kind) << '\n';
    out << "heads = " << m.heads << '\n';
    if (m.kind == "mla") {
        if (m.q_lora_rank > 0) out << "q_lora_rank = " << m.q_lora_rank << '\n';
        out << "kv_lora_rank = " << m.kv_lora_rank << '\n';
        out << "qk_nope_head_dim = " << m.qk_nope_head_dim << '\n';
        out << "qk_rope_head_dim = " << m.qk_rope_head_dim << '\n';
        out << "v_head_dim = " << m.v_head_dim << '\n';
    } else {
        if (m.kind == "gqa") out << "kv_heads = " << m.kv_heads << '\n';
        out << "head_dim = " << m.head_dim << '\n';
    }
    if (m.qkv_bias) out << "qkv_bias = true\n";
    if (m.sliding_window > 0) out << "sliding_window = " << m.sliding_window << '\n';
    if (m.global_every > 0) out << "global_every = " << m.global_every << '\n';
    if (m.learned_sinks) out << "learned_sinks = true\n";
    out << "\n[model.ffn]\n";
    write_activation(out, m.activation);
    if (m.bias) out << "bias = true\n";
    if (m.dense_intermediate > 0) out << "dense_intermediate = " << m.dense_intermediate << '\n';
    if (m.routed_experts > 0) {
        if (m.first_dense_layers > 0) out << "first_dense_layers = " << m.first_dense_layers << '\n';
        if (m.moe_every > 1) out << "moe_every = " << m.moe_every << '\n';
        out << "routed_experts = " << m.routed_experts << '\n';
        if (m.shared_experts > 0) out << "shared_experts = " << m.shared_experts << '\n';
        out << "expert_intermediate = " << m.expert_intermediate << '\n';
        if (m.shared_expert_intermediate > 0)
            out << "shared_expert_intermediate = " << m.shared_expert_intermediate << '\n';
        out << "top_k = " << m.top_k << '\n';
        if (m.expert_groups > 0) {
            out << "expert_groups = " << m.expert_groups << '\n';
            out << "groups_per_token = " << m.groups_per_token << '\n';
        }
    }
    if (recipe.complete()) {
        out << "\n[training]\n";
        out << "tokens = " << number_text(recipe.tokens) << '\n';
        out << "seq_len = " << recipe.seq_len << '\n';
        out << "global_batch_sequences = " << recipe.global_batch_sequences << '\n';
        out << "\n[parallel]\n";
        out << "tp = " << recipe.tp << '\n';
        out << "pp = " << recipe.pp << '\n';
        out << "dp = " << recipe.dp << '\n';
        if (recipe.ep > 0) out << "ep = " << recipe.ep << '\n';
    } else {
        out << "\n# The config.json says nothing of training. Fill these in (see workloads/*.toml), or give\n"
               "# --tokens, --seq-len, --global-batch, --tp, --pp and --dp to `tcsim import`:\n"
               "# [training]\n"
               "# tokens = 1.0e12                # training tokens\n"
               "# seq_len = 4096\n"
               "# global_batch_sequences = 1024\n"
               "# gemm_dtype = \"bf16\"\n"
               "#\n"
               "# [parallel]\n"
               "# tp = 8\n"
               "# pp = 1\n"
               "# dp = 1\n";
        if (m.routed_experts > 0) out << "# ep = 8\n";
    }
    return out.str();
}

/// 1-based line and column of byte `offset` in `text`.
std::pair<int, int> position_of(const std::string& text, std::size_t offset) {
    int line = 1, column = 1;
    for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return {line, column};
}

std::string default_name(const Json& root, const std::string& path) {
    if (root.contains("_name_or_path") && root.at("_name_or_path").is_string() &&
        !root.at("_name_or_path").get<std::string>().empty())
        return root.at("_name_or_path").get<std::string>();
    std::string stem = path;
    if (const auto slash = stem.find_last_of('/'); slash != std::string::npos) stem = stem.substr(slash + 1);
    if (const auto dot = stem.rfind(".json"); dot != std::string::npos && dot + 5 == stem.size())
        stem = stem.substr(0, dot);
    return stem;
}

} // namespace

const std::vector<std::string>& supported_hf_model_types() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> out;
        for (const TypeEntry& t : kTypes) out.emplace_back(t.name);
        return out;
    }();
    return names;
}

std::string import_hf(const ConfigFiles& files, const std::string& path, const HfRecipe& recipe) {
    const std::string text = files.read(path);
    Json root;
    try {
        root = Json::parse(text);
    } catch (const Json::parse_error& e) {
        const auto [line, column] = position_of(text, e.byte > 0 ? e.byte - 1 : 0);
        // nlohmann's message ends with what it found: "...: syntax error while parsing ... - unexpected '}'; ..."
        const std::string what = e.what();
        const std::size_t detail = what.find(": syntax error");
        throw ConfigError(path, line, column, "",
                          "not valid JSON (expected a Hugging Face config.json)" +
                              (detail == std::string::npos ? std::string() : what.substr(detail)));
    }
    if (!root.is_object()) throw ConfigError(path, "expected one JSON object (a Hugging Face config.json)");
    const Reader top(path, root, "");
    if (!top.has("model_type"))
        top.fail("model_type", "required field is missing (expected a model type, e.g. \"llama\")");
    const std::string model_type = top.string_or("model_type", "");
    const TypeEntry* entry = nullptr;
    for (const TypeEntry& t : kTypes)
        if (model_type == t.name) entry = &t;
    if (entry == nullptr) {
        std::string list;
        for (const std::string& n : supported_hf_model_types()) list += (list.empty() ? "\"" : ", \"") + n + "\"";
        top.fail("model_type", "expected one of " + list + ", found \"" + model_type + "\"");
    }

    Notes notes;
    // Multimodal configs hold the language model in text_config.
    const bool nested = model_type == "gemma3" || model_type == "llama4";
    if (nested && !(root.contains("text_config") && root.at("text_config").is_object()))
        top.fail("text_config", "required field is missing (a " + model_type +
                                    " config holds its language model in a text_config object)");
    const Json& body = nested ? root.at("text_config") : root;
    const Reader r(path, body, nested ? "text_config." : "");
    if (nested && top.has("vision_config"))
        notes.push_back("vision_config: the vision encoder and projector are not imported (text model only)");

    Model m;
    switch (entry->family) {
    case Family::llama: read_llama(r, m, notes); break;
    case Family::mistral: read_mistral(r, m, notes, false); break;
    case Family::mixtral: read_mistral(r, m, notes, true); break;
    case Family::qwen2:
    case Family::qwen2_moe:
    case Family::qwen3:
    case Family::qwen3_moe: read_qwen(r, m, notes, entry->family); break;
    case Family::deepseek: read_deepseek(r, m, notes); break;
    case Family::gemma2: read_gemma(r, m, notes, false); break;
    case Family::gemma3: read_gemma(r, m, notes, true); break;
    case Family::gpt_oss: read_gpt_oss(r, m, notes); break;
    case Family::llama4: read_llama4(r, m, notes, recipe.seq_len); break;
    case Family::nemotron: read_nemotron(r, m, notes); break;
    case Family::gpt_neox: read_gpt_neox(r, m, notes); break;
    case Family::gptj: read_gptj(r, m, notes); break;
    }
    if (m.routed_experts > 0) {
        if (m.top_k > m.routed_experts)
            r.fail(entry->family == Family::gpt_oss && !r.has("num_experts_per_tok") ? "experts_per_token"
                                                                                     : "num_experts_per_tok",
                   "expected at most the number of experts (" + std::to_string(m.routed_experts) + "), found " +
                       std::to_string(m.top_k));
        if (m.first_dense_layers >= m.layers)
            r.fail(entry->family == Family::deepseek ? "first_k_dense_replace" : "mlp_only_layers",
                   "expected fewer dense layers than num_hidden_layers (" + std::to_string(m.layers) + ")");
    }
    const std::string name = recipe.name.empty() ? default_name(root, path) : recipe.name;
    return write(m, name, model_type, path, notes, recipe);
}

} // namespace tcsim::config
