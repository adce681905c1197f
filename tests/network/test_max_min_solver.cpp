// The max-min solver against hand-solved systems. Each case states the system and its rates.
#include "network/max_min_solver.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>

using tcsim::network::MaxMinProblem;

TEST_CASE("one link, two flows: each gets half") {
    // C = 10; a = b = 1 on it  =>  r_a = r_b = 5.
    MaxMinProblem p;
    const auto link = p.add_constraint(10);
    const auto a = p.add_variable();
    const auto b = p.add_variable();
    p.add_usage(a, link, 1);
    p.add_usage(b, link, 1);
    const auto r = p.solve();
    CHECK(r[a] == doctest::Approx(5));
    CHECK(r[b] == doctest::Approx(5));
}

TEST_CASE("two links in series with a cross flow (the textbook example)") {
    // Link 1 (C = 1) carries A and B; link 2 (C = 2) carries B and C.
    // Filling: link 1 saturates first at t = 0.5 (A = B = 0.5); C alone then fills link 2:
    // C = 2 - 0.5 = 1.5.
    MaxMinProblem p;
    const auto l1 = p.add_constraint(1);
    const auto l2 = p.add_constraint(2);
    const auto a = p.add_variable();
    const auto b = p.add_variable();
    const auto c = p.add_variable();
    p.add_usage(a, l1, 1);
    p.add_usage(b, l1, 1);
    p.add_usage(b, l2, 1);
    p.add_usage(c, l2, 1);
    const auto r = p.solve();
    CHECK(r[a] == doctest::Approx(0.5));
    CHECK(r[b] == doctest::Approx(0.5));
    CHECK(r[c] == doctest::Approx(1.5));
}

TEST_CASE("parking lot: a long flow and one short flow per link all get half") {
    // Three links of C = 1 in a row; the long flow L crosses all three, short flow S_i only
    // link i. Every link saturates at t = 0.5: L = S_1 = S_2 = S_3 = 0.5.
    MaxMinProblem p;
    const auto lng = p.add_variable();
    for (int i = 0; i < 3; ++i) {
        const auto link = p.add_constraint(1);
        const auto s = p.add_variable();
        p.add_usage(lng, link, 1);
        p.add_usage(s, link, 1);
    }
    for (double r : p.solve()) CHECK(r == doctest::Approx(0.5));
}

TEST_CASE("a bounded flow freezes at its bound and frees capacity for the others") {
    // C = 10; A bounded at 2, B and C unbounded: A = 2, then B = C = (10 - 2) / 2 = 4.
    MaxMinProblem p;
    const auto link = p.add_constraint(10);
    const auto a = p.add_variable(2);
    const auto b = p.add_variable();
    const auto c = p.add_variable();
    for (auto v : {a, b, c}) p.add_usage(v, link, 1);
    const auto r = p.solve();
    CHECK(r[a] == doctest::Approx(2));
    CHECK(r[b] == doctest::Approx(4));
    CHECK(r[c] == doctest::Approx(4));
}

TEST_CASE("coefficients: a class of two flows uses twice the capacity per unit of rate") {
    // C = 12; A has coefficient 2 (two flows in lockstep), B coefficient 1. Equal per-flow
    // rates: 2t + t = 12, so A = B = 4 (A's two flows use 8 of the 12).
    MaxMinProblem p;
    const auto link = p.add_constraint(12);
    const auto a = p.add_variable();
    const auto b = p.add_variable();
    p.add_usage(a, link, 1.5);
    p.add_usage(a, link, 0.5); // repeated usage adds up
    p.add_usage(b, link, 1);
    const auto r = p.solve();
    CHECK(r[a] == doctest::Approx(4));
    CHECK(r[b] == doctest::Approx(4));
}

TEST_CASE("a bottleneck elsewhere leaves the rest of a shared link to the others") {
    // Link 1 (C = 1) carries A only; link 2 (C = 10) carries A and B. A is held to 1 by link 1;
    // B gets 10 - 1 = 9.
    MaxMinProblem p;
    const auto l1 = p.add_constraint(1);
    const auto l2 = p.add_constraint(10);
    const auto a = p.add_variable();
    const auto b = p.add_variable();
    p.add_usage(a, l1, 1);
    p.add_usage(a, l2, 1);
    p.add_usage(b, l2, 1);
    const auto r = p.solve();
    CHECK(r[a] == doctest::Approx(1));
    CHECK(r[b] == doctest::Approx(9));
}

