#include "training/memory_model.hpp"

#include "hardware/dtype.hpp"
#include "training/pipeline_schedule.hpp"
#include "training/program_builder.hpp"
#include "workload/model_math.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <stdexcept>

namespace tcsim::training {

using workload::AttentionKind;
using workload::layer_parameters;
using workload::ModelSpec;
using workload::PlanError;
using workload::Recompute;
using workload::TrainingSpec;
using workload::Workload;

namespace {

constexpr double kWeightBytes = 2.0;
constexpr double kOptimizerBytes = 12.0;
constexpr double kWorkspaceBytes = 1024.0 * 1024.0 * 1024.0;
constexpr double kFp8CachedBytes = 1.0 + 4.0 / 128.0;

/// Per-token activation terms, split into what TP splits and what only SP splits.
struct Terms {
    double replicated = 0; ///< norms, residuals, dropout masks, linear inputs outside TP regions
    double split = 0;      ///< inside the TP region (heads, FFN width)
    double routed = 0;     ///< MoE routing and experts: tokens split over TP before routing
};

} // namespace

double activation_saved_bytes(workload::Activation a, double width, double activation_bytes,
                              double cached_linear_bytes) {
    if (workload::is_gated(a)) return 2.0 * activation_bytes * width; // gate and up projections
    // ReLU's backward needs only its output's sign (PyTorch saves the output): the second
    // linear's input, the same tensor when that is cached in BF16, a BF16 copy beside an FP8 one.
    if (a == workload::Activation::relu)
        return cached_linear_bytes == activation_bytes ? 0.0 : activation_bytes * width;
    return activation_bytes * width; // GELU, SiLU, squared ReLU: their input
}

double activation_bytes_per_token(const Workload& w, int layer, int seq_len, const ActivationOptions& given) {
    // The workload's recipe decides unless the caller asks for the unfused / dropout variant.
    ActivationOptions o = given;
    o.flash_attention = given.flash_attention && w.training.flash_attention;
    o.dropout = given.dropout || w.training.dropout;
    const ModelSpec& m = w.model;
    const TrainingSpec& t = w.training;
    const auto& mods = t.recompute_modules;
    const double h = m.hidden;
    const int tp = w.parallel.tp;
    const bool sp = w.parallel.sequence_parallel && tp > 1;
    const double act = 2.0;
    // Linear inputs cached for the weight gradient in the GEMM's format: FP8 with its 1x128
    // scales, MXFP8/NVFP4 with their block scales (Transformer Engine keeps the quantised copy).
    const double lin = t.gemm_dtype == hardware::Dtype::fp8      ? kFp8CachedBytes
                       : hardware::is_block_scaled(t.gemm_dtype) ? hardware::bytes_per_element(t.gemm_dtype)
                                                                 : act;
    if (t.recompute == Recompute::full) return 2.0 * h / (sp ? tp : 1);

    Terms x;
    const auto& a = m.attention;
    const double heads = a.heads;
    // Attention block. The norm's input (the residual stream) is kept; its output, the input
    // of the projections, unless norms are recomputed.
    x.replicated += act * h;
    if (!mods.layernorm) x.replicated += lin * h;
    if (a.kind == AttentionKind::mla) {
        // Latents and their norms (replicated: MLA's down-projections are not split by TP).
        if (a.q_lora_rank > 0) x.replicated += act * a.q_lora_rank + (mods.layernorm ? 0.0 : lin * a.q_lora_rank);
        x.replicated += act * (a.kv_lora_rank + a.qk_rope_head_dim) + (mods.layernorm ? 0.0 : lin * a.kv_lora_rank);
        // Q, K, V from the up-projections feed the attention core.
        if (!mods.mla_up_proj) x.split += act * heads * (2.0 * a.qk_head_dim() + a.v_dim());
    } else {
        // Q of this rank's heads; K and V of its KV heads, replicated when TP exceeds them (the
        // split term is divided by tp below, hence the factor tp).
        x.split += act * (heads * a.head_dim + 2.0 * workload::kv_heads_per_rank(a, tp) * tp * a.head_dim);
    }
    // A windowed layer keeps what a global one keeps: with flash attention every token's Q, K,
    // V and output are kept whatever the window; unfused attention materialises (and keeps) the
    // full s x s scores with the window as a mask, as it does the causal mask.
    const bool keep_scores = !o.flash_attention && t.recompute != Recompute::selective && !mods.core_attn;
    if (keep_scores) x.split += 5.0 * heads * seq_len; // softmax output, dropout mask and output
    if (o.flash_attention) x.split += 4.0 * heads;     // log-sum-exp per head (FP32)
    x.split += lin * heads * a.v_dim();                // output projection input
    if (o.dropout) x.replicated += 1.0 * h;            // attention dropout mask
    // FFN block. A parallel block's MLP reads the attention's normed input: no norm of its own.
    if (!m.parallel_block) x.replicated += act * h; // its norm's input
    const auto& f = m.ffn;
    auto dense_mlp = [&](double width, double input_bytes_if_kept, Terms& into) {
        if (mods.mlp) return; // only the input is kept
        into.replicated += input_bytes_if_kept;
        into.split += activation_saved_bytes(f.activation, width, act, lin); // what the activation's backward reads
        into.split += lin * width;                                           // its output, the second linear's input
    };
    if (m.is_moe_layer(layer)) {
        const double ffn_in = mods.layernorm ? 0.0 : lin * h; // router and shared-expert input
        x.replicated += ffn_in;
        x.routed += 4.0 * f.routed_experts; // FP32 router scores
        // Token copies per routed token that this GPU's experts keep: top_k (balanced routing),
        // times the capacity factor when padded, times ETP (an ETP group gathers its ranks'
        // copies, each rank holding 1/ETP of the experts' width).
        const double copies = f.top_k * f.load_factor() * w.parallel.etp;
        const double width = static_cast<double>(f.expert_intermediate) / w.parallel.etp;
        x.routed += copies * lin * h; // expert inputs
        // The activation function's input is kept; with moe_act its output (the second expert
        // GEMM's input) is recomputed from it, and the input is cached in FP8 like the GEMM
        // inputs when GEMMs run in FP8 (DeepSeek-V3 Sec 3.3.3, "inputs of the SwiGLU operator
        // in MoE"). Routing weights scale the activation output inside the expert, so the
        // expert outputs need not be kept for the weights' gradient.
        const double act_in = width * (workload::is_gated(f.activation) ? 2.0 : 1.0);
        if (mods.moe_act)
            x.routed += copies * lin * act_in;
        else
            x.routed += copies * (activation_saved_bytes(f.activation, width, act, lin) + lin * width);
        if (f.has_shared()) dense_mlp(static_cast<double>(f.shared_width()), 0.0, x); // a TP-split dense MLP
    } else {
        dense_mlp(f.dense_intermediate, m.parallel_block ? 0.0 : lin * h, x); // a parallel block shares attention's
    }
    if (o.dropout) x.replicated += 1.0 * h; // FFN dropout mask
    return x.replicated / (sp ? tp : 1) + x.split / tp + x.routed / tp;
}

const RankMemory& MemoryEstimate::worst() const {
    if (ranks.empty()) throw std::logic_error("memory estimate without ranks");
    return *std::max_element(ranks.begin(), ranks.end(),
                             [](const RankMemory& a, const RankMemory& b) { return a.total() < b.total(); });
}

MemoryEstimate estimate_memory(const topology::ClusterSpec& cluster, const Workload& w, int seq_len,
                               int global_batch_sequences, const ActivationOptions& o) {
    const auto& p = w.parallel;
    const ModelSpec& m = w.model;
    const int stages = model_stages(p.schedule, p.pp, p.virtual_stages);
    const auto layout = partition_stages(m, seq_len, p);
    const double tokens = static_cast<double>(p.micro_batch_sequences) * seq_len / p.cp;
    const double h = m.hidden;
    const int tp = p.tp;
    // Tensors outside the layers that sequence parallelism splits over TP (embedding output,
    // final norm).
    const double sp_split = p.sequence_parallel && tp > 1 ? tp : 1.0;

    // Per stage: parameters (routed experts apart) and activation bytes per micro-batch.
    std::vector<double> stage_expert(static_cast<std::size_t>(stages), 0.0),
        stage_other(static_cast<std::size_t>(stages), 0.0), stage_act(static_cast<std::size_t>(stages), 0.0);
    for (int s = 0; s < stages; ++s) {
        const auto& st = layout[static_cast<std::size_t>(s)];
        auto& ex = stage_expert[static_cast<std::size_t>(s)];
        auto& ot = stage_other[static_cast<std::size_t>(s)];
        auto& ac = stage_act[static_cast<std::size_t>(s)];
        std::vector<int> layers;
        for (int l = st.first_layer; l < st.last_layer; ++l) layers.push_back(l);
        for (int i = st.first_mtp; i < st.last_mtp; ++i) layers.push_back(m.layers + i);
        for (int l : layers) {
            const auto lp = layer_parameters(m, l);
            ex += lp.routed_experts / (p.ep * p.etp);
            ot += lp.other / tp + workload::replicated_kv_parameters_per_rank(m, tp);
            ac += tokens * activation_bytes_per_token(w, l, seq_len, o);
        }
        if (st.embedding) {
            ot += static_cast<double>(m.vocab) * h / tp;
            // The embedding's dropout mask, one byte per element (Korthikanti sec. 4.3: sbhp/t
            // with sequence parallelism).
            if (o.dropout) ac += tokens * h / sp_split;
        }
        if (st.head) {
            if (!m.tied_embeddings || stages > 1) ot += static_cast<double>(m.vocab) * h / tp;
            // Final norm input and output (split over TP by sequence parallelism), FP32 logits
            // for the loss: Korthikanti et al. arXiv:2205.05198 sec. 4.3, 4sbh/t + 4sbv/t with
            // SP; for the main head and each MTP head.
            ac += tokens * (1 + m.mtp_modules) * (4.0 * h / sp_split + 4.0 * m.vocab / tp);
        }
    }

    const int micro_batches = micro_batches_per_pipeline(w, global_batch_sequences);
    const auto orders = make_schedule(p.schedule, p.pp, micro_batches, p.virtual_stages, p.ep_comm_overlap);
    const int chunks = chunks_per_rank(p.schedule, p.virtual_stages);
    const double dense_group = static_cast<double>(p.dp) * p.cp;
    const double expert_group = std::max(1.0, dense_group * tp / (p.ep * p.etp)); // expert-data-parallel ranks

    MemoryEstimate out;
    out.capacity = cluster.gpu.hbm_capacity.value();
    for (int r = 0; r < p.pp; ++r) {
        RankMemory rm;
        rm.rank = r;
        double expert = 0, other = 0;
        for (int c = 0; c < chunks; ++c) {
            const int s = model_stage(p.schedule, p.pp, r, c);
            expert += stage_expert[static_cast<std::size_t>(s)];
            other += stage_other[static_cast<std::size_t>(s)];
        }
        rm.parameters = expert + other;
        const auto shard = [&](double params, double group, int from_stage) {
            return p.zero_stage >= from_stage ? params / group : params;
        };
        rm.weights = kWeightBytes * (shard(other, dense_group, 3) + shard(expert, expert_group, 3));
        // Gradient buffers in the dtype they are accumulated and reduced in (FP32 main grads, or
        // the training dtype in FP16 recipes without --accumulate-allreduce-grads-in-fp32).
        rm.gradients = hardware::bytes_per_element(w.training.grad_reduce_dtype) *
                       (shard(other, dense_group, 2) + shard(expert, expert_group, 2));
        rm.optimizer = kOptimizerBytes * (shard(other, dense_group, 1) + shard(expert, expert_group, 1));
        // Walk the schedule: activations alive per chunk.
        std::vector<int> live(static_cast<std::size_t>(chunks), 0);
        double now = 0, peak = 0;
        int live_total = 0;
        auto stage_bytes = [&](int chunk) {
            return stage_act[static_cast<std::size_t>(model_stage(p.schedule, p.pp, r, chunk))];
        };
        auto add = [&](int chunk, int delta) {
            live[static_cast<std::size_t>(chunk)] += delta;
            live_total += delta;
            now += delta * stage_bytes(chunk);
            if (now > peak) {
                peak = now;
                rm.peak_micro_batches = live_total;
            }
        };
        for (const Action& a : orders[static_cast<std::size_t>(r)]) {
            switch (a.kind) {
            case ActionKind::forward: add(a.chunk, +1); break;
            case ActionKind::backward:
            case ActionKind::backward_input: add(a.chunk, -1); break;
            case ActionKind::weight: break;
            case ActionKind::forward_backward:
                add(a.chunk, +1);
                add(a.chunk2, -1);
                break;
            }
        }
        rm.activations = peak;
        // Buffers: two pipeline receive/send buffers per chunk, EP receive buffers for the
        // dispatched (top_k copies) and combined tokens, and the fixed workspace.
        rm.buffers = kWorkspaceBytes + chunks * 2.0 * tokens * h * 2.0;
        if (m.ffn.is_moe() && p.ep * p.etp > 1)
            rm.buffers += 2.0 * tokens / tp * m.ffn.top_k * m.ffn.load_factor() * p.etp * h * 2.0;
        out.ranks.push_back(rm);
    }
    return out;
}

std::string describe(const MemoryEstimate& e) {
    const RankMemory& w = e.worst();
    const double gb = 1e9;
    char buf[640];
    std::snprintf(buf, sizeof buf,
                  "memory per GPU on pipeline rank %d (the fullest), GB:\n"
                  "  weights      %8.1f\n  gradients    %8.1f\n  optimizer    %8.1f\n"
                  "  activations  %8.1f  (%d micro-batches in flight)\n  buffers      %8.1f  (incl. 1 GiB assumed for "
                  "CUDA/NCCL workspace)\n"
                  "  total        %8.1f  of %.1f GB HBM",
                  w.rank, w.weights / gb, w.gradients / gb, w.optimizer / gb, w.activations / gb, w.peak_micro_batches,
                  w.buffers / gb, w.total() / gb, e.capacity / gb);
    return buf;
}

void check_memory(const topology::ClusterSpec& cluster, const Workload& workload, int seq_len,
                  int global_batch_sequences, const ActivationOptions& options) {
    const MemoryEstimate e = estimate_memory(cluster, workload, seq_len, global_batch_sequences, options);
    if (!e.fits())
        throw MemoryError("layout of " + workload.name + " on " + cluster.name,
                          {"does not fit in GPU memory:\n" + describe(e)});
}

} // namespace tcsim::training
