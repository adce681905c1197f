// Multi-plane builder: picture and source in multi_plane.hpp.
#include "topology/fabrics/multi_plane.hpp"

#include <stdexcept>
#include <string>

namespace tcsim::topology {

void add_multi_plane(ClusterGraph& graph, const std::vector<std::vector<VertexId>>& nics_by_node, int planes,
                     const ClosSpec& spec) {
    check_clos(spec);
    if (nics_by_node.empty()) return;
    const int per_node = static_cast<int>(nics_by_node.front().size());
    if (planes < 1 || per_node % planes != 0)
        throw std::invalid_argument("fabric: " + std::to_string(planes) + " planes do not divide " +
                                    std::to_string(per_node) + " NICs per node");
    for (int p = 0; p < planes; ++p) {
        std::vector<VertexId> plane_nics;
        for (const auto& node : nics_by_node)
            for (int i = p; i < per_node; i += planes) plane_nics.push_back(node[static_cast<std::size_t>(i)]);
        ClosSpec s = spec;
        s.plane = p;
        add_clos(graph, leaf_groups_of(plane_nics, leaf_down_ports(spec)), s);
    }
}

} // namespace tcsim::topology
