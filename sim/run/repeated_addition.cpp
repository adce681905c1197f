#include "run/repeated_addition.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>

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
    constexpr std::uint64_t kFraction = (std::uint64_t{1} << 52) - 1;
    // Below this the binade's ulp would be subnormal and term / u could lose bits: add one by
    // one until the sum is a normal number with room to spare (one addition of a term this size).
    constexpr double kSmallest = 0x1p-960;
    while (times > 0) {
        const auto bits = std::bit_cast<std::uint64_t>(sum);
        const auto biased = static_cast<std::int64_t>(bits >> 52); // sum in [2^(biased-1023), twice that)
        if (sum < kSmallest || biased >= 2046) {
            sum += term;
            --times;
            continue;
        }
        // The binade's ulp u = 2^(biased - 1075) and its end 2^(biased - 1022), from their bits;
        // sum / u is the significand with its leading one.
        const auto u = std::bit_cast<double>(static_cast<std::uint64_t>(biased - 52) << 52);
        const auto top = std::bit_cast<double>(static_cast<std::uint64_t>(biased + 1) << 52);
        if (term >= top - sum) { // the first addition already leaves the binade (top - sum is exact)
            sum += term;
            --times;
            continue;
        }
        const auto units = static_cast<std::int64_t>((bits & kFraction) | (kFraction + 1));
        const auto whole = static_cast<std::int64_t>(term / u); // term / u < 2^53: exact, truncated
        const double r = term - static_cast<double>(whole) * u; // exact: a multiple of ulp(term) below u
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
        // Additions that keep the exact sum below top; at least one, as term < top - sum means
        // units + whole <= 2^53 - 1.
        const std::int64_t room = kMantissaTop - 1 - whole - units;
        const std::int64_t m = std::min(times, room / step + 1);
        sum = static_cast<double>(units + m * step) * u;
        times -= m;
    }
    return sum;
}

} // namespace tcsim::run
