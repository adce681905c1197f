// Progressive filling. Each round finds the largest common increment d that keeps every
// constraint and bound feasible:
//     d = min( min_i slack_i / sum_{j unfrozen} a_ij ,  min_{j unfrozen} u_j - r_j ),
// adds d to every unfrozen rate, then freezes the variables of saturated constraints and those
// at their bound. At least one variable freezes per round.
#include "network/max_min_solver.hpp"

#include <algorithm>
#include <cmath>
#include <span>
#include <stdexcept>

namespace tcsim::network {

namespace {
constexpr double kRelativeSlack = 1e-9;

void check_value(double v, const char* what) {
    if (std::isnan(v) || v < 0) throw std::invalid_argument(std::string("max-min problem: negative or NaN ") + what);
}
} // namespace

MaxMinProblem::Index MaxMinProblem::add_constraint(double capacity) {
    check_value(capacity, "capacity");
    if (std::isinf(capacity))
        throw std::invalid_argument("max-min problem: infinite capacity (leave the constraint out)");
    capacity_.push_back(capacity);
    return static_cast<Index>(capacity_.size() - 1);
}

MaxMinProblem::Index MaxMinProblem::add_variable(double bound) {
    check_value(bound, "bound");
    bound_.push_back(bound);
    return static_cast<Index>(bound_.size() - 1);
}

void MaxMinProblem::add_usage(Index variable, Index constraint, double coefficient) {
    if (variable >= bound_.size() || constraint >= capacity_.size())
        throw std::invalid_argument("max-min problem: index out of range");
    check_value(coefficient, "coefficient");
    if (coefficient == 0) return;
    // Repeated pairs are kept as separate entries: every use below sums them.
    usage_.push_back(Usage{variable, constraint, coefficient});
}

void MaxMinProblem::clear() {
    capacity_.clear();
    bound_.clear();
    usage_.clear();
}

namespace {

struct Use {
    MaxMinProblem::Index other; ///< the constraint (in a variable's list) or the variable (in a constraint's)
    double coefficient;
};

/// Each variable's (or constraint's) uses in the order they were added, as one array sliced by
/// `start` (compressed rows: no allocation per variable or constraint).
struct Rows {
    std::vector<std::size_t> start;
    std::vector<Use> uses;
    [[nodiscard]] std::span<const Use> operator[](std::size_t i) const {
        return {uses.data() + start[i], uses.data() + start[i + 1]};
    }
};

template <class Row, class Other, class Usages>
Rows rows_of(std::size_t count, const Usages& usage, Row row, Other other) {
    Rows r;
    r.start.assign(count + 1, 0);
    for (const auto& u : usage) ++r.start[row(u) + 1];
    for (std::size_t i = 0; i < count; ++i) r.start[i + 1] += r.start[i];
    r.uses.resize(usage.size());
    std::vector<std::size_t> next(r.start.begin(), r.start.end() - 1);
    for (const auto& u : usage) r.uses[next[row(u)]++] = Use{other(u), u.coefficient};
    return r;
}

/// rows_of by variable for usages already in variable order: the same rows, without the scatter.
template <class Usages>
Rows rows_in_order(std::size_t count, const Usages& usage) {
    Rows r;
    r.start.assign(count + 1, 0);
    for (const auto& u : usage) ++r.start[u.variable + 1];
    for (std::size_t i = 0; i < count; ++i) r.start[i + 1] += r.start[i];
    r.uses.reserve(usage.size());
    for (const auto& u : usage) r.uses.push_back(Use{u.constraint, u.coefficient});
    return r;
}

} // namespace

std::vector<double> MaxMinProblem::solve() const {
    const std::size_t n = bound_.size();
    const std::size_t m = capacity_.size();
    // Callers add a variable's usages together (LinkSharing: a class and its links), so the rows
    // by variable are usually the usages in the order added: then only counted, not scattered.
    const bool by_variable_already = std::is_sorted(
        usage_.begin(), usage_.end(), [](const Usage& a, const Usage& b) { return a.variable < b.variable; });
    const Rows by_variable =
        by_variable_already
            ? rows_in_order(n, usage_)
            : rows_of(
                  n, usage_, [](const Usage& u) { return u.variable; }, [](const Usage& u) { return u.constraint; });
    const Rows by_constraint = rows_of(
        m, usage_, [](const Usage& u) { return u.constraint; }, [](const Usage& u) { return u.variable; });
    std::vector<double> rate(n, 0.0);
    std::vector<char> frozen(n, 0);
    std::vector<double> slack = capacity_;
    std::vector<double> load(m, 0.0);     // sum of a_ij over unfrozen j
    std::vector<std::size_t> users(m, 0); // uses by unfrozen j: load is exactly 0 when none
    std::size_t unfrozen = 0;
    for (std::size_t j = 0; j < n; ++j) {
        if (by_variable[j].empty() && std::isinf(bound_[j])) {
            rate[j] = unbounded;
            frozen[j] = 1;
            continue;
        }
        ++unfrozen;
        for (const Use& u : by_variable[j]) {
            load[u.other] += u.coefficient;
            ++users[u.other];
        }
    }
    auto freeze = [&](std::size_t j) {
        if (frozen[j]) return;
        frozen[j] = 1;
        --unfrozen;
        for (const Use& u : by_variable[j]) {
            // Subtracting in floating point can leave a residue (1e-17) on a constraint nobody
            // uses any more; it would then set a zero step forever. The count makes it exact.
            load[u.other] = --users[u.other] == 0 ? 0.0 : load[u.other] - u.coefficient;
        }
    };
    while (unfrozen > 0) {
        const std::size_t before = unfrozen;
        double step = unbounded;
        for (std::size_t i = 0; i < m; ++i)
            if (load[i] > 0) step = std::min(step, std::max(0.0, slack[i]) / load[i]);
        for (std::size_t j = 0; j < n; ++j)
            if (!frozen[j]) step = std::min(step, bound_[j] - rate[j]);
        for (std::size_t j = 0; j < n; ++j)
            if (!frozen[j]) rate[j] += step;
        for (std::size_t i = 0; i < m; ++i)
            if (load[i] > 0) slack[i] -= step * load[i];
        for (std::size_t i = 0; i < m; ++i) {
            if (load[i] > 0 && slack[i] <= kRelativeSlack * capacity_[i]) {
                for (const Use& u : by_constraint[i]) freeze(u.other);
            }
        }
        for (std::size_t j = 0; j < n; ++j)
            if (!frozen[j] && rate[j] >= bound_[j] * (1 - kRelativeSlack)) freeze(j);
        // Every round saturates a constraint or reaches a bound, freezing at least one variable;
        // one that freezes none would repeat forever.
        if (unfrozen == before) throw std::logic_error("max-min problem: a filling round froze no variable");
    }
    return rate;
}

} // namespace tcsim::network
