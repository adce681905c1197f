// A group of ranks arranged by node: the shape every algorithm's plan starts from.
#pragma once

#include "topology/cluster_graph.hpp"

#include <vector>

namespace tcsim::network {

/// members[x][i] is the i-th rank (ascending) of the group on its x-th node (ascending).
struct NodeLayout {
    std::vector<std::vector<int>> members;
    [[nodiscard]] int nodes() const { return static_cast<int>(members.size()); }
    [[nodiscard]] int per_node() const { return members.empty() ? 0 : static_cast<int>(members.front().size()); }
    [[nodiscard]] int at(int x, int i) const {
        return members[static_cast<std::size_t>(x)][static_cast<std::size_t>(i)];
    }
    /// Every node holds the same number of the group's ranks.
    [[nodiscard]] bool uniform() const {
        for (const auto& m : members)
            if (m.size() != members.front().size()) return false;
        return true;
    }
};

[[nodiscard]] NodeLayout layout_by_node(const topology::ClusterGraph& graph, const std::vector<int>& group);

} // namespace tcsim::network
