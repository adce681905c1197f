// Rail-optimized builder: picture and sources in rail_optimized.hpp.
#include "topology/fabrics/rail_optimized.hpp"

namespace tcsim::topology {

void add_rail_optimized(ClusterGraph& graph, const std::vector<std::vector<VertexId>>& nics_by_node,
                        const ClosSpec& spec) {
    check_clos(spec);
    if (nics_by_node.empty()) return;
    const std::size_t rails = nics_by_node.front().size();
    std::vector<std::vector<VertexId>> groups;
    for (std::size_t r = 0; r < rails; ++r) {
        std::vector<VertexId> rail;
        for (const auto& node : nics_by_node) rail.push_back(node.at(r));
        for (auto& g : leaf_groups_of(rail, leaf_down_ports(spec))) groups.push_back(std::move(g));
    }
    add_clos(graph, groups, spec);
}

} // namespace tcsim::topology
