// The region grows by the variables that fail the bottleneck check, never shrinks within an
// update, and is solved afresh each time it grows (the rates of its variables from an earlier
// solve of the same update are never read: only the rates outside it are held).
//
// Two indexes keep an update from walking every user of the constraints it touches (a fabric's
// spine links carry a hundred ring classes each, almost none bottlenecked there):
// - each constraint's demand, sum_j a_jc s_j over its users with s_j = min_c C_c / a_jc (the
//   most j can ever get); a constraint whose demand stays below its capacity (by 1e-6, far
//   more than the rounding of the running sum) can never be saturated, so it is nobody's
//   bottleneck, binds no solve and is skipped everywhere ("loose");
// - the variables whose bottleneck each constraint is (the ones that can lose it there).
#include "network/incremental_max_min.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace tcsim::network {

namespace {
constexpr double kLooseMargin = 1e-6;
constexpr double kInfinity = std::numeric_limits<double>::infinity();

/// A new stamp; on wrapping, every array stamped with it is cleared.
template <class... Arrays>
std::uint32_t next_stamp(std::uint32_t& stamp, Arrays&... arrays) {
    if (++stamp == 0) {
        (std::fill(arrays.begin(), arrays.end(), 0U), ...);
        stamp = 1;
    }
    return stamp;
}
} // namespace

IncrementalMaxMin::IncrementalMaxMin(std::span<const double> capacities)
    : capacity_(capacities), link_solve_(capacity_.size(), 0), link_row_(capacity_.size(), 0),
      link_residual_(capacity_.size(), 0.0), link_bound_(capacity_.size(), 0.0), link_check_(capacity_.size(), 0),
      link_dirty_(capacity_.size(), 0), link_state_(capacity_.size()) {
    demand_.assign(capacity_.size(), 0.0);
    bottlenecked_.resize(capacity_.size());
    for (double c : capacity_)
        if (!(c >= 0) || std::isinf(c))
            throw std::invalid_argument("incremental max-min: a capacity negative, NaN or infinite");
}

bool IncrementalMaxMin::loose(topology::LinkId link) const {
    return demand_[link] < capacity_[link] * (1 - kLooseMargin);
}

void IncrementalMaxMin::set_bottleneck(Index v, Index link) {
    const Index old = bottleneck_[v];
    if (old == link) return;
    if (old != kNone) {
        std::vector<Index>& list = bottlenecked_[old];
        const Index moved = list.back();
        list[bottleneck_at_[v]] = moved;
        bottleneck_at_[moved] = bottleneck_at_[v];
        list.pop_back();
    }
    bottleneck_[v] = link;
    if (link != kNone) {
        bottleneck_at_[v] = static_cast<Index>(bottlenecked_[link].size());
        bottlenecked_[link].push_back(v);
    }
}

void IncrementalMaxMin::add(Index v, std::span<const LinkUse> uses) {
    if (v >= present_.size()) {
        const std::size_t n = static_cast<std::size_t>(v) + 1;
        uses_.resize(n);
        rate_.resize(n, 0.0);
        alone_.resize(n, 0.0);
        bottleneck_.resize(n, kNone);
        bottleneck_at_.resize(n, 0);
        present_.resize(n, 0);
        in_region_.resize(n, 0);
        checked_.resize(n, 0);
    }
    if (present_[v]) throw std::logic_error("incremental max-min: a variable added twice");
    double alone = kInfinity;
    for (const LinkUse& u : uses) {
        if (u.link >= capacity_.size()) throw std::invalid_argument("incremental max-min: constraint out of range");
        if (!(u.coefficient >= 0)) throw std::invalid_argument("incremental max-min: negative or NaN coefficient");
        if (u.coefficient > 0) alone = std::min(alone, capacity_[u.link] / u.coefficient);
    }
    present_[v] = 1;
    uses_[v] = uses;
    rate_[v] = 0.0;
    alone_[v] = alone;
    users_.add(v, uses);
    added_.push_back(v);
    for (const LinkUse& u : uses) {
        demand_[u.link] += u.coefficient * alone;
        dirty_.push_back(u.link);
    }
}

