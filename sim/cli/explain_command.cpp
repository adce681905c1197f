#include "cli/explain_command.hpp"

#include "io/config_files.hpp"
#include "io/load_cluster.hpp"
#include "io/load_workload.hpp"
#include "units/number_text.hpp"
#include "training/memory_model.hpp"
#include "workload/model_math.hpp"
#include "workload/plan_check.hpp"
#include "training/program_builder.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <map>
#include <memory>
#include <string>

namespace tcsim::cli {

namespace {

struct Options {
    std::string workload;
    std::string cluster;
    bool json = false;
};

/// Communication bytes each GPU sends or receives per step, by parallel dimension, as the
/// collectives' payload sizes (not wire bytes, which depend on the algorithm).
std::map<std::string, double> comm_volume(const training::Program& program) {
    std::map<std::string, double> per_dim;
    for (const auto& op : program.ops) {
        if (op.is_compute()) continue;
        per_dim[layout::to_string(op.dim)] += op.comm.bytes.value() / program.ranks;
    }
    return per_dim;
}

std::string explain(const Options& o) {
    const io::DiskFiles files;
    const workload::Workload w = io::load_workload(files, o.workload);
    topology::ClusterSpec cluster;
    const bool have_cluster = !o.cluster.empty();
    if (have_cluster) {
        cluster = io::load_cluster(files, o.cluster);
        workload::check_plan(cluster, w);
    } else {
        // Without a cluster: the layout's GPUs in 8-GPU nodes, memory capacity unknown.
        cluster.name = "(none: 8-GPU nodes assumed, no memory capacity)";
        cluster.gpus_per_node = 8;
        cluster.nodes = (w.parallel.gpus() + 7) / 8;
    }
    const auto params = workload::count_parameters(w.model);
    const auto flops = workload::flops_per_token(w.model, w.training.seq_len, w.training.recompute);
    const auto memory = training::estimate_memory(cluster, w, w.training.seq_len, w.training.global_batch_sequences);
    const auto program = training::build_program(cluster, w, w.training.seq_len, w.training.global_batch_sequences);
    const auto volume = comm_volume(program);

    if (o.json) {
        nlohmann::ordered_json j;
        j["workload"] = w.name;
        j["cluster"] = cluster.name;
        j["parameters"] = {{"total", params.total}, {"active", params.active}, {"embedding", params.embedding},
                           {"routed_experts", params.routed_experts}, {"mtp", params.mtp}};
        j["flops_per_token"] = {{"forward", flops.forward}, {"backward", flops.backward}, {"recompute", flops.recompute},
                                {"model", flops.model()}, {"hardware", flops.hardware()},
                                {"attention_forward", flops.forward_attention}};
        nlohmann::ordered_json ranks = nlohmann::ordered_json::array();
        for (const auto& r : memory.ranks)
            ranks.push_back({{"rank", r.rank}, {"parameters", r.parameters}, {"weights_bytes", r.weights},
                             {"gradients_bytes", r.gradients}, {"optimizer_bytes", r.optimizer},
                             {"activations_bytes", r.activations}, {"buffers_bytes", r.buffers},
                             {"total_bytes", r.total()}, {"micro_batches_in_flight", r.peak_micro_batches}});
        j["memory"] = {{"capacity_bytes", memory.capacity}, {"fits", have_cluster ? nlohmann::ordered_json(memory.fits()) : nullptr},
                       {"pipeline_ranks", ranks}};
        nlohmann::ordered_json comm;
        for (const auto& [dim, bytes] : volume) comm[dim] = bytes;
        j["communication_bytes_per_gpu_per_step"] = comm;
        return j.dump(2) + "\n";
    }

    std::string out = "tcsim explain: " + w.name + "\n  cluster: " + cluster.name + "\n\nParameters\n";
    out += "  total (main model)      " + units::printf_number("%10.2fB", params.total / 1e9) + "\n";
    out += "  active per token        " + units::printf_number("%10.2fB", params.active / 1e9) + "  (excluding the input embedding)\n";
    if (params.mtp > 0) out += "  MTP modules             " + units::printf_number("%10.2fB", params.mtp / 1e9) + "\n";
    out += "\nFLOPs per token (sequence " + std::to_string(w.training.seq_len) + ", causal)\n";
    out += "  forward                 " + units::printf_number("%10.2f GFLOP", flops.forward / 1e9) + "\n";
    out += "  backward                " + units::printf_number("%10.2f GFLOP", flops.backward / 1e9) + "\n";
    out += "  recompute               " + units::printf_number("%10.2f GFLOP", flops.recompute / 1e9) +
           (w.training.recompute_modules.any() ? "  (policy only; the recompute_modules' re-run work is priced in the step, not here)"
                                               : "") + "\n";
    out += "  of which attention core " + units::printf_number("%10.2f GFLOP", flops.forward_attention / 1e9) + " (forward)\n";
    out += "  model (for MFU)         " + units::printf_number("%10.2f GFLOP", flops.model() / 1e9) + "\n";
    out += "\nMemory per GPU by pipeline rank, GB (10^9 bytes)\n";
    out += "  rank  parameters  weights  gradients  optimizer  activations  buffers    total  in flight\n";
    for (const auto& r : memory.ranks) {
        char line[160];
        std::snprintf(line, sizeof line, "  %4d  %9.2fB  %7.1f  %9.1f  %9.1f  %11.1f  %7.1f  %7.1f  %9d\n", r.rank,
                      r.parameters / 1e9, r.weights / 1e9, r.gradients / 1e9, r.optimizer / 1e9, r.activations / 1e9,
                      r.buffers / 1e9, r.total() / 1e9, r.peak_micro_batches);
        out += line;
    }
    if (have_cluster)
        out += "  capacity " + units::printf_number("%.1f GB", memory.capacity / 1e9) + (memory.fits() ? ": fits\n" : ": DOES NOT FIT\n");
    out += "\nCommunication per GPU per step (collective payloads), GB\n";
    for (const auto& [dim, bytes] : volume) out += "  " + dim + std::string(12 - std::min<std::size_t>(dim.size(), 11), ' ') + units::printf_number("%10.2f", bytes / 1e9) + "\n";
    return out;
}

} // namespace

void add_explain_command(CLI::App& app, Commands& commands) {
    auto options = std::make_shared<Options>();
    CLI::App* cmd = app.add_subcommand("explain", "Parameters, FLOPs, memory and communication of a workload");
    cmd->add_option("--workload", options->workload, "Workload file (TOML)")->required();
    cmd->add_option("--cluster", options->cluster, "Cluster file (TOML): memory capacity and node size");
    cmd->add_flag("--json", options->json, "Write one JSON object");
    commands.push_back({cmd, [options] { return explain(*options); }});
}

} // namespace tcsim::cli
