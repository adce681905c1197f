#include "report/serve_report.hpp"

#include "report/csv_text.hpp"
#include "report/json_number.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <string>

namespace tcsim::report {

namespace {

std::string layout_text(const serve::ServeLayout& l) {
    std::string t = "TP" + std::to_string(l.tp) + " DP" + std::to_string(l.dp) + " PP" + std::to_string(l.pp);
    if (l.ep > 1) t += " EP" + std::to_string(l.ep);
    if (l.redundant_experts > 0) t += " (+" + std::to_string(l.redundant_experts) + " expert copies)";
    return t + ", " + std::to_string(l.gpus()) + " GPUs";
}

std::string fmt(const char* pattern, double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, pattern, v);
    return buf;
}

nlohmann::ordered_json phase_json(const serve::PhaseResult& p) {
    nlohmann::ordered_json j;
    j["tp"] = p.layout.tp;
    j["dp"] = p.layout.dp;
    j["pp"] = p.layout.pp;
    j["ep"] = p.layout.ep;
    j["redundant_experts"] = p.layout.redundant_experts;
    j["gpus"] = p.layout.gpus();
    j["batch"] = json_number(p.batch);
    j["memory_limit_sequences"] = json_number(p.memory_limit);
    j["weights_per_gpu_gb"] = json_number(p.weights_per_gpu.value() / 1e9);
    j["kv_per_sequence_gb"] = json_number(p.kv_per_sequence.value() / 1e9);
    j["step_s"] = json_number(p.step.time.count());
    j["step_compute_s"] = json_number(p.step.compute.count());
    j["step_communication_s"] = json_number(p.step.communication.count());
    j["latency_s"] = json_number(p.latency.count());
    j["tokens_per_s_per_gpu"] = json_number(p.tokens_per_s_per_gpu);
    j["usd_per_million_tokens"] = json_number(p.dollars_per_million_tokens.value());
    return j;
}

} // namespace

std::string serve_table(const ServeReport& r) {
    const auto& s = r.result;
    std::string t;
    t += "Serving " + r.model + " (" + r.workload + ") on " + r.cluster + " (" + r.gpu + ")\n";
    t += "  requests: " + std::to_string(r.spec.prompt_tokens) + " prompt + " + std::to_string(r.spec.output_tokens) +
         " output tokens; weights " + std::string(hardware::to_string(r.spec.weight_dtype)) + ", KV cache " +
         std::string(hardware::to_string(r.spec.kv_dtype)) + "; " +
         (r.spec.disaggregated ? "prefill and decode on separate GPUs" : "prefill and decode on the same GPUs") + "\n";
    t += "  price: " + fmt("$%.2f", r.price_per_gpu_hour) + " per GPU-hour (" + r.price_source + ")\n";
    if (!r.inputs_at_median.empty())
        t += "  " + inputs_at_median_note(r.inputs_at_median, "tcsim serve") +
             "  (each range's ends: \"Spread\" below)\n";
    t += "  assumed: weights and KV cache fill " + fmt("%.0f %%", r.spec.memory_utilization * 100) +
         " of HBM (vLLM's default gpu_memory_utilization), prefill passes of " +
         std::to_string(r.spec.prefill_batch_tokens) + " tokens (--memory-utilization, --prefill-batch-tokens)\n\n";
    auto row = [&](const std::string& label, const std::string& value) {
        t += "  " + label + std::string(label.size() < 24 ? 24 - label.size() : 1, ' ') + value + "\n";
    };
    auto phase = [&](const char* name, const serve::PhaseResult& p, const char* unit, bool decode) {
        t += std::string(name) + ": " + layout_text(p.layout) + "\n";
        row("batch per replica",
            fmt("%.0f", p.batch) +
                (decode ? fmt(" sequences (KV-cache limit %.0f)", p.memory_limit) : std::string(" tokens")));
        row("weights per GPU", fmt("%.1f GB", p.weights_per_gpu.value() / 1e9));
        row("step", fmt("%.2f ms", p.step.time.count() * 1e3) +
                        fmt(" (compute %.2f ms, ", p.step.compute.count() * 1e3) +
                        fmt("communication %.2f ms)", p.step.communication.count() * 1e3));
        row(std::string(unit) + " per GPU", fmt("%.0f", p.tokens_per_s_per_gpu));
        row("$ per million tokens", fmt("%.3f", p.dollars_per_million_tokens.value()));
    };
    phase("Prefill", s.prefill, "tokens/s in", false);
    phase("Decode", s.decode, "tokens/s out", true);
    t += "\n";
    t += "Time to first token      " + fmt("%.1f ms", s.time_to_first_token.count() * 1e3) + "\n";
    t += "Time per output token    " + fmt("%.1f ms", s.time_per_output_token.count() * 1e3) +
         fmt(" (%.1f tokens/s per request)", s.output_tokens_per_s_per_request) + "\n";
    if (r.spec.disaggregated) t += "Prefill GPUs per decode GPU " + fmt("%.3f", s.prefill_gpus_per_decode_gpu) + "\n";
    t += "$ per request            " + fmt("%.6f", s.dollars_per_request.value()) + "\n";
    t += "$ per million output tokens, prompt included " +
         fmt("%.3f", s.dollars_per_million_output_tokens_all_in.value()) + "\n";
    if (!r.spread.empty()) {
        t += "\nSpread (each range at its low and its high end, the others at their medians)\n";
        t += "  input = value                              tokens/s out per GPU  ms per output token  $ per million "
             "output tokens\n";
        auto line = [&](const std::string& what, const serve::ServeResult& x) {
            std::string l = "  " + what;
            l.resize(std::max<std::size_t>(l.size() + 1, 45), ' ');
            t += l + fmt("%20.0f", x.decode.tokens_per_s_per_gpu) +
                 fmt("  %19.1f", x.time_per_output_token.count() * 1e3) +
                 fmt("  %28.3f", x.dollars_per_million_output_tokens_all_in.value()) + "\n";
        };
        for (const auto& sp : r.spread) {
            line(sp.key + " = " + sp.low, sp.at_low);
            line(sp.key + " = " + sp.high, sp.at_high);
        }
    }
    for (const auto& b : r.builtin_inputs) t += "(built-in " + b + ")\n";
    return t;
}

