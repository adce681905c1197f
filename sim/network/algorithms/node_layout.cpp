#include "network/algorithms/node_layout.hpp"

#include <algorithm>
#include <map>

namespace tcsim::network {

NodeLayout layout_by_node(const topology::ClusterGraph& graph, const std::vector<int>& group) {
    std::map<int, std::vector<int>> by_node;
    for (int g : group) by_node[graph.node_of(g)].push_back(g);
    NodeLayout l;
    for (auto& [node, ranks] : by_node) {
        std::sort(ranks.begin(), ranks.end());
        l.members.push_back(std::move(ranks));
    }
    return l;
}

} // namespace tcsim::network
