// Keys that belong to another attention kind or to MoE models are read and refused with a
// sentence saying where they belong, rather than left to finish()'s generic "unknown key":
// `kv_lora_rank` is a real key, just not one that an MHA model can use.
#include "config/load_workload.hpp"
#include "config/workload_spellings.hpp"

#include "config/limits.hpp"
#include "config/toml_reader.hpp"
#include "workload/pipeline_layout.hpp"

#include <array>
#include <cstdint>
#include <sstream>
#include <stdexcept>

namespace tcsim::config {
namespace {

using workload::AttentionKind;
using workload::NormKind;
using workload::PipelineSchedule;
using workload::PositionKind;
using workload::Recompute;

/// As written in the file: "mqa" is GQA with one KV head.
enum class KindWord { mha, gqa, mqa, mla };

constexpr std::array<Spelling<KindWord>, 4> kAttentionKinds{{
    {"mha", KindWord::mha},
    {"gqa", KindWord::gqa},
    {"mqa", KindWord::mqa},
    {"mla", KindWord::mla},
}};

constexpr std::array<Spelling<workload::Activation>, 6> kActivations{{
    {workload::to_string(workload::Activation::swiglu), workload::Activation::swiglu},
    {workload::to_string(workload::Activation::geglu), workload::Activation::geglu},
    {workload::to_string(workload::Activation::gelu), workload::Activation::gelu},
    {workload::to_string(workload::Activation::relu), workload::Activation::relu},
    {workload::to_string(workload::Activation::squared_relu), workload::Activation::squared_relu},
    {workload::to_string(workload::Activation::silu), workload::Activation::silu},
}};

constexpr std::array<Spelling<PositionKind>, 3> kPositions{{
    {"rope", PositionKind::rope},
    {"learned", PositionKind::learned},
    {"alibi", PositionKind::alibi},
}};

constexpr std::array<Spelling<hardware::Dtype>, 2> kRouterDtypeSpellings{{
    {"bf16", hardware::Dtype::bf16},
    {"fp32", hardware::Dtype::fp32},
}};

constexpr std::array<Spelling<NormKind>, 2> kNorms{{
    {"rmsnorm", NormKind::rmsnorm},
    {"layernorm", NormKind::layernorm},
}};

std::string_view spelling_of(KindWord kind) {
    for (const auto& s : kAttentionKinds)
        if (s.value == kind) return s.text;
    return "?";
}

AttentionKind kind_of(KindWord word) {
    switch (word) {
    case KindWord::mha: return AttentionKind::mha;
    case KindWord::gqa:
    case KindWord::mqa: return AttentionKind::gqa;
    case KindWord::mla: return AttentionKind::mla;
    }
    return AttentionKind::mha;
}

/// Refuses `key` if present: it belongs to `owner` ("kind = \"mla\"", "an MoE model").
void refuse(TableReader& t, std::string_view key, const std::string& owner, const std::string& here) {
    if (t.has(key)) t.fail(key, std::string(key) + " applies only to " + owner + ", not to " + here);
}

/// Sliding window, its global layers and the sinks: the same keys for every attention kind.
void read_local_attention(TableReader& t, workload::AttentionSpec& a, int layers) {
    a.sliding_window = t.integer_or("sliding_window", 0, limits::seq_len);
    a.learned_sinks = t.boolean_or("learned_sinks", false);
    if (a.sliding_window == 0) {
        for (const auto* key : {"global_every", "sink_tokens"})
            refuse(t, key, "a model with a sliding_window", "a model without one (every layer attends globally)");
        return;
    }
    a.global_every = t.integer_or("global_every", 0, limits::layer_count_or_zero);
    if (a.global_every > layers)
        t.fail("global_every", "global_every must not exceed the model's layers (" + std::to_string(layers) +
                                   "), found " + std::to_string(a.global_every) +
                                   " (0 or absent: every layer is windowed)");
    a.sink_tokens = t.integer_or("sink_tokens", 0, IntRange{0, 100'000'000});
    if (a.sink_tokens >= a.sliding_window)
        t.fail("sink_tokens", "sink_tokens must be below sliding_window (" + std::to_string(a.sliding_window) +
                                  "), found " + std::to_string(a.sink_tokens));
}

workload::AttentionSpec read_attention(TableReader& t, int layers) {
    workload::AttentionSpec a;
    const KindWord word = t.choice("kind", kAttentionKinds);
    a.kind = kind_of(word);
    a.heads = t.integer("heads", limits::heads);
    a.qkv_bias = t.boolean_or("qkv_bias", false);
    read_local_attention(t, a, layers);
    const std::string here = "kind = \"" + std::string(spelling_of(word)) + "\"";
    if (a.kind == AttentionKind::mla) {
        for (const auto* key : {"head_dim", "kv_heads"}) refuse(t, key, "kind = \"mha\" or \"gqa\"", here);
        a.kv_heads = a.heads; // every head gets its own K and V after the up-projection
        a.q_lora_rank = t.integer_or("q_lora_rank", 0, limits::lora_rank_or_zero);
        a.kv_lora_rank = t.integer("kv_lora_rank", limits::lora_rank);
        a.qk_nope_head_dim = t.integer("qk_nope_head_dim", limits::mla_head_dim);
        a.qk_rope_head_dim = t.integer("qk_rope_head_dim", limits::mla_head_dim);
        a.v_head_dim = t.integer("v_head_dim", limits::mla_head_dim);
        return a;
    }
    for (const auto* key : {"q_lora_rank", "kv_lora_rank", "qk_nope_head_dim", "qk_rope_head_dim", "v_head_dim"})
        refuse(t, key, "kind = \"mla\"", here);
    a.head_dim = t.integer("head_dim", limits::head_dim);
    if (a.kind == AttentionKind::mha) {
        a.kv_heads = t.integer_or("kv_heads", a.heads, limits::heads);
        if (a.kv_heads != a.heads)
            t.fail("kv_heads", "multi-head attention has kv_heads = heads (" + std::to_string(a.heads) + "), found " +
                                   std::to_string(a.kv_heads) + "; use kind = \"gqa\" for fewer KV heads");
    } else if (word == KindWord::mqa) {
        a.kv_heads = t.integer_or("kv_heads", 1, limits::heads);
        if (a.kv_heads != 1)
            t.fail("kv_heads", "multi-query attention has one KV head (kv_heads = 1 or absent), found " +
                                   std::to_string(a.kv_heads) + "; use kind = \"gqa\" for more");
    } else {
        a.kv_heads = t.integer("kv_heads", limits::heads);
        if (a.heads % a.kv_heads != 0)
            t.fail("kv_heads",
                   "kv_heads must divide heads (" + std::to_string(a.heads) + "), found " + std::to_string(a.kv_heads));
    }
    return a;
}

workload::FfnSpec read_ffn(TableReader& t, int layers) {
    workload::FfnSpec f;
    // `gated` is the older spelling: true = swiglu, false = gelu. Both given must agree.
    const auto gated = t.optional_boolean("gated");
    const auto activation = t.optional_choice("activation", kActivations);
    if (gated && activation && *gated != workload::is_gated(*activation))
        t.fail("gated", std::string("gated = ") + (*gated ? "true" : "false") + " contradicts activation = \"" +
                            std::string(workload::to_string(*activation)) + "\", which is " +
                            (workload::is_gated(*activation) ? "gated" : "not gated") + "; give only activation");
    f.activation = activation ? *activation
                   : gated    ? (*gated ? workload::Activation::swiglu : workload::Activation::gelu)
                              : workload::Activation::swiglu;
    f.bias = t.boolean_or("bias", false);
    f.routed_experts = t.integer_or("routed_experts", 0, limits::routed_experts);
    if (!f.is_moe()) {
        const std::string here = "a dense model (routed_experts = 0)";
        for (const auto* key : {"shared_experts", "expert_intermediate", "top_k", "first_dense_layers",
                                "max_nodes_per_token", "shared_expert_intermediate", "moe_every", "expert_groups",
                                "groups_per_token", "capacity_factor", "router_dtype"})
            refuse(t, key, "an MoE model (routed_experts > 0)", here);
        f.dense_intermediate = t.integer("dense_intermediate", limits::intermediate);
        return f;
    }
    f.expert_intermediate = t.integer("expert_intermediate", limits::intermediate);
    f.top_k = t.integer("top_k", limits::top_k);
    if (f.top_k > f.routed_experts)
        t.fail("top_k", "top_k must not exceed routed_experts (" + std::to_string(f.routed_experts) + "), found " +
                            std::to_string(f.top_k));
    f.shared_experts = t.integer_or("shared_experts", 0, limits::shared_experts);
    f.shared_expert_intermediate = t.integer_or("shared_expert_intermediate", 0, limits::intermediate);
    if (f.shared_expert_intermediate > 0 && f.shared_experts == 0)
        t.fail("shared_expert_intermediate",
               "shared_expert_intermediate is the width of the shared experts, but shared_experts is 0; "
               "give shared_experts = 1 (or more)");
    f.first_dense_layers = t.integer_or("first_dense_layers", 0, limits::layer_count_or_zero);
    if (f.first_dense_layers >= layers)
        t.fail("first_dense_layers", "first_dense_layers must be below the model's layers (" + std::to_string(layers) +
                                         "), found " + std::to_string(f.first_dense_layers));
    f.moe_every = t.integer_or("moe_every", 1, limits::moe_every);
    if (f.moe_every > layers)
        t.fail("moe_every", "moe_every must not exceed the model's layers (" + std::to_string(layers) + "), found " +
                                std::to_string(f.moe_every));
    f.max_nodes_per_token = t.integer_or("max_nodes_per_token", 0, limits::node_count_or_zero);
    f.expert_groups = t.integer_or("expert_groups", 0, limits::expert_groups);
    if (f.expert_groups > 0) {
        if (f.routed_experts % f.expert_groups != 0)
            t.fail("expert_groups", "expert_groups must divide routed_experts (" + std::to_string(f.routed_experts) +
                                        "), found " + std::to_string(f.expert_groups));
        f.groups_per_token = t.integer("groups_per_token", limits::expert_groups);
        if (f.groups_per_token > f.expert_groups)
            t.fail("groups_per_token", "groups_per_token must not exceed expert_groups (" +
                                           std::to_string(f.expert_groups) + "), found " +
                                           std::to_string(f.groups_per_token));
        const int experts_reachable = f.groups_per_token * (f.routed_experts / f.expert_groups);
        if (experts_reachable < f.top_k)
            t.fail("groups_per_token", "a token must reach top_k = " + std::to_string(f.top_k) + " experts, but " +
                                           std::to_string(f.groups_per_token) + " groups of " +
                                           std::to_string(f.routed_experts / f.expert_groups) + " hold only " +
                                           std::to_string(experts_reachable));
    } else {
        refuse(t, "groups_per_token", "a model with expert_groups", "a model without expert groups");
    }
    f.capacity_factor = t.number_or("capacity_factor", 0.0, Bound::positive);
    if (t.has("capacity_factor") && (f.capacity_factor < 1.0 || f.capacity_factor > 64.0))
        t.fail("capacity_factor", "expected a capacity factor from 1 to 64 (omit it for dropless routing)");
    f.router_dtype = t.choice_or("router_dtype", kRouterDtypeSpellings, hardware::Dtype::bf16);
    if (f.first_dense_layers > 0 || f.moe_every > 1) {
        f.dense_intermediate = t.integer("dense_intermediate", limits::intermediate);
    } else {
        f.dense_intermediate = t.integer_or("dense_intermediate", 0, limits::intermediate);
    }
    return f;
}

workload::ModelSpec read_model(TableReader& t, const std::string& workload_name, const std::string& workload_source) {
    workload::ModelSpec m;
    m.name = t.string_or("name", workload_name);
    m.source = t.string_or("source", workload_source);
    m.layers = t.integer("layers", limits::layers);
    m.hidden = t.integer("hidden", limits::hidden);
    m.vocab = t.integer("vocab", limits::vocab);
    m.tied_embeddings = t.boolean_or("tied_embeddings", false);
    m.position = t.choice_or("position", kPositions, PositionKind::rope);
    if (m.position == PositionKind::learned) {
        m.max_position = t.integer("max_position", limits::max_position);
    } else {
        m.max_position = t.integer_or("max_position", 0, limits::max_position);
    }
    m.norm = t.choice_or("norm", kNorms, NormKind::rmsnorm);
    m.mtp_modules = t.integer_or("mtp_modules", 0, limits::mtp_modules);
    m.parallel_block = t.boolean_or("parallel_block", false);
    TableReader attention = t.table("attention");
    m.attention = read_attention(attention, m.layers);
    TableReader ffn = t.table("ffn");
    m.ffn = read_ffn(ffn, m.layers);
    if (m.parallel_block && m.ffn.is_moe())
        t.fail("parallel_block", "parallel_block applies to dense FFNs (GPT-J, PaLM, GPT-NeoX); this model has "
                                 "routed experts");
    return m;
}

workload::TrainingSpec read_training(TableReader& t, const workload::ParallelSpec& layout) {
    workload::TrainingSpec s;
    s.tokens = t.number("tokens", limits::tokens);
    s.seq_len = t.integer("seq_len", limits::seq_len);
    s.global_batch_sequences = t.integer("global_batch_sequences", limits::batch_sequences);
    // A run of fewer tokens than one global batch has no step at all (0 steps, 0 dollars).
    if (s.tokens < static_cast<double>(s.seq_len) * s.global_batch_sequences)
        t.fail("tokens", "expected at least one global batch of tokens (seq_len x global_batch_sequences = " +
                             std::to_string(static_cast<std::int64_t>(s.seq_len) * s.global_batch_sequences) +
                             "), found fewer");
    if (auto ramp = t.optional_table("ramp")) {
        s.ramp.start_sequences = ramp->integer("start_sequences", limits::batch_sequences);
        if (s.ramp.start_sequences > s.global_batch_sequences)
            ramp->fail("start_sequences", "the ramp must start at or below global_batch_sequences (" +
                                              std::to_string(s.global_batch_sequences) + "), found " +
                                              std::to_string(s.ramp.start_sequences));
        s.ramp.over_tokens = ramp->number("over_tokens", limits::tokens);
        if (s.ramp.over_tokens > s.tokens) {
            std::ostringstream found;
            found << s.ramp.over_tokens;
            ramp->fail("over_tokens", "the ramp must end within the run's tokens, found " + found.str());
        }
    }
    for (TableReader& stage : t.tables("extension")) {
        workload::ExtensionStage e;
        e.seq_len = stage.integer("seq_len", limits::seq_len);
        e.global_batch_sequences = stage.integer("global_batch_sequences", limits::batch_sequences);
        e.steps = stage.integer64("steps", limits::steps);
        if (auto parallel = stage.optional_table(
                "parallel", "a table of layout keys overriding [parallel], e.g. { cp = 8, dp = 16 }"))
            e.parallel = read_parallel(*parallel, &layout);
        s.extension.push_back(e);
    }
    s.gemm_dtype = t.choice_or("gemm_dtype", kDtypeSpellings, hardware::Dtype::bf16);
    s.attention_dtype = t.choice_or("attention_dtype", kDtypeSpellings, hardware::Dtype::bf16);
    if (hardware::is_block_scaled(s.attention_dtype))
        t.fail("attention_dtype", "expected \"bf16\", \"fp16\", \"fp8\", \"tf32\" or \"fp32\": the "
                                  "block-scaled formats (mxfp8, nvfp4) apply to gemm_dtype, the linear layers");
    s.fp8_gemm_library = t.choice_or("fp8_gemm_library", kGemmLibrarySpellings, hardware::GemmLibrary::cublas);
    s.recompute = t.choice_or("recompute", kRecomputeSpellings, Recompute::none);
    s.flash_attention = t.boolean_or("flash_attention", true);
    s.dropout = t.boolean_or("dropout", false);
    s.grad_reduce_dtype = t.choice_or("grad_reduce_dtype", kDtypeSpellings, hardware::Dtype::fp32);
    if (s.grad_reduce_dtype != hardware::Dtype::fp32 && s.grad_reduce_dtype != hardware::Dtype::bf16)
        t.fail("grad_reduce_dtype", "expected \"fp32\", \"bf16\" or \"fp16\" (gradients are reduced in one of these)");
    // Megatron-LM --recompute-modules names.
    for (const std::string& module : t.strings("recompute_modules")) {
        auto& m = s.recompute_modules;
        if (module == "layernorm")
            m.layernorm = true;
        else if (module == "mla_up_proj")
            m.mla_up_proj = true;
        else if (module == "moe_act")
            m.moe_act = true;
        else if (module == "core_attn")
            m.core_attn = true;
        else if (module == "mlp")
            m.mlp = true;
        else
            t.fail("recompute_modules", "expected module names among \"layernorm\", \"mla_up_proj\", \"moe_act\", "
                                        "\"core_attn\", \"mlp\", found \"" +
                                            module + "\"");
    }
    return s;
}

} // namespace

namespace {

/// comm_fraction, or a count comm_sms of the comm_sms_of units of the GPU the recipe was tuned on
/// (kept as that fraction, so another GPU reserves the same share of its own units).
double read_comm_fraction(TableReader& t, double fallback) {
    const bool has_count = t.has("comm_sms");
    if (t.has("comm_fraction")) {
        if (has_count) t.fail("comm_sms", "give comm_fraction or comm_sms with comm_sms_of, found both");
        return t.number("comm_fraction", limits::comm_fraction);
    }
    if (!has_count) {
        if (t.has("comm_sms_of")) t.fail("comm_sms_of", "comm_sms_of applies only with comm_sms");
        return fallback;
    }
    const int sms = t.integer("comm_sms", limits::comm_sms);
    if (!t.has("comm_sms_of"))
        t.fail("comm_sms", "comm_sms = " + std::to_string(sms) +
                               " is a count on the GPU the recipe was tuned for; say of how many with comm_sms_of "
                               "(DeepSeek-V3: 20 of 132 H800 SMs), or give comm_fraction: the same fraction is "
                               "reserved on every GPU, never the count");
    const int of = t.integer("comm_sms_of", limits::comm_sms_of);
    if (sms >= of)
        t.fail("comm_sms", "comm_sms = " + std::to_string(sms) + " leaves none of the comm_sms_of = " +
                               std::to_string(of) + " units for compute; expected fewer than " + std::to_string(of));
    return static_cast<double>(sms) / of;
}

} // namespace

/// The layout of `[parallel]` (base == nullptr: tp, pp and dp are required) or, with a base, of
/// an extension stage's `[training.extension.parallel]`, where every key is optional and
/// defaults to the base layout's value.
workload::ParallelSpec read_parallel(TableReader& t, const workload::ParallelSpec* base) {
    workload::ParallelSpec p = base != nullptr ? *base : workload::ParallelSpec{};
    if (base == nullptr) {
        p.tp = t.integer("tp", limits::degree);
        p.pp = t.integer("pp", limits::degree);
        p.dp = t.integer("dp", limits::degree);
    } else {
        p.tp = t.integer_or("tp", p.tp, limits::degree);
        p.pp = t.integer_or("pp", p.pp, limits::degree);
        p.dp = t.integer_or("dp", p.dp, limits::degree);
    }
    p.cp = t.integer_or("cp", p.cp, limits::degree);
    p.cp_pass = t.choice_or("cp_pass", kCpPassSpellings, p.cp_pass);
    p.ep = t.integer_or("ep", p.ep, limits::degree);
    p.etp = t.integer_or("etp", p.etp, limits::degree);
    p.moe_dispatcher = t.choice_or("moe_dispatcher", kMoeDispatcherSpellings, p.moe_dispatcher);
    p.sequence_parallel = t.boolean_or("sequence_parallel", p.sequence_parallel);
    p.micro_batch_sequences = t.integer_or("micro_batch_sequences", p.micro_batch_sequences, limits::batch_sequences);
    p.schedule = t.choice_or("schedule", kScheduleSpellings, p.schedule);
    // A stage that changes the schedule does not inherit the base's interleaving depth.
    const bool same_schedule = base != nullptr && p.schedule == base->schedule;
    p.virtual_stages = t.integer_or("virtual_stages", same_schedule ? base->virtual_stages : 1, limits::layers);
    if (p.virtual_stages > 1 && p.schedule != PipelineSchedule::interleaved_1f1b)
        t.fail("virtual_stages", "virtual_stages > 1 applies only to schedule = \"interleaved-1f1b\", found " +
                                     std::to_string(p.virtual_stages) + " with schedule = \"" +
                                     std::string(workload::to_string(p.schedule)) + "\"");
    p.zero_stage = t.integer_or("zero_stage", p.zero_stage, limits::zero_stage);
    if (p.zero_stage > 3)
        t.fail("zero_stage", "expected a ZeRO stage from 0 to 3, found " + std::to_string(p.zero_stage));
    p.comm_fraction = read_comm_fraction(t, p.comm_fraction);
    p.tp_comm_overlap = t.boolean_or("tp_comm_overlap", p.tp_comm_overlap);
    p.overlap_grad_reduce = t.boolean_or("overlap_grad_reduce", p.overlap_grad_reduce);
    p.overlap_param_gather = t.boolean_or("overlap_param_gather", p.overlap_param_gather);
    p.ep_comm_overlap = t.boolean_or("ep_comm_overlap", p.ep_comm_overlap);
    p.split_embedding_and_loss = t.boolean_or("split_embedding_and_loss", p.split_embedding_and_loss);
    p.pipeline_split = t.choice_or("pipeline_split", kPipelineSplitSpellings, p.pipeline_split);
    p.first_stage_layers = t.integer_or("first_stage_layers", p.first_stage_layers, limits::layer_count_or_zero);
    p.last_stage_layers = t.integer_or("last_stage_layers", p.last_stage_layers, limits::layer_count_or_zero);
    if (t.has("pipeline_layout")) {
        p.pipeline_layout = t.string("pipeline_layout");
        try {
            (void)workload::parse_pipeline_layout(p.pipeline_layout);
        } catch (const std::invalid_argument& e) {
            t.fail("pipeline_layout", e.what());
        }
        // Megatron-Core refuses the layout beside the other ways of placing layers
        // (arguments.py: --pipeline-model-parallel-layout with --decoder-first/last-pipeline-num-layers
        // or --account-for-embedding/loss-in-pipeline-split); pipeline_split is not read with it.
        for (const char* key : {"first_stage_layers", "last_stage_layers", "split_embedding_and_loss"})
            if (t.has(key))
                t.fail(key, std::string("cannot be set with pipeline_layout, which places every layer itself"));
    }
    // Megatron-Core's uneven first/last stages are a variant of its even split, and it refuses
    // them together with the ends counted as layers (transformer_config.py __post_init__).
    for (const char* key : {"first_stage_layers", "last_stage_layers"}) {
        if (!t.has(key)) continue;
        if (p.pipeline_split != workload::PipelineSplit::even)
            t.fail(key, std::string("applies only to pipeline_split = \"even\" (Megatron's "
                                    "--decoder-first/last-pipeline-num-layers); the split here is \"") +
                            std::string(workload::to_string(p.pipeline_split)) + "\"");
        if (p.split_embedding_and_loss)
            t.fail(key, "cannot be set with split_embedding_and_loss = true (Megatron-Core refuses "
                        "num_layers_in_first/last_pipeline_stage with account_for_embedding/loss_in_pipeline_split)");
    }
    return p;
}

namespace {

constexpr std::array<Spelling<workload::PostTrainingKind>, 2> kPostTrainingKinds{{
    {"sft", workload::PostTrainingKind::sft},
    {"rl", workload::PostTrainingKind::rl},
}};
constexpr std::array<Spelling<workload::RlAlgorithm>, 2> kRlAlgorithms{{
    {"grpo", workload::RlAlgorithm::grpo},
    {"ppo", workload::RlAlgorithm::ppo},
}};
constexpr std::array<Spelling<workload::RewardKind>, 2> kRewards{{
    {"rule", workload::RewardKind::rule},
    {"model", workload::RewardKind::model},
}};
constexpr std::array<Spelling<workload::RolloutPlacement>, 2> kPlacements{{
    {"colocated", workload::RolloutPlacement::colocated},
    {"separate", workload::RolloutPlacement::separate},
}};
constexpr std::array<Spelling<workload::RolloutMode>, 2> kRolloutModes{{
    {"synchronous", workload::RolloutMode::synchronous},
    {"asynchronous", workload::RolloutMode::asynchronous},
}};

/// One `[[post_training]]` stage; its `[post_training.parallel]` overrides `layout` key by key.
workload::PostTrainingStage read_post_training(TableReader& t, const workload::ParallelSpec& layout) {
    workload::PostTrainingStage st;
    st.name = t.string("name");
    st.kind = t.choice("kind", kPostTrainingKinds);
    st.parallel = layout;
    if (auto parallel =
            t.optional_table("parallel", "a table of layout keys overriding [parallel], e.g. { pp = 8, dp = 32 }"))
        st.parallel = read_parallel(*parallel, &layout);
    if (st.kind == workload::PostTrainingKind::sft) {
        for (const char* key : {"algorithm", "steps", "prompts_per_step", "group_size", "updates_per_rollout",
                                "prompt_tokens", "response_median_tokens", "response_sigma", "max_response_tokens",
                                "reward", "placement", "rollout_mode", "rollout_gpus", "rollout", "seed"})
            if (t.has(key)) t.fail(key, std::string("applies only to kind = \"rl\" stages; this stage is \"sft\""));
        st.sft.tokens = t.number("tokens", limits::tokens);
        st.sft.seq_len = t.integer("seq_len", limits::seq_len);
        st.sft.global_batch_sequences = t.integer("global_batch_sequences", limits::batch_sequences);
        if (st.sft.tokens < static_cast<double>(st.sft.seq_len) * st.sft.global_batch_sequences)
            t.fail("tokens",
                   "expected at least one global batch of tokens (seq_len x global_batch_sequences = " +
                       std::to_string(static_cast<std::int64_t>(st.sft.seq_len) * st.sft.global_batch_sequences) +
                       "), found fewer");
        return st;
    }
    for (const char* key : {"tokens", "seq_len", "global_batch_sequences"})
        if (t.has(key))
            t.fail(key, std::string("applies only to kind = \"sft\" stages; an \"rl\" stage trains on the tokens "
                                    "it generates (prompts_per_step x group_size samples per step)"));
    workload::RlSpec& r = st.rl;
    r.algorithm = t.choice("algorithm", kRlAlgorithms);
    r.steps = t.integer64("steps", limits::steps);
    r.prompts_per_step = t.integer("prompts_per_step", limits::prompts_per_step);
    r.group_size = t.integer("group_size", limits::group_size);
    r.updates_per_rollout = t.integer_or("updates_per_rollout", 1, limits::group_size);
    r.prompt_tokens = t.integer("prompt_tokens", limits::prompt_tokens);
    r.response_median = t.number("response_median_tokens", limits::response_tokens);
    r.response_sigma = t.number("response_sigma", limits::response_sigma);
    r.max_response_tokens = t.integer("max_response_tokens", limits::prompt_tokens);
    if (r.response_median > r.max_response_tokens)
        t.fail("response_median_tokens",
               "expected at most max_response_tokens (" + std::to_string(r.max_response_tokens) + "), found more");
    r.reward = t.choice("reward", kRewards);
    r.placement = t.choice_or("placement", kPlacements, workload::RolloutPlacement::colocated);
    if (r.placement == workload::RolloutPlacement::separate)
        r.rollout_gpus = t.integer("rollout_gpus", limits::degree);
    else if (t.has("rollout_gpus"))
        t.fail("rollout_gpus", "applies only to placement = \"separate\"; colocated rollouts run on the stage's "
                               "training GPUs");
    r.mode = t.choice_or("rollout_mode", kRolloutModes, workload::RolloutMode::synchronous);
    if (r.mode == workload::RolloutMode::asynchronous && r.placement != workload::RolloutPlacement::separate)
        t.fail("rollout_mode", "an asynchronous rollout generates on its own GPUs while the trainers learn; colocated "
                               "GPUs cannot do both at once: give placement = \"separate\" with rollout_gpus");
    r.seed = static_cast<std::uint64_t>(t.integer_or("seed", 1, limits::seed));
    TableReader ro = t.table("rollout", "a table of the rollout engines' serving layout, e.g. { tp = 8, dp = 1 }");
    r.rollout.tp = ro.integer_or("tp", 1, limits::degree);
    r.rollout.dp = ro.integer_or("dp", 1, limits::degree);
    r.rollout.pp = ro.integer_or("pp", 1, limits::degree);
    r.rollout.ep = ro.integer_or("ep", 1, limits::degree);
    r.rollout.weight_dtype = ro.choice_or("weight_dtype", kDtypeSpellings, hardware::Dtype::bf16);
    r.rollout.slots = ro.integer_or("slots", 0, limits::rollout_slots);
    const int unit = r.rollout.tp * r.rollout.dp * r.rollout.pp;
    const int engines_gpus = r.placement == workload::RolloutPlacement::separate ? r.rollout_gpus : st.parallel.gpus();
    if (engines_gpus % unit != 0)
        ro.fail("tp",
                "the rollout unit (tp x dp x pp = " + std::to_string(unit) + " GPUs) must divide the " +
                    (r.placement == workload::RolloutPlacement::separate ? "rollout_gpus" : "stage's training GPUs") +
                    " (" + std::to_string(engines_gpus) + ")");
    return st;
}

} // namespace

workload::Workload load_workload(const ConfigFiles& files, const std::string& path) {
    // A workload that continues another (`base = "deepseek-v3.toml"`) takes its model, recipe
    // and layout from the base file (where the workload overrides apply) and adds its own
    // post-training stages and name.
    {
        TomlDocument probe(path, files.read(path));
        TableReader root = probe.root();
        if (root.has("base")) {
            const std::string base_path = files.resolve(path, root.string("base"));
            if (base_path == path) root.fail("base", "a workload cannot be its own base");
            TomlDocument document(path, files.read(path));
            TableReader top = document.root();
            (void)top.string("base");
            workload::Workload w = load_workload(files, base_path);
            if (!w.post_training.empty())
                top.fail("base", "the base workload " + base_path +
                                     " has post-training stages of its own; expected "
                                     "one with pre-training only");
            w.name = top.string("name");
            w.source = top.string("source");
            for (TableReader& stage : top.tables("post_training"))
                w.post_training.push_back(read_post_training(stage, w.parallel));
            document.finish();
            return w;
        }
    }
    TomlDocument document(path, files.read(path), files.overrides().of(FileKind::workload));
    document.accept_uncertain(FileKind::workload, files.uncertain());
    TableReader root = document.root();
    // A cluster file passed for a workload: say so instead of listing what a workload lacks.
    if (!root.has("model") && root.has("gpu"))
        root.fail("model", "required key is missing: this is a cluster file (it names a gpu); a workload file has "
                           "[model], [training] and [parallel] (see workloads/)");
    workload::Workload w;
    w.name = root.string("name");
    w.source = root.string("source");
    TableReader model = root.table("model");
    w.model = read_model(model, w.name, w.source);
    // [parallel] first: an extension stage's layout overrides it key by key.
    TableReader parallel = root.table("parallel");
    w.parallel = read_parallel(parallel);
    TableReader training = root.table("training");
    w.training = read_training(training, w.parallel);
    for (TableReader& stage : root.tables("post_training"))
        w.post_training.push_back(read_post_training(stage, w.parallel));
    document.finish();
    return w;
}

} // namespace tcsim::config
