// The incremental max-min solver (incremental_max_min.hpp): hand-solved systems where a change
// propagates beyond the variables next to it, and seeded random sequences of additions and
// removals checked after every update against a from-scratch MaxMinProblem solve.
#include "network/incremental_max_min.hpp"

#include "network/max_min_solver.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <deque>
#include <random>
#include <stdexcept>
#include <vector>

using tcsim::network::IncrementalMaxMin;
using tcsim::network::LinkUse;
using tcsim::network::MaxMinProblem;

namespace {

/// Variables' uses kept where the solver's spans can point at them.
struct Uses {
    std::deque<std::vector<LinkUse>> lists;
    std::span<const LinkUse> operator()(std::vector<LinkUse> uses) {
        lists.push_back(std::move(uses));
        return lists.back();
    }
};

/// The from-scratch rates of the variables `present` (ids into `uses`).
std::vector<double> scratch_rates(const std::vector<double>& capacity, const std::vector<std::vector<LinkUse>>& uses,
                                  const std::vector<std::uint32_t>& present) {
    MaxMinProblem p;
    for (double c : capacity) p.add_constraint(c);
    for (std::uint32_t v : present) {
        const auto var = p.add_variable();
        for (const LinkUse& u : uses[v]) p.add_usage(var, u.link, u.coefficient);
    }
    return p.solve();
}

} // namespace

TEST_CASE("incremental max-min: the textbook cross flow, then its neighbour ends") {
    // Link 0 (C = 1) carries A and B; link 1 (C = 2) carries B and C: A = B = 0.5, C = 1.5
    // (test_max_min_solver.cpp). A ends: B alone on link 0 would take 1, and link 1 splits
    // fairly: B = C = 1.
    const std::vector<double> capacity{1, 2};
    IncrementalMaxMin solver(capacity);
    Uses uses;
    solver.add(0, uses({{0, 1}}));
    solver.add(1, uses({{0, 1}, {1, 1}}));
    solver.add(2, uses({{1, 1}}));
    std::vector<std::uint32_t> changed;
    solver.update(changed);
    CHECK(changed.size() == 3);
    CHECK(solver.rate(0) == doctest::Approx(0.5));
    CHECK(solver.rate(1) == doctest::Approx(0.5));
    CHECK(solver.rate(2) == doctest::Approx(1.5));
    solver.remove(0);
    changed.clear();
    solver.update(changed);
    CHECK(solver.rate(1) == doctest::Approx(1.0));
    CHECK(solver.rate(2) == doctest::Approx(1.0));
}

TEST_CASE("incremental max-min: a change propagates along a cascade of bottlenecks, and no further") {
    // Links 0..3 with C = 1, 1.5, 2, 5. A and B on link 0; B and C on link 1; C and D on link
    // 2; D and E on link 3. Filling: link 0 saturates at 0.5 (A = B = 0.5); link 1 then has
    // 1.5 - 0.5 = 1 for C; link 2 then 2 - 1 = 1 for D; link 3 then 5 - 1 = 4 for E.
    // A ends: link 0 no longer binds B first; link 1 saturates at 0.75 (B = C = 0.75); link 2
    // gives D 2 - 0.75 = 1.25; link 3 gives E 5 - 1.25 = 3.75. The region starts as B alone (the
    // only other user of A's link) and must grow to C, D and E, one bottleneck at a time.
    // A separate link 4 (C = 3) with F alone is not coupled: its rate is not recomputed.
    const std::vector<double> capacity{1, 1.5, 2, 5, 3};
    IncrementalMaxMin solver(capacity);
    Uses uses;
    solver.add(0, uses({{0, 1}}));
    solver.add(1, uses({{0, 1}, {1, 1}}));
    solver.add(2, uses({{1, 1}, {2, 1}}));
    solver.add(3, uses({{2, 1}, {3, 1}}));
    solver.add(4, uses({{3, 1}}));
    solver.add(5, uses({{4, 1}}));
    std::vector<std::uint32_t> changed;
    solver.update(changed);
    CHECK(solver.rate(0) == doctest::Approx(0.5));
    CHECK(solver.rate(1) == doctest::Approx(0.5));
    CHECK(solver.rate(2) == doctest::Approx(1.0));
    CHECK(solver.rate(3) == doctest::Approx(1.0));
    CHECK(solver.rate(4) == doctest::Approx(4.0));
    CHECK(solver.rate(5) == doctest::Approx(3.0));
    solver.remove(0);
    changed.clear();
    solver.update(changed);
    CHECK(solver.rate(1) == doctest::Approx(0.75));
    CHECK(solver.rate(2) == doctest::Approx(0.75));
    CHECK(solver.rate(3) == doctest::Approx(1.25));
    CHECK(solver.rate(4) == doctest::Approx(3.75));
    CHECK(solver.rate(5) == doctest::Approx(3.0));
    std::sort(changed.begin(), changed.end());
    CHECK(changed == std::vector<std::uint32_t>{1, 2, 3, 4});
}

