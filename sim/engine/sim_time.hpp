// Simulated time: an integer count of nanoseconds on a clock of our own.
//
// Contract
// - `Duration` is `std::chrono::duration<std::int64_t, std::nano>` (the same type as
//   `std::chrono::nanoseconds` on every platform tcsim builds on), so chrono literals such as
//   `2us` convert to it implicitly and exactly. int64 nanoseconds span about 292 years.
// - `SimTime` is a time point on `SimClock`; a simulation starts at `SimTime{}` (zero).
//   `SimClock` has no `now()`: the current time belongs to one `Simulation` object, never to a
//   global clock.
// - Floating-point seconds become a `Duration` only through `to_duration`, once, with an
//   explicit rounding choice. `Rounding::up` is the choice for completion times computed from
//   rates (bytes / bandwidth), so a positive remainder always moves the engine forward.
#pragma once

#include <chrono>
#include <cstdint>
#include <stdexcept>

namespace tcsim::engine {

using Duration = std::chrono::duration<std::int64_t, std::nano>;

struct SimClock {
    using rep = std::int64_t;
    using period = std::nano;
    using duration = Duration;
    using time_point = std::chrono::time_point<SimClock, Duration>;
    static constexpr bool is_steady = true;
};

using SimTime = SimClock::time_point;

enum class Rounding {
    // The smallest whole nanosecond count not below the value; any positive value gives >= 1 ns.
    // A surplus over a whole count n >= 1 of at most 4 * DBL_EPSILON * value (four to eight
    // units in the last place) is treated as rounding noise, so decimal inputs that a double
    // cannot hold exactly keep their written value: 0.3e-6 s is 300 ns, not 301 ns.
    up,
    // The nearest whole nanosecond count; an exact half rounds up (1.5 ns -> 2 ns, 2.5 ns -> 3 ns).
    nearest,
};

// Converts floating seconds to integer nanoseconds once, with an explicit rounding choice.
// Throws std::domain_error on negative, NaN or out-of-range (> int64 ns) input; -0.0 is zero.
/// A finite duration too long for the clock: the inputs ask for a time (a step, a transfer) of
/// more than about 292 years. Whoever reports bad input reports it (tcsim exits 2).
class DurationOutOfRange : public std::domain_error {
public:
    using std::domain_error::domain_error;
};

/// Throws std::domain_error for a negative or NaN duration, DurationOutOfRange beyond the clock.
Duration to_duration(std::chrono::duration<double> seconds, Rounding rounding);

// The duration as double seconds (correctly rounded: count / 1e9). Division by the exact 1e9
// is correctly rounded; multiplying by the inexact 1e-9 is not.
inline double to_seconds(Duration d) { return static_cast<double>(d.count()) / 1e9; }

} // namespace tcsim::engine
