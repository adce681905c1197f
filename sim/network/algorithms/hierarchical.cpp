// Hierarchical (2D) all-reduce, pipelined: reduce-scatter and all-gather inside each node (NVLS
// where the switch reduces, else a ring: 2(r-1)/r S per edge) while r rings across nodes (one
// per local index) all-reduce S/r each: 2(N-1)/N S/r per edge. Sources: NCCL's NVLS+tree /
// CollNet hierarchy; Jia et al., "Highly scalable deep learning training system with
// mixed-precision" (arXiv:1807.11205, 2D hierarchical all-reduce).
#include "network/algorithms/collective_algorithm.hpp"

#include <algorithm>

namespace tcsim::network {
namespace {

using collective::CollectiveKind;

bool applicable(const PlanContext&, CollectiveKind kind, const NodeLayout& l) {
    return kind == CollectiveKind::all_reduce && l.nodes() > 1 && l.per_node() > 1 && l.uniform();
}

void plan(const PlanContext& ctx, CollectiveKind, const Groups& groups, const ExpertShape&, CollectivePlan& out) {
    const NodeLayout first = ctx.layout(groups.front());
    const int nodes = first.nodes();
    const int r = first.per_node();
    double intra_latency = 0.0;
    if (ctx.nvls) {
        add_nvls_classes(ctx, groups, r, out);
        intra_latency = ctx.links.nvls->latency.count();
    } else {
        FlowClassBuilder intra = ctx.builder("intra", 2.0 * (r - 1) / r);
        double alpha = 0.0;
        for (const auto& g : groups) {
            const NodeLayout l = ctx.layout(g);
            for (int x = 0; x < nodes; ++x)
                for (int i = 0; i < r; ++i) alpha = std::max(alpha, intra.flow(l.at(x, i), l.at(x, (i + 1) % r)));
        }
        intra.finish(out);
        intra_latency = 2.0 * (r - 1) * alpha;
    }
    FlowClassBuilder inter = ctx.builder("inter", 2.0 * (nodes - 1) / nodes / r);
    double alpha = 0.0;
    for (const auto& g : groups) {
        const NodeLayout l = ctx.layout(g);
        for (int i = 0; i < r; ++i)
            for (int x = 0; x < nodes; ++x) alpha = std::max(alpha, inter.flow(l.at(x, i), l.at((x + 1) % nodes, i)));
    }
    inter.finish(out);
    out.latency = units::Seconds(intra_latency + 2.0 * (nodes - 1) * alpha);
}

} // namespace

CollectiveAlgorithm hierarchical_algorithm() {
    return {Algorithm::hierarchical, "2D hierarchical all-reduce (Jia et al., arXiv:1807.11205; NCCL NVLS/CollNet)",
            applicable, plan};
}

} // namespace tcsim::network