TEST_CASE("incremental max-min: a flow that starts on a saturated link takes its share from the others") {
    // Link 0 (C = 4) carries A with a coefficient of 2 (two flows of the class cross it): A = 2.
    // B starts on link 0 and link 1 (C = 10): filling gives A = B = 4/3 (2A + B = 4).
    const std::vector<double> capacity{4, 10};
    IncrementalMaxMin solver(capacity);
    Uses uses;
    solver.add(0, uses({{0, 2}}));
    std::vector<std::uint32_t> changed;
    solver.update(changed);
    CHECK(solver.rate(0) == doctest::Approx(2.0));
    solver.add(7, uses({{0, 1}, {1, 1}})); // ids are the caller's (slots)
    changed.clear();
    solver.update(changed);
    CHECK(solver.rate(0) == doctest::Approx(4.0 / 3));
    CHECK(solver.rate(7) == doctest::Approx(4.0 / 3));
    CHECK(changed.size() == 2);
}

TEST_CASE("incremental max-min: a variable on no constraint is unbounded; misuse is refused") {
    const std::vector<double> capacity{1};
    IncrementalMaxMin solver(capacity);
    Uses uses;
    solver.add(0, uses({}));
    std::vector<std::uint32_t> changed;
    solver.update(changed);
    CHECK(std::isinf(solver.rate(0)));
    CHECK_THROWS_AS(solver.add(0, uses({})), std::logic_error);
    CHECK_THROWS_AS(solver.remove(3), std::logic_error);
    CHECK_THROWS_AS(solver.add(1, uses({{1, 1}})), std::invalid_argument);
    const std::vector<double> bad{-1};
    CHECK_THROWS_AS(IncrementalMaxMin{bad}, std::invalid_argument);
}

