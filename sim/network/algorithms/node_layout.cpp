#include "network/algorithms/node_layout.hpp"

#include <algorithm>
#include <utility>

namespace tcsim::network {

NodeLayout layout_by_node(const topology::ClusterGraph& graph, const std::vector<int>& group) {
    // Sorted by (node, rank) and cut where the node changes: the map of nodes to sorted ranks
    // this replaced, without a tree node and a list per node (every route of every collective
    // starts here).
    std::vector<std::pair<int, int>> by_node;
    by_node.reserve(group.size());
    for (int g : group) by_node.emplace_back(graph.node_of(g), g);
    std::sort(by_node.begin(), by_node.end());
    NodeLayout l;
    for (std::size_t k = 0; k < by_node.size(); ++k) {
        if (k == 0 || by_node[k].first != by_node[k - 1].first) l.members.emplace_back();
        l.members.back().push_back(by_node[k].second);
    }
    return l;
}

} // namespace tcsim::network
