#include "cli/override_options.hpp"

#include "cli/option_checks.hpp"

#include <array>

namespace tcsim::cli {
namespace {

struct Shorthand {
    const char* names; ///< CLI11 names: the short spelling first, then Megatron-LM's
    config::FileKind kind;
    const char* key;
    const char* help;
};

constexpr std::array<Shorthand, 16> kShorthands{{
    {"--gpu", config::FileKind::cluster, "gpu", "Swap the cluster's GPU for this GPU catalog entry (e.g. H100-SXM)"},
    {"--tp,--tensor-model-parallel-size", config::FileKind::workload, "parallel.tp", "Tensor-parallel degree"},
    {"--pp,--pipeline-model-parallel-size", config::FileKind::workload, "parallel.pp", "Pipeline-parallel degree"},
    {"--vpp", config::FileKind::workload, "parallel.virtual_stages",
     "Model chunks per pipeline rank (interleaved-1f1b)"},
    {"--dp", config::FileKind::workload, "parallel.dp",
     "Data-parallel degree (default: derived from the GPUs when TP, PP, CP or the GPU count change)"},
    {"--cp,--context-parallel-size", config::FileKind::workload, "parallel.cp", "Context-parallel degree"},
    {"--ep,--expert-model-parallel-size", config::FileKind::workload, "parallel.ep", "Expert-parallel degree"},
    {"--etp,--expert-tensor-parallel-size", config::FileKind::workload, "parallel.etp",
     "Expert tensor-parallel degree"},
    {"--mbs,--micro-batch-size", config::FileKind::workload, "parallel.micro_batch_sequences",
     "Micro-batch size in sequences"},
    {"--gbs,--global-batch-size", config::FileKind::workload, "training.global_batch_sequences",
     "Global batch size in sequences"},
    {"--zero", config::FileKind::workload, "parallel.zero_stage", "ZeRO stage (0-3)"},
    {"--recompute", config::FileKind::workload, "training.recompute",
     "Activation recomputation: none, selective, full"},
    {"--schedule", config::FileKind::workload, "parallel.schedule",
     "Pipeline schedule: gpipe, 1f1b, interleaved-1f1b, zero-bubble, dualpipe"},
    {"--dtype", config::FileKind::workload, "training.gemm_dtype",
     "GEMM dtype: fp8, bf16, fp16, tf32, fp32, mxfp8, nvfp4"},
    {"--seq-len,--seq-length", config::FileKind::workload, "training.seq_len", "Sequence length in tokens"},
    {"--tokens", config::FileKind::workload, "training.tokens", "Training tokens (e.g. 14.8e12)"},
}};

/// "--tp" of "--tp,--tensor-model-parallel-size".
std::string first_name(const char* names) {
    const std::string all(names);
    return all.substr(0, all.find(','));
}

} // namespace

config::Overrides OverrideOptions::overrides() const {
    config::Overrides out;
    for (const auto& f : flags) out.add(f);
    for (const auto& text : sets) out.add_set(text);
    return out;
}

void add_override_options(CLI::App& app, OverrideOptions& options) {
    for (const Shorthand& s : kShorthands) {
        const std::string flag = first_name(s.names);
        app.add_option_function<std::string>(
               s.names,
               [&options, s, flag](const std::string& value) {
                   options.flags.push_back({s.kind, s.key, value, flag + " " + value});
               },
               std::string(s.help) + " (overrides " + std::string(config::to_string(s.kind)) + "." + s.key + ")")
            ->group("Overrides");
    }
    app.add_option("--set", options.sets,
                   "Override any key of an input file: KIND.KEY=VALUE, KIND one of cluster, workload, claim, prices, "
                   "datacenter, gpus, efficiency, mfu_records (e.g. --set workload.parallel.tp=4, --set "
                   "cluster.nic_bandwidth=\"200 Gb/s\"); repeatable")
        ->allow_extra_args(false) // one value per --set, so that a claim file after it stays positional
        ->group("Overrides");
    app.add_option("--nodes", options.use.nodes, "Use only this many nodes of the cluster (scales data parallelism)")
        ->check(positive_integer("a node count"))
        ->group("Overrides");
    app.add_option("--gpus", options.use.gpus,
                   "What-if: resize the cluster to this many GPUs (whole nodes) and scale data parallelism")
        ->check(positive_integer("a GPU count"))
        ->group("Overrides");
}

} // namespace tcsim::cli
