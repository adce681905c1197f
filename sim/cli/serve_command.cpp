#include "cli/serve_command.hpp"
#include "cli/option_checks.hpp"

#include "config/disk_or_builtin_files.hpp"
#include "hardware/dtype.hpp"
#include "report/serve_report.hpp"
#include "scenario/serve.hpp"

#include <memory>
#include <optional>
#include <string>

namespace tcsim::cli {

namespace {

struct Options {
    scenario::ServeInputs in;
    std::string weights = "fp8";
    std::string kv = "bf16";
    bool colocated = false;
    bool no_overlap = false;
    bool json = false;
    bool csv = false;
    double price = 0;
};

hardware::Dtype dtype(const std::string& text, const char* flag) {
    const auto d = hardware::dtype_from_string(text);
    if (!d) throw InputError(std::string(flag) + ": expected fp8, bf16, fp32, mxfp8 or nvfp4, got '" + text + "'");
    return *d;
}

std::string serve(Options o) {
    if (o.json && o.csv) throw InputError("--json and --csv: give one of them");
    o.in.spec.weight_dtype = dtype(o.weights, "--weights");
    o.in.spec.kv_dtype = dtype(o.kv, "--kv-cache");
    o.in.spec.disaggregated = !o.colocated;
    o.in.spec.overlap_communication = !o.no_overlap;
    if (o.price > 0) o.in.price_per_gpu_hour = o.price;
    config::DiskOrBuiltinFiles files;
    const report::ServeReport r = scenario::serve(files, o.in);
    return o.json ? report::serve_json(r) : o.csv ? report::serve_csv(r) : report::serve_table(r);
}

void add_layout(CLI::App& cmd, serve::ServeLayout& l, const std::string& phase) {
    cmd.add_option("--" + phase + "-tp", l.tp, phase + " tensor parallelism")->check(positive_integer("a TP size"));
    cmd.add_option("--" + phase + "-dp", l.dp, phase + " attention replicas (DP attention)")
        ->check(positive_integer("a DP size"));
    cmd.add_option("--" + phase + "-pp", l.pp, phase + " pipeline stages")->check(positive_integer("a PP size"));
    cmd.add_option("--" + phase + "-ep", l.ep, phase + " expert parallelism: 1 or tp x dp")
        ->check(positive_integer("an EP size"));
    cmd.add_option("--" + phase + "-redundant-experts", l.redundant_experts,
                   phase + " extra expert copies per layer (DeepSeek: 32)")
        ->check(integer_between(0, 1'000'000, "a count of expert copies"));
}

} // namespace

void add_serve_command(CLI::App& app, Commands& commands) {
    auto o = std::make_shared<Options>();
    o->in.spec.prompt_tokens = 1000;
    o->in.spec.output_tokens = 1000;
    CLI::App* cmd = app.add_subcommand(
        "serve", "Inference: prefill and decode tokens/s per GPU, latency per token, $ per million tokens");
    cmd->add_option("--workload", o->in.workload, "Workload file (TOML): its [model] is served")
        ->check(file_path())
        ->required();
    cmd->add_option("--cluster", o->in.cluster, "Cluster file (TOML): GPU, nodes, links")
        ->check(file_path())
        ->required();
    cmd->add_option("--prices", o->in.prices, "Price list (default: prices.toml beside the cluster)")
        ->check(file_path());
    cmd->add_option("--price-per-gpu-hour", o->price, "Rental price in USD per GPU-hour (overrides the price list)")
        ->check(CLI::Validator(check_positive, "USD > 0"));
    cmd->add_option("--prompt-tokens", o->in.spec.prompt_tokens, "Prompt tokens per request (default 1000)")
        ->check(positive_integer("a token count"));
    cmd->add_option("--output-tokens", o->in.spec.output_tokens, "Output tokens per request (default 1000)")
        ->check(positive_integer("a token count"));
    cmd->add_option("--max-batch", o->in.spec.max_batch_sequences,
                    "Sequences one decode replica runs at once (default 0: as many as the KV cache holds)")
        ->check(integer_between(0, 100'000'000, "a sequence count"));
    cmd->add_option("--prefill-batch-tokens", o->in.spec.prefill_batch_tokens,
                    "Prompt tokens one prefill replica runs per pass (default 16384)")
        ->check(positive_integer("a token count"));
    cmd->add_option("--memory-utilization", o->in.spec.memory_utilization,
                    "Fraction of HBM for weights and KV cache (default 0.9)")
        ->check(CLI::Range(0.01, 1.0));
    cmd->add_option("--weights", o->weights, "Weight dtype (default fp8)");
    cmd->add_option("--kv-cache", o->kv, "KV-cache dtype (default bf16)");
    add_layout(*cmd, o->in.spec.prefill, "prefill");
    add_layout(*cmd, o->in.spec.decode, "decode");
    cmd->add_flag("--colocated", o->colocated, "Prefill and decode on the same GPUs (the decode layout)");
    cmd->add_flag("--no-overlap", o->no_overlap, "Communication not hidden behind compute (no dual-batch overlap)");
    cmd->add_flag("--json", o->json, "Write one JSON object (schema tcsim.serve/1)");
    cmd->add_flag("--csv", o->csv, "Write CSV, one row per phase");
    commands.push_back({cmd, [o] { return serve(*o); }});
}

} // namespace tcsim::cli
