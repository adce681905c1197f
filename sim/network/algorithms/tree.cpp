// Tree all-reduce across nodes, as NCCL runs it (NCCL 2.4 double binary trees: Sanders, Speck
// & Traeff, "Two-tree algorithms for full bandwidth broadcast, reduction and scan", Parallel
// Computing 2009; NVIDIA blog "Massively scale your deep learning training with NCCL 2.4"):
// per channel, a double binary tree over nodes (S/2 per tree, both directions on each tree
// edge) and a chain inside each node (S each way); latency 2 (depth alpha_net + (r-1)
// alpha_nvlink).
#include "network/algorithms/collective_algorithm.hpp"

#include <algorithm>
#include <cmath>

namespace tcsim::network {
namespace {

using collective::CollectiveKind;

int mod(int a, int n) { return ((a % n) + n) % n; }

bool applicable(const PlanContext&, CollectiveKind kind, const NodeLayout& l) {
    return kind == CollectiveKind::all_reduce && l.nodes() > 1 && l.uniform();
}

void plan(const PlanContext& ctx, CollectiveKind, const Groups& groups, const ExpertShape&, CollectivePlan& out) {
    const NodeLayout first = ctx.layout(groups.front());
    const int nodes = first.nodes();
    const int r = first.per_node();
    const int channels = r;
    FlowClassBuilder inter = ctx.builder("tree", 0.5 / channels);
    FlowClassBuilder chain = ctx.builder("chain", 1.0 / channels);
    double alpha_net = 0.0;
    double alpha_nvl = 0.0;
    for (const auto& g : groups) {
        const NodeLayout l = ctx.layout(g);
        for (int c = 0; c < channels; ++c) {
            // Double binary tree: tree A in heap order over node positions, tree B mirrored.
            for (int mirror = 0; mirror < 2; ++mirror) {
                auto node_at = [&](int pos) { return mirror == 0 ? pos : nodes - 1 - pos; };
                for (int pos = 1; pos < nodes; ++pos) {
                    const int child = l.at(node_at(pos), c);
                    const int parent = l.at(node_at((pos - 1) / 2), c);
                    alpha_net = std::max(alpha_net, inter.flow(child, parent)); // reduce
                    alpha_net = std::max(alpha_net, inter.flow(parent, child)); // broadcast
                }
            }
            // Chain inside each node from the channel's head, both directions.
            for (int x = 0; x < nodes; ++x)
                for (int t = 0; t + 1 < r; ++t) {
                    const int a = l.at(x, mod(c + t, r));
                    const int bb = l.at(x, mod(c + t + 1, r));
                    alpha_nvl = std::max(alpha_nvl, chain.flow(bb, a));
                    alpha_nvl = std::max(alpha_nvl, chain.flow(a, bb));
                }
        }
    }
    inter.finish(out);
    chain.finish(out);
    const int depth = static_cast<int>(std::floor(std::log2(static_cast<double>(nodes))));
    out.latency = units::Seconds(2.0 * (depth * alpha_net + (r - 1) * alpha_nvl));
}

} // namespace

CollectiveAlgorithm tree_algorithm() {
    return {Algorithm::tree, "NCCL 2.4 double binary trees (Sanders, Speck & Traeff, Parallel Computing 2009)",
            applicable, plan};
}

} // namespace tcsim::network
