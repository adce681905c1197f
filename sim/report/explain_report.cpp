#include "report/explain_report.hpp"

#include "units/number_text.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>

namespace tcsim::report {

std::string explain_json(const Explanation& e) {
    const auto& params = e.parameters;
    const auto& flops = e.flops;
    nlohmann::ordered_json j;
    j["workload"] = e.workload;
    j["cluster"] = e.cluster;
    if (!e.overrides.empty()) j["overrides"] = e.overrides;
    if (!e.builtin_inputs.empty()) j["builtin_inputs"] = e.builtin_inputs;
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
