#include "topology/torus_router.hpp"

#include "topology/cluster_graph.hpp"

#include <algorithm>
#include <stdexcept>

namespace tcsim::topology {

Route TorusRouter::route(const ClusterGraph& graph, int src, int dst, Ecmp ecmp) const {
    if (src < 0 || dst < 0 || src >= graph.gpus() || dst >= graph.gpus())
        throw std::invalid_argument("route: GPU out of range");
    if (src == dst) return {};
    if (graph.node_of(src) != graph.node_of(dst)) return between_slices_.route(graph, src, dst, ecmp);
    const std::vector<int>& dims = graph.scale_up().torus;
    if (dims.empty()) throw std::logic_error("torus router on a graph with no torus");
    const int base = src - graph.vertex(graph.gpu(src)).index;
    std::vector<int> at = torus_coordinates(graph.vertex(graph.gpu(src)).index, dims);
    const std::vector<int> to = torus_coordinates(graph.vertex(graph.gpu(dst)).index, dims);
    Route r;
    double latency = 0.0;
    for (std::size_t k = 0; k < dims.size(); ++k) {
        const int n = dims[k];
        const int forward = ((to[k] - at[k]) % n + n) % n;
        if (forward == 0) continue;
        const int backward = n - forward;
        const bool plus = forward < backward || (forward == backward && at[k] % 2 == 0);
        const int steps = plus ? forward : backward;
        for (int s = 0; s < steps; ++s) {
            std::vector<int> next = at;
            next[k] = ((at[k] + (plus ? 1 : -1)) % n + n) % n;
            const LinkId l =
                graph.link_between(graph.gpu(base + torus_index(at, dims)), graph.gpu(base + torus_index(next, dims)));
            r.links.push_back(LinkShare{l, 1.0});
            latency += graph.link(l).latency.count();
            at = std::move(next);
        }
    }
    std::sort(r.links.begin(), r.links.end(), [](const LinkShare& x, const LinkShare& y) { return x.link < y.link; });
    r.latency = units::Seconds(latency);
    return r;
}

} // namespace tcsim::topology
