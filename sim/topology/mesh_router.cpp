#include "topology/mesh_router.hpp"

#include "topology/cluster_graph.hpp"

#include <stdexcept>

namespace tcsim::topology {

Route MeshRouter::route(const ClusterGraph& graph, int src, int dst, Ecmp ecmp) const {
    if (src < 0 || dst < 0 || src >= graph.gpus() || dst >= graph.gpus())
        throw std::invalid_argument("route: GPU out of range");
    if (src == dst) return {};
    if (graph.node_of(src) != graph.node_of(dst)) return between_nodes_.route(graph, src, dst, ecmp);
    const LinkId l = graph.link_between(graph.gpu(src), graph.gpu(dst));
    Route r;
    r.links.push_back(LinkShare{l, 1.0});
    r.latency = graph.link(l).latency;
    return r;
}

} // namespace tcsim::topology
