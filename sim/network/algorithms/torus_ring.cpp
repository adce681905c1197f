// Bidirectional rings per torus dimension, as XLA runs all-reduce, reduce-scatter and
// all-gather on a TPU slice: a reduce-scatter along x, then along y on the x-reduced shard, then
// along z (all-gather the mirror, z then y then x); each dimension's ring runs both ways round
// at once, half the data each way. Sources: Jouppi et al., "TPU v4: An Optically
// Reconfigurable Supercomputer...", ISCA 2023 (all-reduce on the 3-D torus dimension by
// dimension); Ying et al., "Image classification at supercomputer scale", arXiv:1811.06992
// (2-D torus all-reduce: reduce-scatter along one dimension, then the other); Patarasuk & Yuan,
// JPDC 2009 (ring bandwidth terms).
//
// For a group that is a full sub-torus of one slice (in every dimension either the whole ring
// or one coordinate), with used extents n_1, n_2, ... in order and P_j = n_1 ... n_{j-1}:
//   all-reduce      each chip sends (n_j - 1)/n_j x S / P_j to each of its two dimension-j
//                   neighbours (2(n_j-1)/n_j S/P_j per ring edge, split over both directions);
//                   latency 2 sum_j (n_j - 1) alpha.
//   reduce-scatter, all-gather   half of that per direction; latency sum_j (n_j - 1) alpha.
// The dimensions' classes run concurrently on disjoint links (chunks pipelined from one
// dimension into the next, as the flow model runs every multi-stage algorithm,
// collective_plan.hpp), so the slowest dimension sets the time: the first one, carrying the
// whole buffer. Other groups (not a full sub-torus, or across slices) use the plain ring.
// On a twisted slice (topology::torus_step) a short dimension's line is no closed ring: its
// wrap-around lands half-way round the long dimensions. The same per-dimension rings run there,
// the step from the line's last chip to its first routed (back along the line, k - 1 hops), so
// each link of the line carries one flow of each direction's ring: that dimension takes twice
// the plain torus's time. XLA's own schedule on twisted slices is not published; this is the
// ring it would run on the wiring, not a measured figure.
#include "network/algorithms/collective_algorithm.hpp"

#include <algorithm>
#include <set>
#include <string>

namespace tcsim::network {
namespace {

using collective::CollectiveKind;

/// The dimensions a group spans (full rings), or nothing when it is not a full sub-torus of
/// one slice.
std::optional<std::vector<int>> spanned_dimensions(const topology::ClusterGraph& graph, const NodeLayout& l) {
    const auto& dims = graph.scale_up().torus;
    if (graph.scale_up().kind != topology::ScaleUpKind::torus || l.nodes() != 1 || l.per_node() < 2)
        return std::nullopt;
    std::vector<std::set<int>> seen(dims.size());
    for (int g : l.members.front()) {
        const auto c = topology::torus_coordinates(graph.vertex(graph.gpu(g)).index, dims);
        for (std::size_t k = 0; k < dims.size(); ++k) seen[k].insert(c[k]);
    }
    std::vector<int> spanned;
    long long box = 1;
    for (std::size_t k = 0; k < dims.size(); ++k) {
        const int count = static_cast<int>(seen[k].size());
        if (count == 1) continue;
        if (count != dims[k]) return std::nullopt;
        spanned.push_back(static_cast<int>(k));
        box *= count;
    }
    if (box != l.per_node()) return std::nullopt;
    return spanned;
}

bool applicable(const PlanContext& ctx, CollectiveKind kind, const NodeLayout& first) {
    if (kind != CollectiveKind::all_reduce && kind != CollectiveKind::reduce_scatter &&
        kind != CollectiveKind::all_gather)
        return false;
    return spanned_dimensions(ctx.graph, first).has_value();
}

void plan(const PlanContext& ctx, CollectiveKind kind, const Groups& groups, const ExpertShape&, CollectivePlan& out) {
    const auto& dims = ctx.graph.scale_up().torus;
    const std::vector<int> spanned = *spanned_dimensions(ctx.graph, ctx.layout(groups.front()));
    const double both_ways = kind == CollectiveKind::all_reduce ? 2.0 : 1.0;
    // Copies of another shape (not the first group's sub-torus) run the plain ring in rank
    // order, dimension-order routed: a fallback, never a shape the layouts shipped produce.
    Groups boxes;
    Groups others;
    for (const auto& g : groups)
        (spanned_dimensions(ctx.graph, ctx.layout(g)) == spanned ? boxes : others).push_back(g);
    double latency = 0.0;
    if (!others.empty()) {
        const double n = static_cast<double>(others.front().size());
        FlowClassBuilder ring = ctx.builder("torus.ring", both_ways * (n - 1) / n);
        double alpha = 0.0;
        for (const auto& g : others)
            for (std::size_t i = 0; i < g.size(); ++i) alpha = std::max(alpha, ring.flow(g[i], g[(i + 1) % g.size()]));
        ring.finish(out);
        latency = both_ways * (n - 1) * alpha;
    }
    double shard = 1.0; // S / P_j
    double box_latency = 0.0;
    for (const int k : spanned) {
        const double n = dims[static_cast<std::size_t>(k)];
        const double per_direction = both_ways * (n - 1) / n * shard / 2.0;
        const std::string axis(1, "xyz"[k]);
        FlowClassBuilder plus = ctx.builder("torus." + axis + "+", per_direction);
        FlowClassBuilder minus = ctx.builder("torus." + axis + "-", per_direction);
        double alpha = 0.0;
        for (const auto& g : boxes) {
            const int base = g.front() - ctx.graph.vertex(ctx.graph.gpu(g.front())).index;
            for (int member : g) {
                auto c = topology::torus_coordinates(ctx.graph.vertex(ctx.graph.gpu(member)).index, dims);
                const int at = c[static_cast<std::size_t>(k)];
                c[static_cast<std::size_t>(k)] = (at + 1) % static_cast<int>(n);
                alpha = std::max(alpha, plus.flow(member, base + topology::torus_index(c, dims)));
                c[static_cast<std::size_t>(k)] = (at + static_cast<int>(n) - 1) % static_cast<int>(n);
                alpha = std::max(alpha, minus.flow(member, base + topology::torus_index(c, dims)));
            }
        }
        plus.finish(out);
        minus.finish(out);
        box_latency += both_ways * (n - 1) * alpha;
        shard /= n;
    }
    out.latency = units::Seconds(std::max(latency, box_latency));
}

} // namespace

CollectiveAlgorithm torus_ring_algorithm() {
    return {Algorithm::torus_ring,
            "XLA on TPU: bidirectional ring per torus dimension (Jouppi et al., ISCA 2023; Ying et al., "
            "arXiv:1811.06992)",
            applicable, plan};
}

} // namespace tcsim::network
