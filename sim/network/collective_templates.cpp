#include "network/collective_templates.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace tcsim::network {

using collective::CollectiveKind;

CollectiveTemplates::CollectiveTemplates(const Fabric& fabric, const collective::GroupTable& groups,
                                         const CollectivePlanner& planner)
    : fabric_(fabric), groups_(groups), planner_(planner) {}

Signature signature_of(const collective::CommWork& w) {
    Signature s{w.kind, w.groups, 0, 0};
    if (w.kind == CollectiveKind::ep_dispatch || w.kind == CollectiveKind::ep_combine) {
        s.top_k = w.routing.top_k;
        s.max_nodes = w.routing.max_nodes;
        s.exchange = w.routing.exchange;
    }
    return s;
}

std::uint32_t CollectiveTemplates::get(const collective::CommWork& w, Algorithm a) {
    const Key key{signature_of(w), a};
    const auto it = index_.find(key);
    if (it != index_.end()) return it->second;
    if (groups_.devices() > fabric_.cluster().gpus())
        throw std::invalid_argument("network: the groups need " + std::to_string(groups_.devices()) +
                                    " GPUs, cluster " + fabric_.cluster().name + " has " +
                                    std::to_string(fabric_.cluster().gpus()));
    const auto& groups = groups_of(w);
    const ExpertShape expert{std::max(1, w.routing.top_k), w.routing.max_nodes};
    // The pairwise exchange of every copy ignores the node limit: plans differing only by it are one.
    RouteKey route_key{w.kind,
                       a,
                       planner_.ecmp(),
                       key.first.top_k,
                       a == Algorithm::pairwise ? 0 : key.first.max_nodes,
                       std::vector<std::vector<int>>(groups.begin(), groups.end())};
    auto shared = fabric_.memo().routed(route_key, [&] { return planner_.plan(w.kind, a, groups, expert); });
    RoutedCollective routed;
    routed.algorithm = shared->algorithm;
    routed.latency = shared->latency;
    for (const RoutedClass& c : shared->classes) {
        routed.classes.push_back(static_cast<std::uint32_t>(classes_.size()));
        classes_.push_back(&c);
    }
    routes_.push_back(std::move(shared));
    const auto id = static_cast<std::uint32_t>(collectives_.size());
    collectives_.push_back(std::move(routed));
    index_.emplace(key, id);
    return id;
}

} // namespace tcsim::network
