// A rollout priced by the serving model: DeepSeek-V3 generating one GRPO batch.
#include "../serve/models.hpp"
#include "engine/sim_time.hpp"
#include "rl/response_lengths.hpp"
#include "rl/rollout.hpp"
#include "rl/serve_decode_cost.hpp"
#include "serve/forward_step.hpp"

#include <doctest/doctest.h>

#include <numeric>
#include <vector>

using namespace tcsim;
using namespace tcsim::rl;

namespace {

serve::ServeSpec ep32_decode() {
    serve::ServeSpec spec;
    spec.decode = {.tp = 1, .dp = 32, .pp = 1, .ep = 32, .redundant_experts = 0};
    return spec;
}

} // namespace

TEST_CASE("the rollout's step cost is the serving model's decode pass at the bucketed context") {
    const auto m = serve::test::deepseek_v3();
    const auto c = serve::test::h800_nodes(4);
    const auto spec = ep32_decode();
    const DecodeStepCost cost = serve_decode_cost(m, spec, c, 64);
    const compute::ComputeModel cm(c.gpu, c.efficiency.compute, 0, compute::Conditions::training);
    // 1,000 tokens round to 1,024 (16 buckets of 64).
    const double direct =
        serve::forward_step(m, spec, spec.decode, c, cm, serve::Phase::decode, 16, 1024).slowest.time.count();
    CHECK(cost(16, 1000).count() == doctest::Approx(direct));
    CHECK(cost(16, 1000).count() == cost(16, 1010).count()); // the same bucket, from the cache
}

TEST_CASE("a GRPO batch with equal lengths: the sum of its decode passes") {
    // 512 samples (DeepSeek-R1, Nature 2025, Methods: 32 questions x 16 outputs per step) on the
    // 32 replicas of one EP32 unit, 16 slots each: one round; every step runs 16 sequences at
    // context prompt + i, so the rollout is sum_i cost(16, 500 + i) for i < 2,000.
    const auto m = serve::test::deepseek_v3();
    const auto c = serve::test::h800_nodes(4);
    const DecodeStepCost cost = serve_decode_cost(m, ep32_decode(), c, 64);
    const RolloutResult r =
        simulate_rollout(std::vector<int>(512, 2000), {.engines = 32, .slots = 16, .prompt_tokens = 500}, cost);
    double expected = 0;
    for (int i = 0; i < 2000; ++i)
        expected += engine::to_seconds(engine::to_duration(cost(16, 500 + i), engine::Rounding::up));
    CHECK(r.time.count() == doctest::Approx(expected));
    CHECK(r.generated_tokens == 512.0 * 2000);
}

TEST_CASE("a long tail of response lengths lengthens the rollout against equal lengths of the same mean") {
    const auto m = serve::test::deepseek_v3();
    const auto c = serve::test::h800_nodes(4);
    const DecodeStepCost cost = serve_decode_cost(m, ep32_decode(), c, 64);
    // Log-normal lengths (an assumption: rollout.hpp), median 2,000, sigma 0.8, cut at 32,768.
    const std::vector<int> tail =
        draw_response_lengths({.median_tokens = 2000, .sigma = 0.8, .max_tokens = 32768}, 512, 1);
    const double mean = std::accumulate(tail.begin(), tail.end(), 0.0) / static_cast<double>(tail.size());
    const RolloutEngines engines{.engines = 32, .slots = 16, .prompt_tokens = 500};
    const RolloutResult long_tail = simulate_rollout(tail, engines, cost);
    const RolloutResult equal = simulate_rollout(std::vector<int>(512, static_cast<int>(mean)), engines, cost);
    // The same tokens, but the step lasts as long as the longest response's engine, its slots
    // draining around it: longer, and with idle slots.
    CHECK(long_tail.generated_tokens == doctest::Approx(equal.generated_tokens).epsilon(0.01));
    CHECK(long_tail.time.count() > 1.5 * equal.time.count());
    CHECK(long_tail.slot_utilisation < 0.6);
    CHECK(equal.slot_utilisation == doctest::Approx(1.0));
}
