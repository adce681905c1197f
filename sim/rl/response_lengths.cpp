#include "rl/response_lengths.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>
#include <stdexcept>

namespace tcsim::rl {

namespace {

/// A uniform draw in (0, 1) from the generator's top 53 bits: never 0 (the log below needs it).
double open_uniform(std::mt19937_64& g) { return (static_cast<double>(g() >> 11) + 0.5) * (1.0 / 9007199254740992.0); }

} // namespace

std::vector<int> draw_response_lengths(const LengthDistribution& d, int count, std::uint64_t seed) {
    if (count < 1) throw std::invalid_argument("response lengths: count must be at least 1");
    if (!(d.median_tokens >= 1)) throw std::invalid_argument("response lengths: median must be at least 1 token");
    if (d.max_tokens < 1) throw std::invalid_argument("response lengths: maximum must be at least 1 token");
    if (!(d.sigma >= 0)) throw std::invalid_argument("response lengths: sigma must be at least 0");
    std::mt19937_64 g(seed);
    std::vector<int> out;
    out.reserve(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) {
        // Box-Muller: sqrt(-2 ln u1) cos(2 pi u2) is a standard normal draw.
        const double u1 = open_uniform(g);
        const double u2 = open_uniform(g);
        const double z = std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
        const double length = d.median_tokens * std::exp(d.sigma * z);
        out.push_back(static_cast<int>(std::clamp(std::round(length), 1.0, static_cast<double>(d.max_tokens))));
    }
    return out;
}

} // namespace tcsim::rl
