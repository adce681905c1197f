#include "engine/sim_time.hpp"

#include <limits>
#include <stdexcept>
#include <string>

namespace tcsim::engine {
namespace {

[[noreturn]] void out_of_range(double s) {
    throw DurationOutOfRange("a simulated duration of " + std::to_string(s) +
                             " s exceeds the clock's int64 nanosecond range (about 292 years)");
}

} // namespace

Duration to_duration(std::chrono::duration<double> seconds, Rounding rounding) {
    const double s = seconds.count();
    // `!(s >= 0)` is also true for NaN, which every ordered comparison rejects.
    if (!(s >= 0.0)) {
        throw std::domain_error("to_duration: duration must be a non-negative number of seconds, got " +
                                std::to_string(s));
    }
    // 1e9 is exact in binary, so this product is the correctly rounded value of s * 1e9: the one
    // floating-point step between the caller's value and the integer count.
    const double ns = s * 1e9;
    // 2^63 is exactly representable; every double below it converts to int64 without overflow.
    // This also rejects +infinity.
    constexpr double limit = 9223372036854775808.0;
    if (!(ns < limit)) out_of_range(s);
    // Below 2^63 the integer part is the conversion's truncation, and ns - truncated is exact (a
    // multiple of ulp(ns) below 1): std::ceil and std::round written with it, as exact as the
    // library's and without its call (the baseline x86-64 has no rounding instruction).
    const auto truncated = static_cast<std::int64_t>(ns);
    const double fraction = ns - static_cast<double>(truncated);
    if (rounding == Rounding::nearest) {
        // As std::round: halves away from zero, i.e. up for the non-negative values here. Added
        // as a 0 or 1, not chosen by a branch: the fraction of a drawn time is a coin toss.
        return Duration{truncated + static_cast<std::int64_t>(fraction >= 0.5)};
    }
    // Rounding::up, as std::ceil.
    double whole = static_cast<double>(fraction > 0.0 ? truncated + 1 : truncated);
    // A double such as 0.3e-6 lies a few units in the last place above or below the decimal it
    // was written as; its product with 1e9 can then land just above 300 and ceil would give
    // 301 ns, a nanosecond nobody asked for. A surplus that small is noise, not time. The guard
    // `whole - 1 >= 1` keeps every positive value at >= 1 ns, because the reason to round up at
    // all is that a non-zero remainder must move the engine forward.
    const double noise = 4.0 * std::numeric_limits<double>::epsilon() * ns;
    if (whole > ns && whole - 1.0 >= 1.0 && ns - (whole - 1.0) <= noise) whole -= 1.0;
    return Duration{static_cast<std::int64_t>(whole)}; // below 2^63: ns < 2^63 and ns >= 2^52 is whole
}

} // namespace tcsim::engine
