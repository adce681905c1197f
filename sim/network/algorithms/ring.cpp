// Ring all-reduce, reduce-scatter and all-gather, as NCCL runs them (NCCL's ring algorithm,
// src/device/all_reduce.h; Patarasuk & Yuan, "Bandwidth optimal all-reduce algorithms for
// clusters of workstations", JPDC 2009): all-reduce moves 2(n-1)/n S per edge in 2(n-1) steps;
// reduce-scatter and all-gather (n-1)/n S in (n-1) steps. Across nodes NCCL runs r rings
// ("channels") that snake through the nodes (even nodes in local order c, c+1, ..., odd nodes
// in reverse) so every hop between nodes joins GPUs of the same local index (same rail) and
// each NIC sends one channel's share.
#include "network/algorithms/collective_algorithm.hpp"

#include <algorithm>

namespace tcsim::network {
namespace {

using collective::CollectiveKind;

int mod(int a, int n) { return ((a % n) + n) % n; }

bool applicable(const PlanContext&, CollectiveKind kind, const NodeLayout&) {
    return kind == CollectiveKind::all_reduce || kind == CollectiveKind::all_gather ||
           kind == CollectiveKind::reduce_scatter;
}

void ring(const PlanContext& ctx, const Groups& groups, double per_edge, int steps, CollectivePlan& plan) {
    const NodeLayout first = ctx.layout(groups.front());
    const int nodes = first.nodes();
    const int r = first.per_node();
    // A group with unequal ranks per node runs one ring in rank order.
    const bool snake = nodes > 1 && first.uniform();
    const int channels = snake ? r : 1;
    FlowClassBuilder b = ctx.builder("ring", per_edge / channels);
    double alpha = 0.0;
    for (const auto& g : groups) {
        const NodeLayout l = ctx.layout(g);
        for (int c = 0; c < channels; ++c) {
            std::vector<int> order;
            if (!snake) {
                for (const auto& m : l.members) order.insert(order.end(), m.begin(), m.end());
            } else {
                for (int x = 0; x < nodes; ++x)
                    for (int t = 0; t < r; ++t) {
                        const int i = x % 2 == 0 ? mod(c + t, r) : mod(c - 1 - t, r);
                        order.push_back(l.at(x, i));
                    }
            }
            for (std::size_t k = 0; k < order.size(); ++k)
                alpha = std::max(alpha, b.flow(order[k], order[(k + 1) % order.size()]));
        }
    }
    b.finish(plan);
    plan.latency = units::Seconds(steps * alpha);
}

void plan(const PlanContext& ctx, CollectiveKind kind, const Groups& groups, const ExpertShape&, CollectivePlan& out) {
    const double n = static_cast<double>(groups.front().size());
    if (kind == CollectiveKind::all_reduce)
        ring(ctx, groups, 2 * (n - 1) / n, 2 * static_cast<int>(n - 1), out);
    else
        ring(ctx, groups, (n - 1) / n, static_cast<int>(n - 1), out);
}

} // namespace

CollectiveAlgorithm ring_algorithm() {
    return {Algorithm::ring, "NCCL ring (src/device/all_reduce.h); Patarasuk & Yuan, JPDC 2009", applicable, plan};
}

} // namespace tcsim::network
