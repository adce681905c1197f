#include "run/repeated_addition.hpp"

#include <algorithm>
#include <cmath>

// Why the additions can be counted instead of done
//
// Let the running sum s lie in the binade [2^(e-1), 2^e), where doubles are the multiples of
// u = 2^(e-53), and write the term c = Q u + r with Q an integer and 0 <= r < u. While the exact
// s + c stays below 2^e, rounding it to nearest gives s + Q u if r < u/2 and s + (Q + 1) u if
// r > u/2, whatever s is (s is itself a multiple of u): inside one binade every addition adds
// the same multiple of u, the step. In units of u, with S = s / u, the exact sum stays below 2^e
// exactly when S + Q <= 2^53 - 1, so the additions that keep to the binade are counted by one
// division and their result, S + m x step, is an integer below 2^53 x u: exact in a double. The
// addition that leaves the binade is done as an addition, and the count starts over in the next
// binade with its own u. A tie (r = u/2) rounds S + Q + 1/2 to the even one of S + Q and
// S + Q + 1: from an even S that is S + Q for an even Q and S + Q + 1 for an odd one, again
// even, so from an even S every addition adds Q rounded up to even; an odd S takes one
// addition to become even. A step of zero (c < u/2) means every further addition returns s: the
// sum has stopped growing.

namespace tcsim::run {

double add_repeatedly(double sum, double term, std::int64_t times) {
    if (times <= 0) return sum;
    if (term == 0) return sum + term; // the first addition may turn -0 into +0; the rest change nothing
    if (!(sum >= 0 && term > 0 && std::isfinite(sum) && std::isfinite(term))) {
        for (std::int64_t i = 0; i < times; ++i) sum += term;
        return sum;
    }
    constexpr std::int64_t kMantissaTop = std::int64_t{1} << 53; // 2^53: one binade in units of its ulp
    // Below this the binade's ulp would be subnormal and c / u could lose bits: add one by one
    // until the sum is a normal number with room to spare (one addition of a term this size).
    constexpr double kSmallest = 0x1p-960;
    while (times > 0) {
        if (sum < kSmallest) {
            sum += term;
            --times;
            continue;
        }
        int e = 0;
        static_cast<void>(std::frexp(sum, &e)); // sum in [2^(e-1), 2^e)
        const double u = std::ldexp(1.0, e - 53);
        const double top = std::ldexp(1.0, e);
        if (term >= top - sum) { // the first addition already leaves the binade
            sum += term;
            --times;
            continue;
        }
        const double q = std::floor(term / u); // term / u < 2^53: exact, as are q x u and r
        const double r = term - q * u;
        const auto units = static_cast<std::int64_t>(sum / u);
        const auto whole = static_cast<std::int64_t>(q);
        std::int64_t step = r < 0.5 * u ? whole : whole + 1;
        if (r == 0.5 * u) {
            if (units % 2 != 0) { // a tie from an odd sum: one addition makes it even
                sum += term;
                --times;
                continue;
            }
            step = whole + whole % 2; // from an even sum a tie always lands on the even neighbour
        }
        if (step == 0) return sum; // every further addition rounds back to sum
        const std::int64_t room = kMantissaTop - 1 - static_cast<std::int64_t>(q) - units;
        // room >= 0 here: term < top - sum means units + q <= 2^53 - 1.
        const std::int64_t m = std::min(times, room / step + 1);
        sum = static_cast<double>(units + m * step) * u;
        times -= m;
    }
    return sum;
}

} // namespace tcsim::run
