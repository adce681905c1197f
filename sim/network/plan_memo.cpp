#include "network/plan_memo.hpp"

#include <algorithm>

namespace tcsim::network {

std::size_t PlanMemo::SerialsHash::operator()(const std::vector<std::uint64_t>& v) const {
    std::uint64_t h = 1469598103934665603ULL; // FNV-1a
    for (std::uint64_t x : v) {
        h ^= x;
        h *= 1099511628211ULL;
    }
    return static_cast<std::size_t>(h);
}

std::shared_ptr<const SharedRoute> PlanMemo::routed(const RouteKey& key, const std::function<CollectivePlan()>& make) {
    for (;;) {
        std::promise<Routed> made;
        std::shared_future<Routed> pending;
        {
            const std::lock_guard<std::mutex> lock(mutex_);
            const auto [it, inserted] = routes_.try_emplace(key);
            if (inserted)
                it->second = made.get_future().share();
            else
                pending = it->second;
        }
        if (pending.valid()) {
            // Another thread plans (or planned) this key: wait for it; a plan that threw left
            // the key unplanned, so try again (planning it here, or waiting for whoever does).
            Routed route = pending.get();
            if (route) return route;
            continue;
        }
        // Planned outside the lock (routing is the slow part).
        try {
            CollectivePlan plan = make();
            auto route = std::make_shared<SharedRoute>();
            route->algorithm = plan.algorithm;
            route->latency = plan.latency.count();
            route->classes.reserve(plan.classes.size());
            for (FlowClass& c : plan.classes)
                route->classes.push_back(RoutedClass{std::move(c.usage), c.bytes_per_payload, 0});
            {
                const std::lock_guard<std::mutex> lock(mutex_);
                for (RoutedClass& c : route->classes) c.serial = next_serial_++;
            }
            made.set_value(route);
            return route;
        } catch (...) {
            {
                const std::lock_guard<std::mutex> lock(mutex_);
                routes_.erase(key);
            }
            made.set_value(nullptr); // waiters plan it again, and meet the same exception
            throw;
        }
    }
}

std::optional<std::vector<double>> PlanMemo::rates(const std::vector<std::uint64_t>& serials) const {
    const std::lock_guard<std::mutex> lock(mutex_);
    const auto it = rates_.find(serials);
    if (it == rates_.end()) return std::nullopt;
    return it->second;
}

void PlanMemo::remember(const std::vector<std::uint64_t>& serials, const std::vector<double>& rates) {
    const std::lock_guard<std::mutex> lock(mutex_);
    rates_.emplace(serials, rates);
}

bool PlanMemo::overlap(std::uint64_t a, std::uint64_t b, const std::function<bool()>& share) {
    const std::uint64_t key = (std::min(a, b) << 32) | std::max(a, b);
    {
        const std::lock_guard<std::mutex> lock(mutex_);
        const auto it = overlaps_.find(key);
        if (it != overlaps_.end()) return it->second;
    }
    const bool shared = share();
    const std::lock_guard<std::mutex> lock(mutex_);
    overlaps_.emplace(key, shared);
    return shared;
}

} // namespace tcsim::network