std::string serve_json(const ServeReport& r) {
    const auto& s = r.result;
    nlohmann::ordered_json j;
    j["schema"] = "tcsim.serve/1";
    j["tcsim_version"] = TCSIM_VERSION;
    j["workload"] = r.workload;
    j["model"] = r.model;
    j["cluster"] = r.cluster;
    j["gpu"] = r.gpu;
    j["usd_per_gpu_hour"] = json_number(r.price_per_gpu_hour);
    j["price_source"] = r.price_source;
    j["prompt_tokens"] = r.spec.prompt_tokens;
    j["output_tokens"] = r.spec.output_tokens;
    j["weight_dtype"] = std::string(hardware::to_string(r.spec.weight_dtype));
    j["kv_dtype"] = std::string(hardware::to_string(r.spec.kv_dtype));
    j["memory_utilization"] = json_number(r.spec.memory_utilization);
    j["prefill_batch_tokens"] = r.spec.prefill_batch_tokens;
    j["disaggregated"] = r.spec.disaggregated;
    j["overlap_communication"] = r.spec.overlap_communication;
    j["prefill"] = phase_json(s.prefill);
    j["decode"] = phase_json(s.decode);
    j["time_to_first_token_s"] = json_number(s.time_to_first_token.count());
    j["time_per_output_token_s"] = json_number(s.time_per_output_token.count());
    j["output_tokens_per_s_per_request"] = json_number(s.output_tokens_per_s_per_request);
    j["prefill_gpus_per_decode_gpu"] = json_number(s.prefill_gpus_per_decode_gpu);
    j["usd_per_request"] = json_number(s.dollars_per_request.value());
    j["usd_per_million_output_tokens_all_in"] = json_number(s.dollars_per_million_output_tokens_all_in.value());
    j["builtin_inputs"] = r.builtin_inputs;
    j["inputs_at_median"] = inputs_at_median_json(r.inputs_at_median);
    nlohmann::ordered_json spread = nlohmann::ordered_json::array();
    auto end = [](const std::string& value, const serve::ServeResult& x) {
        return nlohmann::ordered_json{
            {"value", value},
            {"prefill_tokens_per_s_per_gpu", json_number(x.prefill.tokens_per_s_per_gpu)},
            {"decode_tokens_per_s_per_gpu", json_number(x.decode.tokens_per_s_per_gpu)},
            {"time_per_output_token_s", json_number(x.time_per_output_token.count())},
            {"usd_per_million_output_tokens_all_in", json_number(x.dollars_per_million_output_tokens_all_in.value())}};
    };
    for (const auto& sp : r.spread)
        spread.push_back({{"key", sp.key}, {"low", end(sp.low, sp.at_low)}, {"high", end(sp.high, sp.at_high)}});
    j["spread"] = spread;
    return j.dump(2) + "\n";
}

std::string serve_csv(const ServeReport& r) {
    std::string t = csv_record({"phase", "tp", "dp", "pp", "ep", "gpus", "batch", "weights_per_gpu_gb", "step_s",
                                "latency_s", "tokens_per_s_per_gpu", "usd_per_million_tokens"});
    auto row = [&](const char* name, const serve::PhaseResult& p) {
        t += csv_record({name, std::to_string(p.layout.tp), std::to_string(p.layout.dp), std::to_string(p.layout.pp),
                         std::to_string(p.layout.ep), std::to_string(p.layout.gpus()), csv_number(p.batch),
                         csv_number(p.weights_per_gpu.value() / 1e9), csv_number(p.step.time.count()),
                         csv_number(p.latency.count()), csv_number(p.tokens_per_s_per_gpu),
                         csv_number(p.dollars_per_million_tokens.value())});
    };
    row("prefill", r.result.prefill);
    row("decode", r.result.decode);
    // Each range carried through: the decode phase with that input at its low and its high end.
    for (const auto& sp : r.spread) {
        row(("decode, " + sp.key + " = " + sp.low).c_str(), sp.at_low.decode);
        row(("decode, " + sp.key + " = " + sp.high).c_str(), sp.at_high.decode);
    }
    return t;
}

} // namespace tcsim::report