TEST_CASE("incremental max-min: random additions and removals give the from-scratch rates after every update") {
    // A fabric-like problem: 40 links of a few capacities; variables of 1 to 6 links (some with
    // coefficients of 2 or 0.5, as ECMP shares and several flows of a class give), a handful
    // added or removed per update, up to ~60 present, so that most of them couple into one
    // component. After every update each present variable's rate equals a from-scratch solve
    // of the variables present (in any order: the max-min allocation is unique) to 1e-6.
    for (std::uint32_t seed = 1; seed <= 20; ++seed) {
        CAPTURE(seed);
        std::mt19937_64 rng(seed);
        const std::size_t links = 40;
        std::vector<double> capacity(links);
        for (double& c : capacity) c = std::vector<double>{1, 2, 3, 8}[rng() % 4];
        std::vector<std::vector<LinkUse>> uses;
        std::vector<std::uint32_t> present;
        std::vector<std::uint32_t> free_ids;
        std::vector<std::uint32_t> slot_of; // by variable: its slot in the solver (slots reused)
        std::uint32_t next_slot = 0;
        IncrementalMaxMin solver(capacity);
        std::uint64_t grown = 0;
        for (int round = 0; round < 150; ++round) {
            const int changes = 1 + static_cast<int>(rng() % 4);
            for (int c = 0; c < changes; ++c) {
                const bool add = present.size() < 10 || (present.size() < 60 && rng() % 2 == 0);
                if (add) {
                    std::vector<LinkUse> u;
                    const int n = 1 + static_cast<int>(rng() % 6);
                    for (int k = 0; k < n; ++k) {
                        const auto link = static_cast<tcsim::topology::LinkId>(rng() % links);
                        if (std::any_of(u.begin(), u.end(), [&](const LinkUse& x) { return x.link == link; })) continue;
                        u.push_back(LinkUse{link, std::vector<double>{1, 1, 1, 2, 0.5}[rng() % 5]});
                    }
                    uses.push_back(std::move(u));
                    const auto v = static_cast<std::uint32_t>(uses.size() - 1);
                    std::uint32_t slot;
                    if (!free_ids.empty()) {
                        slot = free_ids.back();
                        free_ids.pop_back();
                    } else {
                        slot = next_slot++;
                    }
                    slot_of.push_back(slot);
                    solver.add(slot, uses[v]);
                    present.push_back(v);
                } else {
                    const std::size_t at = rng() % present.size();
                    const std::uint32_t v = present[at];
                    solver.remove(slot_of[v]);
                    free_ids.push_back(slot_of[v]);
                    present.erase(present.begin() + static_cast<std::ptrdiff_t>(at));
                }
            }
            std::vector<std::uint32_t> changed;
            const std::uint64_t before = solver.solves();
            solver.update(changed);
            grown += solver.solves() - before > 1 ? 1 : 0;
            const auto expected = scratch_rates(capacity, uses, present);
            for (std::size_t k = 0; k < present.size(); ++k) {
                CAPTURE(round);
                CHECK(solver.rate(slot_of[present[k]]) == doctest::Approx(expected[k]).epsilon(1e-6));
            }
        }
        // The region had to grow beyond the changed variables' neighbours in some updates
        // (otherwise this would not test the check).
        CHECK(grown > 0);
    }
}

TEST_CASE("incremental max-min: a change re-solves only what a link that can saturate couples") {
    // 100 variables each on a link of its own (C = 1) and all on link 0. With C_0 = 1000 link 0
    // can never saturate (its users' demand, each at most 1, is 100): every rate is 1, and a
    // variable that starts or ends on it re-solves alone. With C_0 = 50 link 0 binds them all
    // (50 / 100 = 0.5 each) and one more re-solves every one: 50 / 101 each.
    for (const double c0 : {1000.0, 50.0}) {
        CAPTURE(c0);
        std::vector<double> capacity(103, 1.0);
        capacity[0] = c0;
        IncrementalMaxMin solver(capacity);
        Uses uses;
        for (std::uint32_t v = 0; v < 100; ++v)
            solver.add(v, uses({{0, 1}, {static_cast<tcsim::topology::LinkId>(v + 1), 1}}));
        std::vector<std::uint32_t> changed;
        solver.update(changed);
        CHECK(changed.size() == 100);
        const double shared = c0 > 100 ? 1.0 : 0.5;
        for (std::uint32_t v = 0; v < 100; ++v) CHECK(solver.rate(v) == doctest::Approx(shared));
        solver.add(100, uses({{0, 1}, {101, 1}}));
        changed.clear();
        solver.update(changed);
        CHECK(changed.size() == (c0 > 100 ? 1U : 101U));
        const double after = c0 > 100 ? 1.0 : 50.0 / 101;
        for (std::uint32_t v = 0; v <= 100; ++v) CHECK(solver.rate(v) == doctest::Approx(after));
        solver.remove(5);
        changed.clear();
        solver.update(changed);
        CHECK(changed.size() == (c0 > 100 ? 0U : 100U));
        CHECK(solver.rate(6) == doctest::Approx(shared));
    }
}
