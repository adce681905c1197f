// Rollouts on the engine: equal lengths reproduce the closed form; a long tail lengthens the
// step exactly as the slots' draining says.
#include "rl/response_lengths.hpp"
#include "rl/rollout.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <stdexcept>
#include <vector>

using namespace tcsim;
using namespace tcsim::rl;

TEST_CASE("equal lengths: rounds of full batches, each the length's steps") {
    // 64 samples of 100 tokens on 2 engines x 8 slots at 10 ms a step: the 16 slots take
    // ceil(64 / 16) = 4 rounds of 100 steps: 4 x 100 x 0.01 s = 4 s.
    const std::vector<int> lengths(64, 100);
    const RolloutResult r = simulate_rollout(lengths, {.engines = 2, .slots = 8, .prompt_tokens = 50},
                                             [](int, double) { return units::Seconds(0.01); });
    CHECK(r.time.count() == doctest::Approx(4.0));
    CHECK(r.longest_engine_steps == 400);
    CHECK(r.generated_tokens == 6400);
    CHECK(r.slot_utilisation == doctest::Approx(1.0));
}

TEST_CASE("a long tail: the step waits for the longest response while the slots drain") {
    // One engine, 8 slots, 7 responses of 100 tokens and one of 1,000; a memory-bound step
    // costing a + b x batch (weights read once, KV per sequence): a = 20 ms, b = 1 ms.
    // The first 100 steps run 8 sequences, the last 900 one: 100 x 28 ms + 900 x 21 ms = 21.7 s,
    // against 100 x 28 ms = 2.8 s had every response been 100 tokens.
    std::vector<int> lengths(7, 100);
    lengths.push_back(1000);
    const DecodeStepCost cost = [](int batch, double) { return units::Seconds(0.020 + 0.001 * batch); };
    const RolloutResult tail = simulate_rollout(lengths, {.engines = 1, .slots = 8, .prompt_tokens = 0}, cost);
    CHECK(tail.time.count() == doctest::Approx(100 * 0.028 + 900 * 0.021));
    const RolloutResult equal =
        simulate_rollout(std::vector<int>(8, 100), {.engines = 1, .slots = 8, .prompt_tokens = 0}, cost);
    CHECK(equal.time.count() == doctest::Approx(100 * 0.028));
    // Occupied slot-steps (7 x 100 + 1,000) over 8 slots x 1,000 steps.
    CHECK(tail.slot_utilisation == doctest::Approx(1700.0 / 8000.0));
}

TEST_CASE("continuous batching refills a freed slot at the next step") {
    // One engine, 2 slots, lengths 1, 3, 2: steps 1: {1, 3} -> the 1 leaves; 2: {3, 2}; 3: {3, 2}
    // -> both leave. 3 steps, not the 3 + 2 = 5 of static batches of two.
    const RolloutResult r = simulate_rollout({1, 3, 2}, {.engines = 1, .slots = 2, .prompt_tokens = 0},
                                             [](int, double) { return units::Seconds(1.0); });
    CHECK(r.longest_engine_steps == 3);
    CHECK(r.time.count() == doctest::Approx(3.0));
}

TEST_CASE("the cost sees the batch's mean context: prompt plus tokens generated so far") {
    std::vector<double> contexts;
    (void)simulate_rollout({2, 2}, {.engines = 1, .slots = 2, .prompt_tokens = 10}, [&](int, double c) {
        contexts.push_back(c);
        return units::Seconds(1.0);
    });
    CHECK(contexts == std::vector<double>{10.0, 11.0});
}

TEST_CASE("bad rollouts are refused") {
    const DecodeStepCost one = [](int, double) { return units::Seconds(1.0); };
    CHECK_THROWS_AS((void)simulate_rollout({}, {}, one), std::invalid_argument);
    CHECK_THROWS_AS((void)simulate_rollout({0}, {}, one), std::invalid_argument);
    CHECK_THROWS_AS((void)simulate_rollout({1}, {.engines = 0, .slots = 1, .prompt_tokens = 0}, one),
                    std::invalid_argument);
}

TEST_CASE("response lengths: the median, the cap and the seed") {
    const LengthDistribution d{.median_tokens = 4000, .sigma = 0.8, .max_tokens = 32768};
    const std::vector<int> a = draw_response_lengths(d, 20001, 7);
    CHECK(a == draw_response_lengths(d, 20001, 7));
    CHECK(a != draw_response_lengths(d, 20001, 8));
    CHECK(*std::max_element(a.begin(), a.end()) <= 32768);
    // A log-normal's median is exp(mu): the sample median of 20,001 draws sits within a few
    // percent of it (its standard error is 1.2533 sigma / sqrt(n) in log space: 0.7 %).
    std::vector<int> sorted = a;
    std::nth_element(sorted.begin(), sorted.begin() + 10000, sorted.end());
    CHECK(sorted[10000] == doctest::Approx(4000).epsilon(0.03));
    // sigma = 0: every length is the median.
    const std::vector<int> flat = draw_response_lengths({.median_tokens = 500, .sigma = 0, .max_tokens = 1000}, 5, 1);
    CHECK(flat == std::vector<int>(5, 500));
    // The cap: P(length > 32768) = P(z > ln(32768/4000)/0.8 = 2.63) = 0.43 %: about 85 of 20,001.
    const auto capped = std::count(a.begin(), a.end(), 32768);
    CHECK(capped > 40);
    CHECK(capped < 140);
}
