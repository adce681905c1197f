#include "topology/torus_router.hpp"

#include "topology/cluster_graph.hpp"

#include <algorithm>
#include <cstdlib>
#include <stdexcept>
#include <utility>
#include <vector>

namespace tcsim::topology {
namespace {

int ring_distance(int from, int to, int n) {
    const int forward = ((to - from) % n + n) % n;
    return std::min(forward, n - forward);
}

/// On a twisted slice: the signed steps to take in each short dimension (extent half the
/// longest) from `at` towards `to`, chosen with the long dimensions' remaining distance (each
/// crossing of a short wrap-around moves the long ones half-way round) to minimise the hops.
/// Candidates per short dimension: the direct way (|to - at| steps, no crossing) and the way
/// across its wrap-around (n - |to - at| steps, or a full turn of n when to = at; one
/// crossing); enumerated direct first, x first. Crossing twice moves nothing and is never taken.
std::vector<std::pair<std::size_t, int>> twisted_short_moves(const std::vector<int>& dims, const std::vector<int>& at,
                                                             const std::vector<int>& to) {
    const int longest = *std::max_element(dims.begin(), dims.end());
    std::vector<std::size_t> shorts;
    for (std::size_t k = 0; k < dims.size(); ++k)
        if (2 * dims[k] == longest) shorts.push_back(k);
    std::vector<std::pair<std::size_t, int>> best;
    int best_hops = -1;
    const unsigned combinations = 1U << shorts.size();
    for (unsigned mask = 0; mask < combinations; ++mask) {
        std::vector<std::pair<std::size_t, int>> moves;
        int hops = 0;
        int crossings = 0;
        for (std::size_t i = 0; i < shorts.size(); ++i) {
            const std::size_t k = shorts[i];
            const int delta = to[k] - at[k];
            int steps = delta;
            if ((mask >> i) & 1U) {
                // Across the wrap-around: the other way round, or, from the right coordinate
                // already, a full turn (k hops that move both long dimensions of a k x 2k x 2k
                // slice half-way round: shorter when they are both about half-way off).
                steps = delta > 0 ? delta - dims[k] : delta < 0 ? delta + dims[k] : dims[k];
                ++crossings;
            }
            moves.emplace_back(k, steps);
            hops += std::abs(steps);
        }
        const int shift = crossings % 2 == 1 ? longest / 2 : 0;
        for (std::size_t k = 0; k < dims.size(); ++k)
            if (dims[k] == longest) hops += ring_distance(at[k] + shift, to[k], longest);
        if (best_hops < 0 || hops < best_hops) {
            best_hops = hops;
            best = std::move(moves);
        }
    }
    return best;
}

} // namespace

Route TorusRouter::route(const ClusterGraph& graph, int src, int dst, Ecmp ecmp) const {
    if (src < 0 || dst < 0 || src >= graph.gpus() || dst >= graph.gpus())
        throw std::invalid_argument("route: GPU out of range");
    if (src == dst) return {};
    if (graph.node_of(src) != graph.node_of(dst)) return between_slices_.route(graph, src, dst, ecmp);
    const std::vector<int>& dims = graph.scale_up().torus;
    if (dims.empty()) throw std::logic_error("torus router on a graph with no torus");
    const bool twisted = graph.scale_up().twisted;
    const int base = src - graph.vertex(graph.gpu(src)).index;
    std::vector<int> at = torus_coordinates(graph.vertex(graph.gpu(src)).index, dims);
    const std::vector<int> to = torus_coordinates(graph.vertex(graph.gpu(dst)).index, dims);
    Route r;
    double latency = 0.0;
    auto hop = [&](std::size_t k, int dir) {
        std::vector<int> next = torus_step(at, dims, twisted, k, dir);
        const LinkId l =
            graph.link_between(graph.gpu(base + torus_index(at, dims)), graph.gpu(base + torus_index(next, dims)));
        r.links.push_back(LinkShare{l, 1.0});
        latency += graph.link(l).latency.count();
        at = std::move(next);
    };
    // Twisted: the short dimensions first, each the way (direct or across its twisted
    // wrap-around) that, with the long dimensions' shorter way round after it, takes the fewest
    // hops; the first such choice in the order below on a tie.
    if (twisted) {
        for (const auto& [k, steps] : twisted_short_moves(dims, at, to))
            for (int s = 0; s < std::abs(steps); ++s) hop(k, steps > 0 ? +1 : -1);
    }
    for (std::size_t k = 0; k < dims.size(); ++k) {
        const int n = dims[k];
        const int forward = ((to[k] - at[k]) % n + n) % n;
        if (forward == 0) continue;
        const int backward = n - forward;
        const bool plus = forward < backward || (forward == backward && at[k] % 2 == 0);
        const int steps = plus ? forward : backward;
        for (int s = 0; s < steps; ++s) hop(k, plus ? +1 : -1);
    }
    std::sort(r.links.begin(), r.links.end(), [](const LinkShare& x, const LinkShare& y) { return x.link < y.link; });
    r.latency = units::Seconds(latency);
    return r;
}

} // namespace tcsim::topology
