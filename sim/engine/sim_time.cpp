#include "engine/sim_time.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace tcsim::engine {

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
    double whole = 0.0;
    switch (rounding) {
    case Rounding::up: {
        whole = std::ceil(ns);
        // A double such as 0.3e-6 lies a few units in the last place above or below the decimal
        // it was written as; its product with 1e9 can then land just above 300 and ceil would
        // give 301 ns, a nanosecond nobody asked for. A surplus that small is noise, not time.
        // The guard `whole - 1 >= 1` keeps every positive value at >= 1 ns, because the reason
        // to round up at all is that a non-zero remainder must move the engine forward.
        const double noise = 4.0 * std::numeric_limits<double>::epsilon() * ns;
        if (whole > ns && whole - 1.0 >= 1.0 && ns - (whole - 1.0) <= noise) whole -= 1.0;
        break;
    }
    case Rounding::nearest:
        // std::round takes halves away from zero, i.e. up for the non-negative values here.
        whole = std::round(ns);
        break;
    }
    // 2^63 is exactly representable; every double below it converts to int64 without overflow.
    // This also rejects +infinity.
    constexpr double limit = 9223372036854775808.0;
    if (!(whole < limit)) {
        throw DurationOutOfRange("a simulated duration of " + std::to_string(s) +
                                 " s exceeds the clock's int64 nanosecond range (about 292 years)");
    }
    return Duration{static_cast<std::int64_t>(whole)};
}

double to_seconds(Duration d) {
    // Division by the exact 1e9 is correctly rounded; multiplying by the inexact 1e-9 is not.
    return static_cast<double>(d.count()) / 1e9;
}

} // namespace tcsim::engine