TEST_CASE("edge cases: unconstrained variables, zero capacity, bad input") {
    MaxMinProblem p;
    const auto free_var = p.add_variable();
    const auto zero = p.add_constraint(0);
    const auto starved = p.add_variable();
    p.add_usage(starved, zero, 1);
    const auto r = p.solve();
    CHECK(std::isinf(r[free_var]));
    CHECK(r[starved] == 0);
    CHECK_THROWS_AS(p.add_constraint(-1), std::invalid_argument);
    CHECK_THROWS_AS(p.add_usage(free_var, 7, 1), std::invalid_argument);
    CHECK_THROWS_AS(p.add_usage(free_var, zero, std::nan("")), std::invalid_argument);
}

TEST_CASE("a constraint whose users all froze leaves no floating-point residue behind (full-mode hang)") {
    // C0 = 0.3 shared by x (0.1) and y (0.2); w alone on C1 = 10. Round one: C0 saturates at
    // r = 0.3 / (0.1 + 0.2) = 1 and freezes x and y. In floating point 0.1 + 0.2 - 0.1 - 0.2 is
    // 2.8e-17, not 0: C0 kept that load with no slack, so every later round took a step of 0 and
    // w never rose (full mode of Megatron GPT 7.5B on 128 A100 spun here for ever). w = 10.
    MaxMinProblem p;
    const auto c0 = p.add_constraint(0.3);
    const auto c1 = p.add_constraint(10);
    const auto x = p.add_variable();
    const auto y = p.add_variable();
    const auto w = p.add_variable();
    p.add_usage(x, c0, 0.1);
    p.add_usage(y, c0, 0.2);
    p.add_usage(w, c1, 1);
    const auto r = p.solve();
    CHECK(r[x] == doctest::Approx(1));
    CHECK(r[y] == doctest::Approx(1));
    CHECK(r[w] == doctest::Approx(10));
}

TEST_CASE("clear() forgets the previous problem: one object solves several") {
    // The textbook system (A = B = 0.5, C = 1.5), cleared, then one link of C = 10 shared by two
    // flows (5 each): the second answer is that of a fresh object.
    MaxMinProblem p;
    const auto l1 = p.add_constraint(1);
    const auto l2 = p.add_constraint(2);
    const auto a = p.add_variable();
    const auto b = p.add_variable();
    const auto c = p.add_variable();
    p.add_usage(a, l1, 1);
    p.add_usage(b, l1, 1);
    p.add_usage(b, l2, 1);
    p.add_usage(c, l2, 1);
    CHECK(p.solve()[c] == doctest::Approx(1.5));
    p.clear();
    CHECK(p.constraints() == 0);
    CHECK(p.variables() == 0);
    const auto link = p.add_constraint(10);
    const auto x = p.add_variable();
    const auto y = p.add_variable();
    p.add_usage(x, link, 1);
    p.add_usage(y, link, 1);
    const auto r = p.solve();
    REQUIRE(r.size() == 2);
    CHECK(r[x] == doctest::Approx(5));
    CHECK(r[y] == doctest::Approx(5));
}

TEST_CASE("one variable alone gets exactly the least capacity / coefficient of its constraints") {
    // Progressive filling with one variable is one round: the rate grows from 0 until its
    // tightest constraint saturates, r = min_i C_i / a_i. LinkSharing prices a flow class alone
    // on the network (98.5 % of the components of the default run) by that quotient without
    // building the problem, and relies on it being bit for bit the solver's answer.
    std::uint64_t z = 12345;
    auto next = [&] { // SplitMix64: a fixed sequence of doubles in (0.01, 100)
        z += 0x9e3779b97f4a7c15ULL;
        std::uint64_t x = z;
        x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
        x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
        x ^= x >> 31;
        return 0.01 + 99.99 * static_cast<double>(x >> 11) / static_cast<double>(std::uint64_t{1} << 53);
    };
    for (int trial = 0; trial < 200; ++trial) {
        MaxMinProblem p;
        const auto v = p.add_variable();
        double expected = MaxMinProblem::unbounded;
        const int links = 1 + trial % 40;
        for (int i = 0; i < links; ++i) {
            const double capacity = next() * 1e9;
            const double coefficient = next();
            p.add_usage(v, p.add_constraint(capacity), coefficient);
            expected = std::min(expected, capacity / coefficient);
        }
        const auto rates = p.solve();
        REQUIRE(rates.size() == 1);
        CHECK(rates[0] == expected); // exactly, not approximately
    }
}