void IncrementalMaxMin::remove(Index v) {
    if (v >= present_.size() || !present_[v]) throw std::logic_error("incremental max-min: removing an absent variable");
    users_.remove(v, uses_[v]);
    for (const LinkUse& u : uses_[v]) {
        // Exactly 0 once nobody uses it: the running sum's rounding never outlives its users.
        demand_[u.link] = users_.users(u.link).empty() ? 0.0 : demand_[u.link] - u.coefficient * alone_[v];
        dirty_.push_back(u.link);
    }
    set_bottleneck(v, kNone);
    present_[v] = 0;
    uses_[v] = {};
    rate_[v] = 0.0;
}

void IncrementalMaxMin::clear() {
    for (Index v = 0; v < present_.size(); ++v)
        if (present_[v]) remove(v);
    added_.clear();
    dirty_.clear();
}

void IncrementalMaxMin::join(Index v) {
    if (in_region_[v] == region_stamp_) return;
    in_region_[v] = region_stamp_;
    region_.push_back(v);
}

void IncrementalMaxMin::update(std::vector<Index>& changed) {
    const std::uint32_t stamp = next_stamp(region_stamp_, in_region_, link_dirty_);
    region_.clear();
    for (Index v : added_)
        if (present_[v]) join(v);
    // The variables whose bottleneck gained or lost a user: the others keep theirs unless the
    // region's solve changes it (then the check brings them in).
    dirty_links_.clear();
    for (topology::LinkId link : dirty_) {
        if (link_dirty_[link] == stamp) continue;
        link_dirty_[link] = stamp;
        dirty_links_.push_back(link);
        for (Index v : bottlenecked_[link]) join(v);
    }
    added_.clear();
    dirty_.clear();
    if (region_.empty()) return;
    for (;;) {
        solve_region();
        violators_.clear();
        check_region(violators_);
        if (violators_.empty()) break;
        for (Index v : violators_) join(v);
    }
    changed.insert(changed.end(), region_.begin(), region_.end());
}

void IncrementalMaxMin::solve_region() {
    const std::uint32_t solve = next_stamp(solve_, link_solve_);
    // Each constraint's residual: its capacity less what the variables outside use (held).
    // Loose constraints bind nothing and are left out.
    region_links_.clear();
    for (Index v : region_)
        for (const LinkUse& u : uses_[v]) {
            if (link_solve_[u.link] == solve || loose(u.link)) continue;
            link_solve_[u.link] = solve;
            double outside = 0;
            for (const LinkUsers::User& user : users_.users(u.link))
                if (in_region_[user.slot] != region_stamp_)
                    outside += uses_[user.slot][user.use].coefficient * rate_[user.slot];
            link_residual_[u.link] = std::max(0.0, capacity_[u.link] - outside);
            link_bound_[u.link] = 0;
            region_links_.push_back(u.link);
        }
    // Nor does a constraint that the region's variables cannot fill even each at the most its
    // tightest constraint allows (u_j = min_c residual_c / a_jc): left out, the max-min rates
    // are the same (they are feasible with it, and fair in a larger feasible set). Kept when
    // the bound reaches the residual (within 1e-9), so every variable keeps the constraint that
    // sets its u_j.
    upper_.resize(region_.size());
    for (std::size_t k = 0; k < region_.size(); ++k) {
        double u_j = kInfinity;
        for (const LinkUse& u : uses_[region_[k]])
            if (u.coefficient > 0 && link_solve_[u.link] == solve)
                u_j = std::min(u_j, link_residual_[u.link] / u.coefficient);
        upper_[k] = u_j;
        for (const LinkUse& u : uses_[region_[k]])
            if (link_solve_[u.link] == solve) link_bound_[u.link] += u.coefficient * u_j;
    }
    problem_.clear();
    for (topology::LinkId link : region_links_)
        link_row_[link] = link_bound_[link] >= link_residual_[link] * (1 - 1e-9)
                              ? problem_.add_constraint(link_residual_[link])
                              : kNone;
    for (Index v : region_) {
        const auto var = problem_.add_variable();
        for (const LinkUse& u : uses_[v])
            if (link_solve_[u.link] == solve && link_row_[u.link] != kNone)
                problem_.add_usage(var, link_row_[u.link], u.coefficient);
    }
    const std::vector<double> rates = problem_.solve();
    for (std::size_t k = 0; k < region_.size(); ++k) rate_[region_[k]] = rates[k];
    ++solves_;
    solved_variables_ += region_.size();
}

