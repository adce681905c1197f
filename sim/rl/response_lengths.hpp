// Response lengths of an RL step's samples: a long-tailed distribution cut at the maximum
// length, drawn from a seed.
//
// Lengths are log-normal (median m, log-space sigma s): reasoning models' response lengths are
// right-skewed with a long tail (DeepSeek-R1, Nature 2025, Fig. 1b: the mean response length
// grows through training while some responses reach the cap), and a log-normal is the simplest
// two-parameter law with that shape; it is an assumption, stated where used. A draw above
// `max_tokens` is cut to it (the generation stops at the cap, as samplers do).
//
// Contract: deterministic for a seed on every platform (its own Box-Muller transform on
// std::mt19937_64's integer outputs; the standard distributions' algorithms differ between
// libraries). Throws std::invalid_argument for a non-positive count, median or maximum, or a
// negative sigma.
#pragma once

#include <cstdint>
#include <vector>

namespace tcsim::rl {

struct LengthDistribution {
    double median_tokens = 0;
    double sigma = 0; ///< of ln(length); 0: every length is the median
    int max_tokens = 0;
};

[[nodiscard]] std::vector<int> draw_response_lengths(const LengthDistribution& d, int count, std::uint64_t seed);

} // namespace tcsim::rl
