// Max-min fair rates by progressive filling: a small generic solver that knows constraints and
// variables, nothing about networks.
//
// The problem. Constraints i = 1..m with capacities C_i >= 0; variables j = 1..n with optional
// bounds u_j (default +infinity) and usage coefficients a_ij >= 0 (variable j at rate r_j uses
// a_ij * r_j of constraint i). A rate vector r >= 0 is feasible when
//
//     sum_j a_ij r_j <= C_i   for every i,        r_j <= u_j   for every j,
//
// and max-min fair when no r_j can grow without shrinking some r_k <= r_j. It exists and is
// unique. Progressive filling computes it: every unfrozen rate grows at the same pace; when a
// constraint saturates, the variables that use it (a_ij > 0) freeze; a variable that reaches
// its bound freezes; repeat until all are frozen.
//
// Contract
// - solve() returns one rate per variable, in the order they were added. A variable that uses
//   no constraint and has no bound gets +infinity.
// - A constraint counts as saturated when its slack falls to 1e-9 of its capacity, so rates
//   are exact to about that relative precision.
// - Coefficients of repeated add_usage calls on one (variable, constraint) pair add up.
// - Throws std::invalid_argument on negative or NaN capacities, bounds or coefficients, and on
//   indices out of range. Every filling round freezes at least one variable (a round that
//   froze none would repeat for ever: std::logic_error, a bug, never a hang).
// - Cost: O(k * (m + n + nnz)) with k <= m + n rounds of filling. Usages are held in one array
//   in the order added (no allocation per variable or constraint); clear() keeps the memory, so
//   a caller that solves many problems reuses one object.
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

namespace tcsim::network {

class MaxMinProblem {
public:
    using Index = std::uint32_t;
    static constexpr double unbounded = std::numeric_limits<double>::infinity();

    Index add_constraint(double capacity);
    Index add_variable(double bound = unbounded);
    void add_usage(Index variable, Index constraint, double coefficient);

    [[nodiscard]] std::size_t constraints() const { return capacity_.size(); }
    [[nodiscard]] std::size_t variables() const { return bound_.size(); }

    /// Forgets every constraint, variable and usage (keeping the memory, for the next problem).
    void clear();

    [[nodiscard]] std::vector<double> solve() const;

private:
    struct Usage {
        Index variable;
        Index constraint;
        double coefficient;
    };
    std::vector<double> capacity_;
    std::vector<double> bound_;
    std::vector<Usage> usage_; ///< in the order added
};

} // namespace tcsim::network
