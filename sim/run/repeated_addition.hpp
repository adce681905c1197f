// The sum that `times` additions of one term give, in floating point, without adding `times`
// times.
//
// Contract
// - Exact: add_repeatedly(sum, term, times) returns, bit for bit, what
//       for (i = 0; i < times; ++i) sum += term;
//   leaves in `sum` under IEEE-754 binary64 arithmetic rounding to nearest, ties to even (the
//   default floating-point environment; the result is not the real sum times x term, which
//   rounding makes differ in the last bits).
// - Cost: O(1) per binade the sum crosses (a few dozen at most, ties to even included);
//   `times` <= 0 returns `sum` unchanged and a zero term costs one addition. Outside those
//   cases and the fast one (sum >= 0 and term > 0, both finite: NaN, infinities, negative
//   operands) it adds one by one, as it does while the sum is below 2^-960 (so a term that
//   small costs an addition each: nothing this project adds is).
//
// Why it exists: the failure Monte Carlo (run/failure_simulation.hpp) adds the checkpoint write
// time once per checkpoint, thousands of times per sample, and must give the engine's samples
// bit for bit; one call per run of checkpoints keeps that and prices 10^6 samples in seconds.
#pragma once

#include <cstdint>

namespace tcsim::run {

double add_repeatedly(double sum, double term, std::int64_t times);

} // namespace tcsim::run
