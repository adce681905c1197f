// Decode as the memory-bound closed form, continuous batching's memory limit, and the rates a
// deployment reports.
#include "models.hpp"
#include "serve/forward_step.hpp"
#include "serve/serve_error.hpp"
#include "serve/serve_model.hpp"
#include "workload/model_math.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

using namespace tcsim;
using namespace tcsim::serve;

namespace {

ForwardStep decode_one(const workload::ModelSpec& m, const ServeSpec& spec, const topology::ClusterSpec& c,
                       double sequences, double context) {
    const compute::ComputeModel cm(c.gpu, c.efficiency.compute, 0, compute::Conditions::training);
    return forward_step(m, spec, spec.decode, c, cm, Phase::decode, sequences, context);
}

} // namespace

TEST_CASE("decoding one sequence of a dense model reads every weight and the KV cache once per token") {
    // Memory-bound decode: t = (weights read + KV read) / (HBM bandwidth x memory efficiency),
    // with weights read = every parameter but the embedding table (a gather of one row), i.e.
    // count_parameters().active for a dense model, at the weights' bytes per element.
    const auto m = test::llama2_70b();
    const auto c = test::h800_nodes(1);
    ServeSpec spec;
    spec.weight_dtype = hardware::Dtype::bf16;
    const double context = 4096;
    const double weights = workload::count_parameters(m).active * 2.0;
    const double kv = 2.0 * 8 * 128 * 2 * 80 * context; // K, V x KV heads x dims x BF16 x layers
    const double expected = (weights + kv) / (3350e9 * 0.8);
    const ForwardStep s = decode_one(m, spec, c, 1, context);
    // The final norm's 8192 weights are not read by any kernel modelled: 1e-6 relative covers it.
    CHECK(s.slowest.time.count() == doctest::Approx(expected).epsilon(1e-6));
    CHECK(s.slowest.kv_read.value() == doctest::Approx(kv));
    // About 48 ms: 138 GB of BF16 weights and 1.3 GB of cache at 2.68 TB/s.
    CHECK(expected == doctest::Approx(0.0519).epsilon(0.01));
}

TEST_CASE("decoding one sequence of DeepSeek-V3 reads its active weights and the MLA latent") {
    // One token goes through its 8 routed experts, the shared one and every attention block:
    // the active parameters (37B, DeepSeek-V3 report abstract) at 1 byte (FP8), plus the
    // 576-element latent per layer per cached token at 2 bytes (BF16).
    const auto m = test::deepseek_v3();
    const auto c = test::h800_nodes(1);
    ServeSpec spec;              // FP8 weights, BF16 cache
    const double context = 4989; // DeepSeek day 6: mean KV length per output token
    const double active = workload::count_parameters(m).active;
    CHECK(active == doctest::Approx(37e9).epsilon(0.02));
    const double bw = 3350e9 * 0.8;
    const double kv_layer = 576.0 * 2 * context;
    // In the absorbed form (DeepSeek-V2 Sec. 2.1.2) each of the 128 heads scores the 576-wide
    // latent and sums the 512-wide values: 2 x (576 + 512) FLOPs per key per head, 242 FLOPs
    // per cached byte, above this GPU's ridge (0.5 x 989.4 TFLOP/s / 2.68 TB/s = 185): MLA's
    // decode core is compute-bound even for one query, its weights memory-bound.
    const double core_layer = 128.0 * 2 * (576 + 512) * context;
    CHECK(core_layer / kv_layer > 0.5 * 989.4e12 / bw);
    const double expected = active * 1.0 / bw + 61 * std::max(kv_layer / bw, core_layer / (0.5 * 989.4e12));
    const ForwardStep s = decode_one(m, spec, c, 1, context);
    CHECK(s.slowest.time.count() == doctest::Approx(expected).epsilon(1e-6));
    CHECK(s.slowest.kv_read.value() == doctest::Approx(61 * kv_layer));
    // At the whole BF16 peak (989 TFLOP/s > 242 x 2.68 TB/s = 648) the core hides under its
    // reads and the step is the memory-bound closed form (weights + latent) / bandwidth.
    auto fast = c;
    fast.efficiency.compute.attention_forward = 1.0;
    const double memory_bound = (active + 61 * kv_layer) / bw;
    CHECK(decode_one(m, spec, fast, 1, context).slowest.time.count() == doctest::Approx(memory_bound).epsilon(1e-6));
    CHECK(s.slowest.weights_read.value() == doctest::Approx(active).epsilon(1e-6));
}

