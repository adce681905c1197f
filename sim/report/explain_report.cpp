#include "report/explain_report.hpp"

#include "run/run_result.hpp"
#include "units/number_text.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>

namespace tcsim::report {

namespace {

std::string str(int v) { return units::printf_number("%.0f", static_cast<double>(v)); }

/// Whose kernels run the GEMMs, for the 8-bit dtypes on the FP8 curve (hardware/gemm_library.hpp).
std::string eight_bit_kernels(const Explanation& e) {
    if (e.gemm_dtype != hardware::Dtype::fp8 && !hardware::is_block_scaled(e.gemm_dtype)) return "";
    return e.fp8_gemm_library == hardware::GemmLibrary::deepgemm ? " (DeepGEMM kernels)" : " (cuBLAS kernels)";
}

std::string attention_kind(const workload::AttentionSpec& a) {
    if (a.kind == workload::AttentionKind::mla) return "MLA";
    if (a.kind == workload::AttentionKind::mha) return "MHA";
    return a.kv_heads == 1 ? "MQA" : "GQA";
}

/// The attention line: kind, heads and widths; the width of Q (heads x head_dim) is named when it
/// differs from the hidden size, so a typo in head_dim is visible (Gemma 3 and Qwen3 differ on
/// purpose: their projections change width).
std::string attention_text(const workload::ModelSpec& m) {
    const auto& a = m.attention;
    std::string out = attention_kind(a) + ", " + str(a.heads) + " heads";
    if (a.kind == workload::AttentionKind::mla) {
        out += ", q_lora_rank " + (a.q_lora_rank > 0 ? str(a.q_lora_rank) : std::string("none")) + ", kv_lora_rank " +
               str(a.kv_lora_rank) + ", qk " + str(a.qk_nope_head_dim) + " + " + str(a.qk_rope_head_dim) +
               " (rope), v " + str(a.v_head_dim);
        return out;
    }
    if (a.kind == workload::AttentionKind::gqa) out += ", " + str(a.kv_heads) + " KV heads";
    const long long width = static_cast<long long>(a.heads) * a.head_dim;
    out += " x " + str(a.head_dim) + " = width " + units::printf_number("%.0f", static_cast<double>(width));
    if (width != m.hidden)
        out += std::string(" (") + (width > m.hidden ? "above" : "below") + " hidden " + str(m.hidden) +
               ": Q/K/V and output projections change width)";
    if (a.qkv_bias) out += ", QKV bias";
    return out;
}

std::string local_attention_text(const workload::AttentionSpec& a) {
    if (a.sliding_window <= 0) return "";
    std::string out = "sliding window " + str(a.sliding_window) + " on ";
    out += a.global_every > 0 ? "all but every " + str(a.global_every) + "th layer (those global)" : "every layer";
    if (a.sink_tokens > 0) out += ", " + str(a.sink_tokens) + " sink tokens";
    return out;
}

std::string ffn_text(const workload::ModelSpec& m) {
    const auto& f = m.ffn;
    std::string out = std::string(workload::to_string(f.activation)) + (f.bias ? " with bias" : "");
    if (f.dense_intermediate > 0) out += ", dense width " + str(f.dense_intermediate);
    return out;
}

std::string moe_text(const workload::ModelSpec& m) {
    const auto& f = m.ffn;
    std::string out =
        str(f.routed_experts) + " routed experts x width " + str(f.expert_intermediate) + ", top-" + str(f.top_k);
    if (f.has_shared()) out += ", shared width " + str(f.shared_width());
    if (f.first_dense_layers > 0) out += "; first " + str(f.first_dense_layers) + " layers dense";
    if (f.moe_every > 1) out += "; MoE every " + str(f.moe_every) + " layers";
    if (f.expert_groups > 0) out += "; " + str(f.expert_groups) + " groups, " + str(f.groups_per_token) + " per token";
    if (f.max_nodes_per_token > 0) out += "; at most " + str(f.max_nodes_per_token) + " nodes per token";
    out += f.capacity_factor > 0 ? "; capacity factor " + units::printf_number("%.2f", f.capacity_factor) + " (padded)"
                                 : "; dropless, balanced load assumed";
    out += "; router " + std::string(hardware::to_string(f.router_dtype));
    return out;
}

std::string model_section(const Explanation& e) {
    const auto& m = e.model;
    std::string out = "\nModel\n";
    auto line = [&](const char* label, const std::string& text) {
        if (text.empty()) return;
        std::string l = std::string("  ") + label;
        l.resize(26, ' ');
        out += l + text + "\n";
    };
    line("layers", str(m.layers) + ", hidden " + str(m.hidden) + ", vocab " + str(m.vocab) +
                       (m.tied_embeddings ? " (tied embeddings)" : ""));
    line("attention", attention_text(m));
    line("local attention", local_attention_text(m.attention));
    if (m.attention.learned_sinks) line("attention sinks", "learned, one logit per head");
    line("FFN", ffn_text(m));
    if (m.ffn.is_moe()) line("MoE", moe_text(m));
    if (m.parallel_block) line("block", "parallel (attention and MLP on one norm, one residual add)");
    if (m.mtp_modules > 0) line("MTP modules", str(m.mtp_modules));
    line("precision", "GEMMs " + std::string(hardware::to_string(e.gemm_dtype)) + eight_bit_kernels(e) +
                          ", attention " + std::string(hardware::to_string(e.attention_dtype)));
    line("layout", run::layout_text(e.parallel) + ", micro-batch " + str(e.parallel.micro_batch_sequences) + ", ZeRO-" +
                       str(e.parallel.zero_stage) + (e.parallel.sequence_parallel ? ", sequence parallel" : ""));
    if (e.parallel.comm_fraction > 0)
        line("comm compute units",
             units::printf_number("%.1f", 100.0 * e.parallel.comm_fraction) + " % held by communication kernels" +
                 (e.parallel.overlaps_comm_with_compute()
                      ? ", taken from every compute kernel (the schedule overlaps communication with compute)"
                      : ", not taken from compute (nothing computes beside them in this schedule)"));
    return out;
}

/// What one model stage holds, e.g. "embedding + layers 0-4 (5)" or "layers 65-69 (5) + head".
std::string stage_text(const training::StageLayers& st) {
    std::string out = st.embedding ? "embedding" : "";
    if (st.layers() > 0) {
        out += (out.empty() ? "" : " + ") + std::string(st.layers() == 1 ? "layer " : "layers ") + str(st.first_layer) +
               (st.layers() > 1 ? "-" + str(st.last_layer - 1) : "") + " (" + str(st.layers()) + ")";
    }
    if (st.mtp_modules() > 0)
        out += (out.empty() ? "" : " + ") + std::string(st.mtp_modules() == 1 ? "MTP module" : "MTP modules") +
               (st.mtp_modules() > 1 ? " " + str(st.first_mtp) + "-" + str(st.last_mtp - 1) : "");
    if (st.head) out += (out.empty() ? "" : " + ") + std::string("head and loss");
    if (out.empty()) out = "nothing";
    return out;
}

/// The pipeline split section: consecutive model stages holding the same number of layers and no
/// end share one line.
std::string split_section(const Explanation& e) {
    const auto& stages = e.pipeline_stages;
    if (e.parallel.pp <= 1 || stages.empty()) return "";
    const double largest = *std::max_element(e.stage_forward_flops.begin(), e.stage_forward_flops.end());
    const bool even = e.parallel.pipeline_split == workload::PipelineSplit::even;
    const bool custom = !e.parallel.pipeline_layout.empty();
    std::string out =
        "\nPipeline split: " +
        (custom ? "pipeline_layout \"" + e.parallel.pipeline_layout + "\" (Megatron-Core's custom layout)"
                : std::string(workload::to_string(e.parallel.pipeline_split)) +
                      (even ? " (equal layer counts, as Megatron-LM splits)"
                            : " (largest stage's forward FLOPs minimised)")) +
        ", " + str(static_cast<int>(stages.size())) + " model stages";
    if (static_cast<int>(stages.size()) > e.parallel.pp)
        out += ", stage s on pipeline rank s mod " + str(e.parallel.pp);
    out += "\n";
    if (e.parallel.first_stage_layers > 0)
        out += "  first pipeline rank: " + str(e.parallel.first_stage_layers) + " layers (first_stage_layers)\n";
    if (e.parallel.last_stage_layers > 0)
        out += "  last pipeline rank: " + str(e.parallel.last_stage_layers) + " layers (last_stage_layers)\n";
    std::size_t i = 0;
    while (i < stages.size()) {
        std::size_t j = i + 1;
        const auto plain = [&](std::size_t k) {
            return !stages[k].embedding && !stages[k].head && stages[k].mtp_modules() == 0 &&
                   stages[k].layers() == stages[i].layers() &&
                   e.stage_forward_flops[k] == e.stage_forward_flops[i];
        };
        if (plain(i))
            while (j < stages.size() && plain(j)) ++j;
        const double share = largest > 0 ? e.stage_forward_flops[i] / largest : 0.0;
        std::string what = j - i == 1 ? "  stage " + str(static_cast<int>(i)) + ": " + stage_text(stages[i])
                                      : "  stages " + str(static_cast<int>(i)) + "-" + str(static_cast<int>(j - 1)) +
                                            ": " + str(stages[i].layers()) + " layers each (" +
                                            str(stages[i].first_layer) + "-" + str(stages[j - 1].last_layer - 1) + ")";
        out += what + ", " + units::printf_number("%.2f", e.stage_forward_flops[i] / 1e9) + " GFLOP/token forward" +
               (j - i > 1 ? " each" : "") + " (" + units::printf_number("%.0f", 100.0 * share) + " % of the largest)\n";
        i = j;
    }
    return out;
}
} // namespace

std::string explain_json(const Explanation& e) {
    const auto& params = e.parameters;
    const auto& flops = e.flops;
    nlohmann::ordered_json j;
    j["schema"] = "tcsim.explain/1"; // name/version of this document's layout (README, "Output formats")
    j["tcsim_version"] = TCSIM_VERSION;
    j["workload"] = e.workload;
    j["cluster"] = e.cluster;
    if (!e.overrides.empty()) j["overrides"] = e.overrides;
    if (!e.builtin_inputs.empty()) j["builtin_inputs"] = e.builtin_inputs;
    j["inputs_at_median"] = inputs_at_median_json(e.inputs_at_median);
    j["model"] = {{"layers", e.model.layers},
                  {"hidden", e.model.hidden},
                  {"vocab", e.model.vocab},
                  {"attention", attention_text(e.model)},
                  {"local_attention", local_attention_text(e.model.attention)},
                  {"ffn", ffn_text(e.model)},
                  {"moe", e.model.ffn.is_moe() ? nlohmann::ordered_json(moe_text(e.model)) : nullptr},
                  {"parallel_block", e.model.parallel_block},
                  {"mtp_modules", e.model.mtp_modules},
                  {"gemm_dtype", hardware::to_string(e.gemm_dtype)},
                  {"fp8_gemm_library", hardware::to_string(e.fp8_gemm_library)},
                  {"attention_dtype", hardware::to_string(e.attention_dtype)}};
    j["layout"] = run::layout_text(e.parallel);
    // Compute units communication kernels hold, and the share compute loses to them here.
    j["comm_compute_units"] = {{"fraction", e.parallel.comm_fraction},
                               {"taken_from_compute", e.parallel.compute_units_held()}};
    nlohmann::ordered_json split = nlohmann::ordered_json::array();
    for (std::size_t i = 0; i < e.pipeline_stages.size(); ++i) {
        const auto& st = e.pipeline_stages[i];
        split.push_back({{"stage", i},
                         {"embedding", st.embedding},
                         {"first_layer", st.first_layer},
                         {"layers", st.layers()},
                         {"head", st.head},
                         {"mtp_modules", st.mtp_modules()},
                         {"forward_flops_per_token", e.stage_forward_flops[i]}});
    }
    j["pipeline_split"] = {
        {"rule", e.parallel.pipeline_layout.empty() ? std::string(workload::to_string(e.parallel.pipeline_split))
                                                    : std::string("layout")},
        {"layout", e.parallel.pipeline_layout},
        {"stages", split}};
    j["parameters"] = {{"total", params.total},
                       {"active", params.active},
                       {"embedding", params.embedding},
                       {"routed_experts", params.routed_experts},
                       {"mtp", params.mtp}};
    j["flops_per_token"] = {{"forward", flops.forward},     {"backward", flops.backward},
                            {"recompute", flops.recompute}, {"model", flops.model()},
                            {"hardware", flops.hardware()}, {"attention_forward", flops.forward_attention}};
    nlohmann::ordered_json ranks = nlohmann::ordered_json::array();
    for (const auto& r : e.memory.ranks)
        ranks.push_back({{"rank", r.rank},
                         {"parameters", r.parameters},
                         {"weights_bytes", r.weights},
                         {"gradients_bytes", r.gradients},
                         {"optimizer_bytes", r.optimizer},
                         {"activations_bytes", r.activations},
                         {"buffers_bytes", r.buffers},
                         {"total_bytes", r.total()},
                         {"micro_batches_in_flight", r.peak_micro_batches}});
    j["global_batch_sequences"] = e.global_batch_sequences;
    j["batch_sequences_explained"] = e.batch_sequences;
    j["memory"] = {{"capacity_bytes", e.memory.capacity},
                   {"fits", e.have_cluster ? nlohmann::ordered_json(e.memory.fits()) : nullptr},
                   {"pipeline_ranks", ranks}};
    nlohmann::ordered_json comm;
    for (const auto& [dim, bytes] : e.comm_bytes_per_gpu) comm[dim] = bytes;
    j["communication_bytes_per_gpu_per_step"] = comm;
    return j.dump(2) + "\n";
}

std::string explain_table(const Explanation& e) {
    const auto& params = e.parameters;
    const auto& flops = e.flops;
    std::string out = "tcsim explain: " + e.workload + "\n  cluster: " + e.cluster + "\n";
    const auto list = [&out](const std::string& label, const std::vector<std::string>& items) {
        if (items.empty()) return;
        out += "  " + label;
        for (std::size_t i = 0; i < items.size(); ++i) out += (i > 0 ? ", " : "") + items[i];
        out += '\n';
    };
    list("overrides: ", e.overrides);
    list("built-in: ", e.builtin_inputs);
    if (!e.inputs_at_median.empty()) out += "\n" + inputs_at_median_note(e.inputs_at_median, "tcsim explain");
    out += model_section(e);
    out += "\nParameters\n";
    out += "  total (main model)      " + units::printf_number("%10.2fB", params.total / 1e9) + "\n";
    out += "  active per token        " + units::printf_number("%10.2fB", params.active / 1e9) +
           "  (excluding the input embedding)\n";
    if (params.mtp > 0) out += "  MTP modules             " + units::printf_number("%10.2fB", params.mtp / 1e9) + "\n";
    out += "\nFLOPs per token (sequence " + std::to_string(e.seq_len) + ", causal)\n";
    out += "  forward                 " + units::printf_number("%10.2f GFLOP", flops.forward / 1e9) + "\n";
    out += "  backward                " + units::printf_number("%10.2f GFLOP", flops.backward / 1e9) + "\n";
    out += "  recompute               " + units::printf_number("%10.2f GFLOP", flops.recompute / 1e9) +
           (e.recompute_modules ? "  (policy only; the recompute_modules' re-run work is priced in the step, not here)"
                                : "") +
           "\n";
    out += "  of which attention core " + units::printf_number("%10.2f GFLOP", flops.forward_attention / 1e9) +
           " (forward)\n";
    out += "  model (for MFU)         " + units::printf_number("%10.2f GFLOP", flops.model() / 1e9) + "\n";
    out += split_section(e);
    if (e.batch_sequences != e.global_batch_sequences)
        out += "\nMemory and communication below are at a global batch of " + std::to_string(e.batch_sequences) +
               " sequences, the nearest to the workload's " + std::to_string(e.global_batch_sequences) +
               " that this layout's schedule can run (as tcsim run simulates it).\n";
    out += "\nMemory per GPU by pipeline rank, GB (10^9 bytes)\n";
    out += "  rank  parameters  weights  gradients  optimizer  activations  buffers    total  in flight\n";
    for (const auto& r : e.memory.ranks) {
        char line[160];
        std::snprintf(line, sizeof line, "  %4d  %9.2fB  %7.1f  %9.1f  %9.1f  %11.1f  %7.1f  %7.1f  %9d\n", r.rank,
                      r.parameters / 1e9, r.weights / 1e9, r.gradients / 1e9, r.optimizer / 1e9, r.activations / 1e9,
                      r.buffers / 1e9, r.total() / 1e9, r.peak_micro_batches);
        out += line;
    }
    if (e.have_cluster)
        out += "  capacity " + units::printf_number("%.1f GB", e.memory.capacity / 1e9) +
               (e.memory.fits() ? ": fits\n" : ": DOES NOT FIT\n");
    out += "\nCommunication per GPU per step (collective payloads), GB\n";
    for (const auto& [dim, bytes] : e.comm_bytes_per_gpu)
        out += "  " + dim + std::string(12 - std::min<std::size_t>(dim.size(), 11), ' ') +
               units::printf_number("%10.2f", bytes / 1e9) + "\n";
    return out;
}

} // namespace tcsim::report
