#include "network/link_sharing.hpp"

#include "network/max_min_solver.hpp"

#include <algorithm>

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

bool LinkSharing::overlaps(std::uint32_t a, std::uint32_t b) {
    if (a == b) return true;
    if (templates_.class_count() > capacity_) {
        std::size_t cap = std::max<std::size_t>(64, capacity_);
        while (cap < templates_.class_count()) cap *= 2;
        std::vector<std::int8_t> grown(cap * cap, -1);
        for (std::size_t i = 0; i < capacity_; ++i)
            for (std::size_t j = 0; j < capacity_; ++j) grown[i * cap + j] = overlap_[i * capacity_ + j];
        overlap_ = std::move(grown);
        capacity_ = cap;
    }
    std::int8_t& cell = overlap_[a * capacity_ + b];
    if (cell >= 0) return cell != 0;
    const auto& x = templates_.cls(a).usage;
    const auto& y = templates_.cls(b).usage;
    bool shared = false;
    for (std::size_t i = 0, j = 0; i < x.size() && j < y.size();) {
        if (x[i].link == y[j].link) {
            shared = true;
            break;
        }
        if (x[i].link < y[j].link)
            ++i;
        else
            ++j;
    }
    cell = shared ? 1 : 0;
    overlap_[b * capacity_ + a] = cell;
    return shared;
}

const std::vector<double>& LinkSharing::rates(const std::vector<std::uint32_t>& ids) {
    const auto it = memo_.find(ids);
    if (it != memo_.end()) {
        ++reuses_;
        return it->second;
    }
    std::vector<std::uint64_t> serials;
    serials.reserve(ids.size());
    for (std::uint32_t id : ids) serials.push_back(templates_.cls(id).serial);
    if (auto shared = fabric_.memo().rates(serials)) {
        ++reuses_;
        return memo_.emplace(ids, std::move(*shared)).first->second;
    }
    MaxMinProblem problem;
    std::unordered_map<topology::LinkId, MaxMinProblem::Index> constraint;
    for (std::uint32_t id : ids) {
        const auto var = problem.add_variable();
        for (const LinkUse& u : templates_.cls(id).usage) {
            auto [c, inserted] = constraint.try_emplace(u.link, 0);
            if (inserted) c->second = problem.add_constraint(fabric_.capacity(u.link));
            problem.add_usage(var, c->second, u.coefficient);
        }
    }
    ++solves_;
    const std::vector<double>& solved = memo_.emplace(ids, problem.solve()).first->second;
    fabric_.memo().remember(serials, solved);
    return solved;
}

} // namespace tcsim::network