TEST_CASE("a decode batch shares the weight reads: time grows with the cache, not the weights") {
    // Memory-bound at batch B: (W + B x KV) / bw, so B sequences cost less than B single ones.
    const auto m = test::llama2_70b();
    const auto c = test::h800_nodes(1);
    ServeSpec spec;
    spec.weight_dtype = hardware::Dtype::bf16;
    const double context = 1000;
    const double weights = workload::count_parameters(m).active * 2.0;
    const double kv = 2.0 * 8 * 128 * 2 * 80 * context;
    const ForwardStep s = decode_one(m, spec, c, 16, context);
    CHECK(s.slowest.time.count() == doctest::Approx((weights + 16 * kv) / (3350e9 * 0.8)).epsilon(1e-6));
}

TEST_CASE("continuous batching fills the memory the weights leave to the KV cache") {
    // FP8 Llama 2 70B on one 80 GB GPU at 90% utilisation: (72 GB - 69 GB of weights) / KV of
    // a 3,000-token sequence (3,000 x 327,680 B = 0.98 GB) -> floor(...) sequences.
    const auto m = test::llama2_70b();
    const auto c = test::h800_nodes(1);
    ServeSpec spec;
    spec.prompt_tokens = 2000;
    spec.output_tokens = 1000;
    spec.prefill.tp = 1;
    const double weights = (workload::count_parameters(m).total - 8192) * 1.0; // all but the final norm
    const double kv_seq = 327680.0 * 3000;
    const double fits = std::floor((72e9 - weights) / kv_seq);
    const ServeResult r = simulate_serving(m, spec, c, units::dollars_per_hour(2.0));
    CHECK(r.decode.memory_limit == doctest::Approx(fits));
    CHECK(r.decode.batch == r.decode.memory_limit);
    // Output tokens per second per GPU: batch / step time; dollars per million: $2/h over it.
    CHECK(r.decode.tokens_per_s_per_gpu == doctest::Approx(r.decode.batch / r.decode.step.time.count()));
    CHECK(r.decode.dollars_per_million_tokens.value() ==
          doctest::Approx(2.0 / 3600 / r.decode.tokens_per_s_per_gpu * 1e6));
    // A cap below the memory limit is kept.
    spec.max_batch_sequences = 2;
    CHECK(simulate_serving(m, spec, c, units::dollars_per_hour(2.0)).decode.batch == 2);
}

TEST_CASE("expert parallelism spreads the experts: each GPU reads its own experts only") {
    // EP 144 with 32 redundant copies (DeepSeek day 6 decode): (256 + 32) / 144 = 2 experts per
    // GPU per MoE layer; at a large batch both are read every step.
    const auto m = test::deepseek_v3();
    const auto c = test::h800_nodes(18);
    ServeSpec spec;
    spec.decode = {.tp = 1, .dp = 144, .pp = 1, .ep = 144, .redundant_experts = 32};
    const double expert = workload::layer_parameters(m, 10).routed_experts / 256;
    const double other_all = workload::count_parameters(m).total - workload::count_parameters(m).routed_experts -
                             workload::count_parameters(m).embedding;
    const ForwardStep s = decode_one(m, spec, c, 256, 5000);
    // Every GPU: all non-expert weights (DP attention replicates them) + 2 experts x 58 layers.
    CHECK(s.slowest.weights_read.value() == doctest::Approx(other_all + 2 * 58 * expert).epsilon(1e-4));
}

TEST_CASE("layouts the model cannot take are refused by name") {
    const auto m = test::deepseek_v3();
    const auto c = test::h800_nodes(4);
    ServeSpec spec;
    spec.prompt_tokens = 1000;
    spec.output_tokens = 1000;
    spec.decode = {.tp = 1, .dp = 32, .pp = 1, .ep = 16};
    CHECK_THROWS_WITH_AS((void)simulate_serving(m, spec, c, units::dollars_per_hour(2.0)),
                         doctest::Contains("decode layout: ep 16 must equal tp x dp = 32"), ServeError);
    spec.decode = {.tp = 8, .dp = 1, .pp = 1, .ep = 1};
    spec.disaggregated = false;
    // 671B FP8 over 8 GPUs by TP: 84 GB per GPU does not fit 72 GB.
    CHECK_THROWS_WITH_AS((void)simulate_serving(m, spec, c, units::dollars_per_hour(2.0)),
                         doctest::Contains("do not fit"), ServeError);
}
