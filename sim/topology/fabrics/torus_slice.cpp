// Torus slice builder: picture and sources in torus_slice.hpp.
#include "topology/fabrics/torus_slice.hpp"

#include <stdexcept>
#include <string>
#include <utility>

namespace tcsim::topology {

units::Bandwidth torus_port_bandwidth(units::Bandwidth per_direction, const std::vector<int>& dims) {
    return per_direction / (2.0 * static_cast<double>(dims.size()));
}

std::vector<VertexId> add_torus_slice(ClusterGraph& graph, int node, const std::vector<int>& dims, bool twisted,
                                      const NvlinkDomainSpec& domain, const NicSpec& nics,
                                      units::Seconds host_latency) {
    if (dims.size() < 2 || dims.size() > 3)
        throw std::invalid_argument("torus: " + std::to_string(dims.size()) + " dimensions (2 or 3 supported)");
    if (twisted) {
        if (const std::string why = twist_refusal(dims); !why.empty()) throw std::invalid_argument("torus: " + why);
    }
    int product = 1;
    for (int d : dims) {
        if (d < 1) throw std::invalid_argument("torus: extent " + std::to_string(d) + " < 1");
        product *= d;
    }
    if (product != domain.gpus)
        throw std::invalid_argument("torus: extents multiply to " + std::to_string(product) + ", not the node's " +
                                    std::to_string(domain.gpus) + " chips");
    if (graph.gpus() != node * domain.gpus)
        throw std::invalid_argument("node " + std::to_string(node) + " added out of order");
    if (domain.gpus > 1 && !(domain.nvlink_per_direction.value() > 0))
        throw std::invalid_argument("torus: " + std::to_string(domain.gpus) + " chips but no ICI bandwidth");
    const hardware::LinkClass ici = hardware::link_class("nvlink");
    std::vector<VertexId> chips;
    for (int i = 0; i < domain.gpus; ++i)
        chips.push_back(graph.add_vertex(Vertex{VertexKind::accelerator, node, i, 0, 0}));
    const units::Bandwidth port = torus_port_bandwidth(domain.nvlink_per_direction, dims);
    for (std::size_t k = 0; k < dims.size(); ++k) {
        const int extent = dims[k];
        if (extent == 1) continue;
        for (int i = 0; i < domain.gpus; ++i) {
            std::vector<int> c = torus_coordinates(i, dims);
            if (extent == 2) {
                // Both ports of the dimension join the same pair: one link of twice the rate.
                if (c[k] != 0) continue;
                c[k] = 1;
                graph.add_duplex(chips[static_cast<std::size_t>(i)],
                                 chips[static_cast<std::size_t>(torus_index(c, dims))], ici, port * 2.0,
                                 domain.latency);
                continue;
            }
            // The + link of every chip (the last one's wraps to the first, twisted or not):
            // each edge once.
            c = torus_step(std::move(c), dims, twisted, k, +1);
            graph.add_duplex(chips[static_cast<std::size_t>(i)], chips[static_cast<std::size_t>(torus_index(c, dims))],
                             ici, port, domain.latency);
        }
    }
    return attach_nics(graph, node, chips, nics, host_latency);
}

} // namespace tcsim::topology
