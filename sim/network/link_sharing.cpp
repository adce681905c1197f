#include "network/link_sharing.hpp"

#include "network/max_min_solver.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace tcsim::network {

std::size_t LinkSharing::VectorHash::operator()(const std::vector<std::uint32_t>& v) const {
    std::uint64_t h = 1469598103934665603ULL; // FNV-1a
    for (std::uint32_t x : v) {
        h ^= x;
        h *= 1099511628211ULL;
    }
    return static_cast<std::size_t>(h);
}

LinkSharing::LinkSharing(const Fabric& fabric, const CollectiveTemplates& templates)
    : fabric_(fabric), templates_(templates) {}

bool LinkSharing::overlaps_first_time(std::uint32_t a, std::uint32_t b) {
    // The first kDense classes in a square matrix (the hot path while few classes are in flight:
    // each class that starts is asked about against every class in flight; symmetric mode has
    // hundreds of classes); beyond, a table
    // by pair. Full mode has tens of thousands of classes (each GPU's pipeline sends are classes
    // of their own), but asks about pairs only while fewer than FlowNetworkOptions::
    // link_index_from are in flight (the incremental solver answers beyond), so a 16 MiB matrix
    // (4,096 classes) is plenty; 16,384 took 256 MiB, zeroed as it grew.
    if (a < kDense && b < kDense) {
        const std::size_t need = std::max(a, b) + 1;
        if (need > capacity_) {
            std::size_t cap = std::max<std::size_t>(64, capacity_);
            while (cap < need) cap *= 2;
            cap = std::min(cap, kDense);
            std::vector<std::int8_t> grown(cap * cap, -1);
            for (std::size_t i = 0; i < capacity_; ++i)
                for (std::size_t j = 0; j < capacity_; ++j) grown[i * cap + j] = dense_[i * capacity_ + j];
            dense_ = std::move(grown);
            capacity_ = cap;
        }
        std::int8_t& cell = dense_[a * capacity_ + b];
        if (cell < 0) cell = dense_[b * capacity_ + a] = compute_overlap(a, b) ? 1 : 0;
        return cell != 0;
    }
    const std::uint64_t key = (static_cast<std::uint64_t>(std::min(a, b)) << 32) | std::max(a, b);
    const auto [it, inserted] = overlap_.try_emplace(key, false);
    if (inserted) it->second = compute_overlap(a, b);
    return it->second;
}

bool LinkSharing::compute_overlap(std::uint32_t a, std::uint32_t b) {
    const RoutedClass& x = templates_.cls(a);
    const RoutedClass& y = templates_.cls(b);
    return fabric_.memo().overlap(x.serial, y.serial, [&] {
        for (std::size_t i = 0, j = 0; i < x.usage.size() && j < y.usage.size();) {
            if (x.usage[i].link == y.usage[j].link) return true;
            if (x.usage[i].link < y.usage[j].link)
                ++i;
            else
                ++j;
        }
        return false;
    });
}

std::span<const double> LinkSharing::rates(const std::vector<std::uint32_t>& ids) {
    if (ids.size() == 1) {
        const std::uint32_t id = ids.front();
        if (id < alone_.size() && !std::isnan(alone_[id])) {
            ++reuses_;
            return {&alone_[id], 1};
        }
        const double rate = shared_or_solved(ids).front();
        if (id >= alone_.size()) alone_.resize(static_cast<std::size_t>(id) + 1, std::numeric_limits<double>::quiet_NaN());
        alone_[id] = rate;
        return {&alone_[id], 1};
    }
    const auto it = memo_.find(ids);
    if (it != memo_.end()) {
        ++reuses_;
        return it->second;
    }
    return memo_.emplace(ids, shared_or_solved(ids)).first->second;
}

double LinkSharing::alone_rate(const std::vector<LinkUse>& usage) const {
    // Progressive filling with one variable is one round: it grows until its tightest link
    // saturates, at min over its links of capacity / coefficient (MaxMinProblem::solve computes
    // exactly that quotient, from a load of 0 + coefficient and a slack of the capacity, and
    // adds it to a rate of 0); no link at all leaves it unbounded.
    double rate = MaxMinProblem::unbounded;
    for (const LinkUse& u : usage) {
        const double capacity = fabric_.capacity(u.link);
        if (!(capacity >= 0) || std::isinf(capacity) || !(u.coefficient >= 0))
            throw std::invalid_argument("max-min problem: a capacity or coefficient out of range");
        if (u.coefficient == 0) continue;
        rate = std::min(rate, capacity / u.coefficient);
    }
    return rate;
}

std::vector<double> LinkSharing::shared_or_solved(const std::vector<std::uint32_t>& ids) {
    std::vector<std::uint64_t> serials;
    serials.reserve(ids.size());
    for (std::uint32_t id : ids) serials.push_back(templates_.cls(id).serial);
    if (auto shared = fabric_.memo().rates(serials)) {
        ++reuses_;
        return std::move(*shared);
    }
    if (ids.size() == 1) {
        ++solves_;
        std::vector<double> alone{alone_rate(templates_.cls(ids.front()).usage)};
        fabric_.memo().remember(serials, alone);
        return alone;
    }
    MaxMinProblem& problem = problem_;
    problem.clear();
    // Each link's constraint, found through a stamp per link (no map to build per problem).
    ++stamp_;
    for (std::uint32_t id : ids) {
        const auto var = problem.add_variable();
        for (const LinkUse& u : templates_.cls(id).usage) {
            if (u.link >= link_stamp_.size()) {
                link_stamp_.resize(static_cast<std::size_t>(u.link) + 1, 0);
                link_constraint_.resize(link_stamp_.size(), 0);
            }
            if (link_stamp_[u.link] != stamp_) {
                link_stamp_[u.link] = stamp_;
                link_constraint_[u.link] = problem.add_constraint(fabric_.capacity(u.link));
            }
            problem.add_usage(var, link_constraint_[u.link], u.coefficient);
        }
    }
    ++solves_;
    std::vector<double> solved = problem.solve();
    fabric_.memo().remember(serials, solved);
    return solved;
}

} // namespace tcsim::network
