#include "serve/serve_model.hpp"

#include "serve/kv_cache.hpp"
#include "serve/serve_error.hpp"

#include <algorithm>
#include <cmath>
#include <string>

namespace tcsim::serve {

namespace {

constexpr double kSecondsPerHour = 3600.0;

units::Dollars per_million(units::DollarsPerHour price, double tokens_per_s) {
    return units::Dollars(price.value() / (tokens_per_s * kSecondsPerHour) * 1e6);
}

struct Memory {
    units::Bytes weights;         ///< the stage holding the most per GPU
    units::Bytes kv_per_sequence; ///< at prompt + output, the same stage
    double sequences = 0;         ///< per replica per micro-batch
};

Memory memory_limit(const workload::ModelSpec& model, const ServeSpec& spec, const ServeLayout& l,
                    const topology::ClusterSpec& cluster, const char* what) {
    Memory m;
    m.sequences = -1;
    const double longest = spec.prompt_tokens + spec.output_tokens;
    const units::Bytes usable = cluster.gpu.hbm_capacity * spec.memory_utilization;
    for (int stage = 0; stage < l.pp; ++stage) {
        const units::Bytes w = weight_bytes_per_gpu(model, l, spec.weight_dtype, stage);
        const LayerRange r = stage_layers(model.layers, l.pp, stage);
        const units::Bytes kv = kv_bytes_of_sequence(model, r.first, r.last, longest, l.tp, spec.kv_dtype);
        if (w >= usable)
            throw ServeError(std::string(what) + ": " + std::to_string(w.value() / 1e9) +
                             " GB of weights per GPU on stage " + std::to_string(stage) + " do not fit in " +
                             std::to_string(usable.value() / 1e9) + " GB (memory_utilization x " + cluster.gpu.name +
                             " HBM); spread the model over more GPUs (tp, pp, ep) or use narrower weights");
        const double fits = std::floor((usable - w) / kv / l.pp);
        if (m.sequences < 0 || fits < m.sequences) {
            m.sequences = fits;
            m.weights = w;
            m.kv_per_sequence = kv;
        }
    }
    if (m.sequences < 1)
        throw ServeError(std::string(what) + ": the KV cache of one " + std::to_string(static_cast<long>(longest)) +
                         "-token sequence does not fit beside the weights; shorten the requests or add GPUs");
    return m;
}

} // namespace

ServeResult simulate_serving(const workload::ModelSpec& model, const ServeSpec& spec,
                             const topology::ClusterSpec& cluster, units::DollarsPerHour price) {
    if (spec.prompt_tokens < 1) throw ServeError("prompt tokens must be at least 1");
    if (spec.output_tokens < 1) throw ServeError("output tokens must be at least 1");
    if (spec.max_batch_sequences < 0) throw ServeError("max batch sequences must be at least 0 (0: memory-limited)");
    if (spec.prefill_batch_tokens < 1) throw ServeError("prefill batch tokens must be at least 1");
    if (!(spec.memory_utilization > 0 && spec.memory_utilization <= 1))
        throw ServeError("memory utilization must be in (0, 1]");
    const ServeLayout& pl = spec.disaggregated ? spec.prefill : spec.decode;
    check_layout(model, spec.decode, "decode layout");
    check_layout(model, pl, "prefill layout");
    const compute::ComputeModel compute(cluster.gpu, cluster.efficiency.compute.for_fp8_library(spec.fp8_gemm_library), 0,
                                        compute::Conditions::training);

    ServeResult r;
    // Decode: continuous batching to the KV-cache limit.
    const Memory dm = memory_limit(model, spec, spec.decode, cluster, "decode layout");
    PhaseResult& d = r.decode;
    d.layout = spec.decode;
    d.memory_limit = dm.sequences;
    d.batch = spec.max_batch_sequences > 0 ? std::min<double>(spec.max_batch_sequences, dm.sequences) : dm.sequences;
    d.weights_per_gpu = dm.weights;
    d.kv_per_sequence = dm.kv_per_sequence;
    const double mean_context = spec.prompt_tokens + (spec.output_tokens + 1) / 2.0;
    const ForwardStep ds =
        forward_step(model, spec, spec.decode, cluster, compute, Phase::decode, d.batch, mean_context);
    d.step = ds.slowest;
    d.latency = ds.latency;
    d.tokens_per_s_per_gpu = d.batch * spec.decode.dp / ds.slowest.time.count() / spec.decode.gpus();
    d.dollars_per_million_tokens = per_million(price, d.tokens_per_s_per_gpu);

    // Prefill: whole prompts, at least one per pass.
    const Memory pm = memory_limit(model, spec, pl, cluster, "prefill layout");
    PhaseResult& p = r.prefill;
    p.layout = pl;
    p.memory_limit = pm.sequences;
    p.weights_per_gpu = pm.weights;
    p.kv_per_sequence = pm.kv_per_sequence;
    const double prompts =
        std::max(1.0, std::floor(static_cast<double>(spec.prefill_batch_tokens) / spec.prompt_tokens));
    p.batch = prompts * spec.prompt_tokens;
    const ForwardStep ps = forward_step(model, spec, pl, cluster, compute, Phase::prefill, p.batch, spec.prompt_tokens);
    p.step = ps.slowest;
    p.latency = ps.latency;
    p.tokens_per_s_per_gpu = p.batch * pl.dp / ps.slowest.time.count() / pl.gpus();
    p.dollars_per_million_tokens = per_million(price, p.tokens_per_s_per_gpu);

    r.time_per_output_token = d.latency;
    r.time_to_first_token = p.latency;
    r.output_tokens_per_s_per_request = 1.0 / d.latency.count();
    r.prefill_gpus_per_decode_gpu =
        d.tokens_per_s_per_gpu * spec.prompt_tokens / spec.output_tokens / p.tokens_per_s_per_gpu;
    const units::Seconds gpu_seconds(spec.prompt_tokens / p.tokens_per_s_per_gpu +
                                     spec.output_tokens / d.tokens_per_s_per_gpu);
    r.dollars_per_request = price * gpu_seconds;
    r.dollars_per_million_output_tokens_all_in = r.dollars_per_request * (1e6 / spec.output_tokens);
    return r;
}

} // namespace tcsim::serve