const IncrementalMaxMin::LinkState& IncrementalMaxMin::state(topology::LinkId link) {
    LinkState& s = link_state_[link];
    if (link_check_[link] == check_) return s;
    link_check_[link] = check_;
    s = LinkState{};
    for (const LinkUsers::User& user : users_.users(link)) {
        const double a = uses_[user.slot][user.use].coefficient;
        if (!(a > 0)) continue;
        s.load += a * rate_[user.slot];
        s.top = std::max(s.top, rate_[user.slot]);
    }
    return s;
}

bool IncrementalMaxMin::has_bottleneck(Index v) {
    const double r = rate_[v];
    if (std::isinf(r)) { // uses no constraint
        set_bottleneck(v, kNone);
        return true;
    }
    auto holds = [&](topology::LinkId link) {
        if (loose(link)) return false;
        const LinkState& s = state(link);
        return s.load >= capacity_[link] * (1 - kTolerance) && r >= s.top * (1 - kTolerance);
    };
    // The last one found first: it is usually still the one.
    if (bottleneck_[v] != kNone && holds(bottleneck_[v])) return true;
    for (const LinkUse& u : uses_[v])
        if (u.coefficient > 0 && u.link != bottleneck_[v] && holds(u.link)) {
            set_bottleneck(v, u.link);
            return true;
        }
    return false;
}

void IncrementalMaxMin::check_region(std::vector<Index>& violators) {
    next_stamp(check_, link_check_, checked_);
    const std::uint32_t solve = solve_; // the region's constraints carry this solve's stamp
    for (Index v : region_) {
        checked_[v] = check_;
        if (has_bottleneck(v)) continue;
        // It froze where the region's use saturated a constraint; it lacks a bottleneck when a
        // variable outside has a larger rate there: those must give way.
        bool found = false;
        for (const LinkUse& u : uses_[v]) {
            if (loose(u.link)) continue;
            for (const LinkUsers::User& user : users_.users(u.link)) {
                const Index k = user.slot;
                if (in_region_[k] == region_stamp_ || checked_[k] == check_) continue;
                if (rate_[k] > rate_[v] * (1 + kTolerance)) {
                    checked_[k] = check_;
                    violators.push_back(k);
                    found = true;
                }
            }
        }
        if (!found)
            for (const LinkUse& u : uses_[v])
                for (const LinkUsers::User& user : users_.users(u.link))
                    if (in_region_[user.slot] != region_stamp_ && checked_[user.slot] != check_) {
                        checked_[user.slot] = check_;
                        violators.push_back(user.slot);
                    }
    }
    // Variables outside whose bottleneck is one of the region's constraints, or one that gained
    // or lost a user: only they can have lost it (nothing else changed).
    auto check_outside = [&](topology::LinkId link) {
        // has_bottleneck may move k to another list, so walk by index from the end.
        const std::vector<Index>& list = bottlenecked_[link];
        for (std::size_t i = list.size(); i-- > 0;) {
            if (i >= list.size()) continue;
            const Index k = list[i];
            if (in_region_[k] == region_stamp_ || checked_[k] == check_) continue;
            checked_[k] = check_;
            if (!has_bottleneck(k)) violators.push_back(k);
        }
    };
    for (topology::LinkId link : region_links_)
        if (link_solve_[link] == solve) check_outside(link);
    for (topology::LinkId link : dirty_links_) check_outside(link);
}

} // namespace tcsim::network
