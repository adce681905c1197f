// Fat-tree builder: picture and source in fat_tree.hpp.
#include "topology/fabrics/fat_tree.hpp"

namespace tcsim::topology {

void add_fat_tree(ClusterGraph& graph, const std::vector<std::vector<VertexId>>& nics_by_node, const ClosSpec& spec) {
    check_clos(spec);
    std::vector<VertexId> all;
    for (const auto& node : nics_by_node) all.insert(all.end(), node.begin(), node.end());
    add_clos(graph, leaf_groups_of(all, leaf_down_ports(spec)), spec);
}

} // namespace tcsim::topology
