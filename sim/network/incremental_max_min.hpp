// Max-min fair rates of a set of variables that changes a few at a time (flow classes starting
// and ending on a fabric's links), kept up to date by re-solving only a region around each
// change, with every rate outside it held, and accepting the result only where it is max-min
// fair as a whole.
//
// The problem is MaxMinProblem's (max_min_solver.hpp) without bounds: constraints c (links)
// with capacities C_c >= 0; variables j with coefficients a_jc >= 0 (`LinkUse::link` names the
// constraint). Why a region suffices, and when it does not:
//
//   A feasible rate vector r is max-min fair if and only if every variable j has a bottleneck:
//   a constraint c with a_jc > 0 that is saturated (sum_k a_kc r_k = C_c) and on which no
//   variable has a larger rate (r_k <= r_j for every k with a_kc > 0). (Bertsekas and
//   Gallager, Data Networks, 2nd ed., sec. 6.5.2, Proposition: for unit coefficients; with
//   positive coefficients the proof is the same: raising r_j on its bottleneck lowers some r_k
//   <= r_j, and progressive filling freezes every variable on such a constraint.)
//
// update() starts the region with the variables added since the last update and those whose
// bottleneck gained or lost a user (every other variable keeps its bottleneck, unchanged).
// It solves the region by MaxMinProblem on the region's constraints, each with its capacity
// less the use of the variables outside the region (rates held; at least 0), which keeps
// every constraint feasible. It then checks the condition above on every variable of the
// region and on every variable outside whose bottleneck is a constraint the region uses or one
// that gained or lost a user (any other keeps its bottleneck: nothing on it changed). A
// variable that fails joins the region, with, for a region variable, the variables outside on
// its constraints with a larger rate; the region is solved again. The region only grows; once
// it holds the whole component (every variable coupled to the change through shared
// constraints) nothing outside remains to check and the solve is the from-scratch one. So the
// rates after update() are the max-min fair rates of the variables present.
//
// Constraints that cannot bind are left out of every solve and check, which changes no rate:
// one whose users' demand (each user at the most its tightest constraint allows alone) stays
// below its capacity (a fabric's spine links under a hundred ring classes, each held to its
// NIC's rate), and, within a solve, one the region's variables cannot fill each at the most
// its tightest residual allows.
//
// Contract
// - Variables are small integers chosen by the caller (slots, reused after removal); add(v,
//   uses) takes the uses (constraints sorted or not, one entry per constraint, coefficients
//   >= 0) as a span that must stay valid until remove(v). Capacities are given at construction
//   by constraint id (a span that must outlive the object).
// - update(changed) brings every rate to the max-min fair allocation of the variables present,
//   to a relative precision of about 1e-9 in the solve and `kTolerance` (1e-7) in the check,
//   and appends to `changed` each variable whose rate it computed (each once, in region order,
//   deterministic: the same calls give the same bytes). A variable that uses no constraint gets
//   +infinity. Rates of variables not reported are unchanged.
// - Results depend only on the sequence of calls (never on memory addresses or threads); they
//   agree with a from-scratch MaxMinProblem solve of the same variables to the precision above
//   (tests/network/test_incremental_max_min.cpp, seeded random problems).
// - Cost per update: the region's solve (MaxMinProblem, O(rounds x region size)) per growth
//   step, plus one pass over the users of the region's constraints that can bind; nothing
//   walks every variable present, nor the users of a constraint that cannot bind.
#pragma once

#include "network/collective_plan.hpp"
#include "network/link_users.hpp"
#include "network/max_min_solver.hpp"

#include <cstdint>
#include <limits>
#include <span>
#include <vector>

namespace tcsim::network {

class IncrementalMaxMin {
public:
    using Index = std::uint32_t;
    static constexpr double kTolerance = 1e-7;

    /// `capacities[c]`: constraint c's capacity (finite, >= 0); the span must outlive this object.
    explicit IncrementalMaxMin(std::span<const double> capacities);

    void add(Index variable, std::span<const LinkUse> uses);
    void remove(Index variable);
    /// Forgets every variable (keeping the memory).
    void clear();
    void update(std::vector<Index>& changed);

    [[nodiscard]] double rate(Index variable) const { return rate_[variable]; }
    /// Region solves so far (a region that grew counts once per solve).
    [[nodiscard]] std::uint64_t solves() const { return solves_; }
    /// Variables solved so far, summed over solves (the work done).
    [[nodiscard]] std::uint64_t solved_variables() const { return solved_variables_; }

private:
    static constexpr Index kNone = std::numeric_limits<Index>::max();
    struct LinkState {
        double load = 0; ///< sum of a_kc r_k over the users
        double top = 0;  ///< the largest rate of a user
    };

    void join(Index v);
    void solve_region();
    /// Appends the variables that lack a bottleneck (and, for the region's, the larger
    /// neighbours outside) to `violators`.
    void check_region(std::vector<Index>& violators);
    [[nodiscard]] const LinkState& state(topology::LinkId link);
    /// Finds a bottleneck of `v` (the last one found first), recording it; false if none.
    [[nodiscard]] bool has_bottleneck(Index v);
    /// Whether `link` can never be saturated: its users' demand is below its capacity.
    [[nodiscard]] bool loose(topology::LinkId link) const;
    void set_bottleneck(Index v, Index link);

    std::span<const double> capacity_;
    LinkUsers users_;
    std::vector<std::span<const LinkUse>> uses_;
    std::vector<double> rate_;
    std::vector<double> alone_;        ///< by variable: min_c C_c / a_jc, the most it can get
    std::vector<Index> bottleneck_;    ///< by variable: a constraint found to be its bottleneck
    std::vector<Index> bottleneck_at_; ///< by variable: its place in that constraint's list
    std::vector<double> demand_;       ///< by constraint: sum of a_jc alone_j over its users
    std::vector<std::vector<Index>> bottlenecked_; ///< by constraint: the variables it bottlenecks
    std::vector<char> present_;
    std::vector<Index> added_;
    std::vector<topology::LinkId> dirty_; ///< constraints of variables removed or added
    MaxMinProblem problem_;
    // Stamps (a new number per region, solve or check; no clearing per update).
    std::vector<std::uint32_t> in_region_;   ///< by variable
    std::vector<std::uint32_t> checked_;     ///< by variable: the check that last looked at it
    std::vector<std::uint32_t> link_solve_;  ///< by constraint: the solve that gave it a row
    std::vector<Index> link_row_;            ///< by constraint: that row (kNone: left out)
    std::vector<double> link_residual_;      ///< by constraint: capacity less the use outside
    std::vector<double> link_bound_;         ///< by constraint: the most the region could use
    std::vector<std::uint32_t> link_check_;  ///< by constraint: the check that computed its state
    std::vector<std::uint32_t> link_dirty_;  ///< by constraint: the update that found it changed
    std::vector<LinkState> link_state_;      ///< by constraint
    std::uint32_t region_stamp_ = 0, solve_ = 0, check_ = 0;
    std::vector<Index> region_;
    std::vector<topology::LinkId> region_links_; ///< the region's constraints
    std::vector<topology::LinkId> dirty_links_;  ///< this update's changed constraints, once each
    std::vector<double> upper_;                  ///< by region position: u_j
    std::vector<Index> violators_;
    std::uint64_t solves_ = 0;
    std::uint64_t solved_variables_ = 0;
};

} // namespace tcsim::network
