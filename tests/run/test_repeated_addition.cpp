// Summing one term many times in closed form (run/repeated_addition.hpp): every result must be
// the very double that adding one by one gives, never merely close.
#include "run/repeated_addition.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>

using tcsim::run::add_repeatedly;

namespace {

double one_by_one(double sum, double term, std::int64_t times) {
    for (std::int64_t i = 0; i < times; ++i) sum += term;
    return sum;
}

/// Bitwise equality: also tells +0 from -0 and accepts NaN == NaN.
bool same_bits(double a, double b) {
    return std::signbit(a) == std::signbit(b) && (a == b || (std::isnan(a) && std::isnan(b)));
}

} // namespace

TEST_CASE("integers add exactly: 10^12 additions of 1 give 10^12") {
    // Every partial sum is an integer below 2^53, so each addition is exact (IEEE 754, 4.3).
    CHECK(add_repeatedly(0.0, 1.0, 1'000'000'000'000) == 1e12);
    CHECK(add_repeatedly(7.0, 0.25, 4'000'000'000) == 7.0 + 1e9);
}

TEST_CASE("a term below half an ulp stops the sum, ties going to even") {
    // 1 + 2^-53 lies halfway between 1 and 1 + 2^-52; round to nearest, ties to even, keeps 1
    // (IEEE 754-2019, 4.3.1): the sum never moves, however often the term is added.
    CHECK(add_repeatedly(1.0, 0x1p-53, 1'000'000'000'000) == 1.0);
    // From 1 + 2^-52 (odd last bit) the first tie rounds up to 1 + 2^-51, then the sum is stuck.
    CHECK(add_repeatedly(1.0 + 0x1p-52, 0x1p-53, 1'000'000'000'000) == 1.0 + 0x1p-51);
    // A term of 1.5 ulp: from an even sum each addition lands on the even neighbour 2 ulp up.
    CHECK(add_repeatedly(1.0, 3 * 0x1p-53, 1000) == 1.0 + 2000 * 0x1p-52);
    CHECK(add_repeatedly(1.0, 0x1p-60, 1'000'000'000'000) == 1.0); // a quarter ulp and less
}

TEST_CASE("a zero term changes nothing but the sign of a negative zero") {
    CHECK(same_bits(add_repeatedly(-0.0, 0.0, 5), 0.0));
    CHECK(same_bits(add_repeatedly(3.5, -0.0, 5), 3.5));
    CHECK(same_bits(add_repeatedly(2.0, 1.0, 0), 2.0));
    CHECK(same_bits(add_repeatedly(2.0, 1.0, -3), 2.0));
}

TEST_CASE("every result equals adding one by one") {
    // Sums and terms of every scale the failure Monte Carlo meets (seconds of checkpointing:
    // 0 to 10^8 s, terms of 1 ns to hours) and beyond, with counts that cross many binades; the
    // reference is the plain loop, so the check is bit for bit.
    std::mt19937_64 rng(20261206);
    std::uniform_real_distribution<double> exponent(-12.0, 9.0);
    std::uniform_int_distribution<std::int64_t> count(0, 20'000);
    int checked = 0;
    for (int i = 0; i < 2000; ++i) {
        const double sum = i % 7 == 0 ? 0.0 : std::pow(10.0, exponent(rng));
        double term = std::pow(10.0, exponent(rng) - 3.0);
        if (i % 5 == 0) term = std::round(term * 1e9) / 1e9; // whole nanoseconds, as the engine counts
        const std::int64_t times = count(rng);
        CAPTURE(sum);
        CAPTURE(term);
        CAPTURE(times);
        CHECK(same_bits(add_repeatedly(sum, term, times), one_by_one(sum, term, times)));
        ++checked;
    }
    // Ties in every binade from 1 to 2^20: terms of an odd number of half ulps of the starting
    // binade, from even and odd sums.
    for (int e = 0; e <= 20; ++e) {
        for (const double sum : {std::ldexp(1.0, e), std::ldexp(1.0, e) + std::ldexp(1.0, e - 52)}) {
            for (const int half_ulps : {1, 3, 5, 7, 1001}) {
                const double term = half_ulps * std::ldexp(1.0, e - 53);
                CAPTURE(sum);
                CAPTURE(term);
                CHECK(same_bits(add_repeatedly(sum, term, 30'000), one_by_one(sum, term, 30'000)));
                ++checked;
            }
        }
    }
    CHECK(checked == 2000 + 21 * 2 * 5);
}

TEST_CASE("outside the fast case the additions are done one by one") {
    CHECK(same_bits(add_repeatedly(10.0, -0.3, 1000), one_by_one(10.0, -0.3, 1000)));
    CHECK(same_bits(add_repeatedly(-5.0, 0.1, 1000), one_by_one(-5.0, 0.1, 1000)));
    CHECK(std::isnan(add_repeatedly(std::numeric_limits<double>::quiet_NaN(), 1.0, 10)));
    CHECK(add_repeatedly(std::numeric_limits<double>::infinity(), 1.0, 10) == std::numeric_limits<double>::infinity());
    CHECK(same_bits(add_repeatedly(0.0, 0x1p-1000, 3), 3 * 0x1p-1000));
}
