// A serving deployment in steady state: continuous batching up to the KV-cache memory limit,
// prefill and decode rates per GPU, latency per token, and dollars per million tokens.
//
// Continuous batching (Yu et al., Orca, OSDI'22: a finished sequence's slot is refilled at the
// next iteration): in steady state every slot of a decode batch holds a request somewhere in
// its output, uniformly, so the batch's mean context is prompt + (output + 1)/2 tokens. The
// batch per attention replica is the smaller of ServeSpec::max_batch_sequences and what the
// KV cache may hold: (HBM x memory_utilization - weights per GPU) / KV bytes of one sequence
// at its longest (prompt + output) on the stage that holds the most per GPU, over the pp
// micro-batches in flight.
//
// Rates: decode produces `batch` tokens per replica per step of the slowest stage; a pipeline
// keeps pp micro-batches in flight, so a deployment unit of tp x dp x pp GPUs produces
// dp x batch tokens per stage step. Prefill likewise with prefill_batch_tokens per replica.
// Latency per output token is the pipeline's latency (every stage once); time to first token
// is one prefill pass through every stage.
//
// Dollars per million tokens: price per GPU-hour / (tokens/s per GPU x 3600) x 1e6, for input
// (prefill) and output (decode) tokens apart; per request, the GPU-seconds of its prompt and its
// output. Disaggregated: the prefill GPUs per decode GPU that keep both phases busy are
// (output rate per decode GPU x prompt/output) / input rate per prefill GPU.
//
// Contract: pure and deterministic; throws ServeError naming the field for a deployment that
// cannot run (layout, weights that do not fit, no room for one sequence).
#pragma once

#include "serve/forward_step.hpp"
#include "serve/serve_spec.hpp"
#include "topology/cluster.hpp"
#include "units/quantity.hpp"
#include "workload/model_spec.hpp"

namespace tcsim::serve {

struct PhaseResult {
    ServeLayout layout;
    double batch = 0;             ///< sequences (decode) or tokens (prefill) per replica per pass
    double memory_limit = 0;      ///< decode: sequences the KV cache holds per replica per micro-batch
    units::Bytes weights_per_gpu; ///< the stage holding the most
    units::Bytes kv_per_sequence; ///< decode: at prompt + output, per GPU
    StageStep step;               ///< the slowest stage's pass
    units::Seconds latency{0.0};  ///< one pass through every stage
    double tokens_per_s_per_gpu = 0;
    units::Dollars dollars_per_million_tokens;
};

struct ServeResult {
    PhaseResult prefill; ///< input tokens
    PhaseResult decode;  ///< output tokens
    units::Seconds time_per_output_token{0.0};
    units::Seconds time_to_first_token{0.0};
    double output_tokens_per_s_per_request = 0;
    double prefill_gpus_per_decode_gpu = 0;                  ///< disaggregated: to keep both busy
    units::Dollars dollars_per_request;                      ///< GPU-seconds of prompt and output at the price
    units::Dollars dollars_per_million_output_tokens_all_in; ///< per request / output tokens
};

[[nodiscard]] ServeResult simulate_serving(const workload::ModelSpec& model, const ServeSpec& spec,
                                           const topology::ClusterSpec& cluster, units::DollarsPerHour price);

} // namespace tcsim::serve
