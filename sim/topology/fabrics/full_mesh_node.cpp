// Full-mesh node builder: picture and sources in full_mesh_node.hpp.
#include "topology/fabrics/full_mesh_node.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace tcsim::topology {

std::vector<VertexId> add_full_mesh_node(ClusterGraph& graph, int node, const NvlinkDomainSpec& domain,
                                         const NicSpec& nics, units::Seconds host_latency) {
    if (domain.gpus < 1) throw std::invalid_argument("node: " + std::to_string(domain.gpus) + " GPUs");
    if (graph.gpus() != node * domain.gpus)
        throw std::invalid_argument("node " + std::to_string(node) + " added out of order");
    if (domain.gpus > 1 && !(domain.nvlink_per_direction.value() > 0))
        throw std::invalid_argument("node: " + std::to_string(domain.gpus) + " GPUs but no scale-up bandwidth");
    const hardware::LinkClass scale_up = hardware::link_class("nvlink");
    std::vector<VertexId> gpus;
    for (int i = 0; i < domain.gpus; ++i)
        gpus.push_back(graph.add_vertex(Vertex{VertexKind::accelerator, node, i, 0, 0}));
    const units::Bandwidth per_link = domain.nvlink_per_direction / static_cast<double>(std::max(1, domain.gpus - 1));
    for (std::size_t a = 0; a < gpus.size(); ++a)
        for (std::size_t b = a + 1; b < gpus.size(); ++b)
            graph.add_duplex(gpus[a], gpus[b], scale_up, per_link, domain.latency);
    return attach_nics(graph, node, gpus, nics, host_latency);
}

} // namespace tcsim::topology
