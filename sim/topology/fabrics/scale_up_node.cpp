// HGX / NVL node builder: picture and sources in scale_up_node.hpp.
#include "topology/fabrics/scale_up_node.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace tcsim::topology {

std::vector<VertexId> add_node(ClusterGraph& graph, int node, const NvlinkDomainSpec& domain, const NicSpec& nics,
                               units::Seconds host_latency) {
    if (domain.gpus < 1) throw std::invalid_argument("node: " + std::to_string(domain.gpus) + " GPUs");
    if (graph.gpus() != node * domain.gpus)
        throw std::invalid_argument("node " + std::to_string(node) + " added out of order");
    const hardware::LinkClass nvlink = hardware::link_class("nvlink");
    std::vector<VertexId> gpus;
    for (int i = 0; i < domain.gpus; ++i)
        gpus.push_back(graph.add_vertex(Vertex{VertexKind::accelerator, node, i, 0, 0}));
    if (domain.gpus > 1) {
        if (!(domain.nvlink_per_direction.value() > 0))
            throw std::invalid_argument("node: " + std::to_string(domain.gpus) + " GPUs but no NVLink bandwidth");
        const VertexId sw = graph.add_vertex(Vertex{VertexKind::scale_up_switch, node, 0, 0, 0});
        const units::Seconds half(domain.latency.count() / 2.0);
        for (VertexId g : gpus) graph.add_duplex(g, sw, nvlink, domain.nvlink_per_direction, half);
    }
    return attach_nics(graph, node, gpus, nics, host_latency);
}

std::vector<VertexId> attach_nics(ClusterGraph& graph, int node, const std::vector<VertexId>& gpus, const NicSpec& nics,
                                  units::Seconds host_latency) {
    const hardware::LinkClass pcie = hardware::link_class("pcie");
    const NvlinkDomainSpec domain{static_cast<int>(gpus.size()), {}, {}};
    std::vector<VertexId> out;
    if (nics.count == 0) return out;
    if (nics.count < 0 || (nics.count < domain.gpus && domain.gpus % nics.count != 0) ||
        (nics.count >= domain.gpus && nics.count % domain.gpus != 0))
        throw std::invalid_argument("node: " + std::to_string(nics.count) + " NICs cannot be shared evenly by " +
                                    std::to_string(domain.gpus) + " GPUs");
    // PCIe is not a bottleneck for the NICs modelled (Gen5 x16: 64 GB/s per direction, above a
    // 400 Gb/s NIC's 50 GB/s): the link carries the NIC's own rate times the GPUs sharing it.
    const int gpus_per_nic = std::max(1, domain.gpus / nics.count);
    const int nics_per_gpu = std::max(1, nics.count / domain.gpus);
    for (int j = 0; j < nics.count; ++j) out.push_back(graph.add_vertex(Vertex{VertexKind::nic, node, j, 0, 0}));
    for (int i = 0; i < domain.gpus; ++i) {
        for (int k = 0; k < nics_per_gpu; ++k) {
            const int j = nics.count >= domain.gpus ? i * nics_per_gpu + k : i / gpus_per_nic;
            graph.add_duplex(gpus[static_cast<std::size_t>(i)], out[static_cast<std::size_t>(j)], pcie,
                             nics.bandwidth * static_cast<double>(gpus_per_nic), host_latency);
        }
    }
    return out;
}

} // namespace tcsim::topology
