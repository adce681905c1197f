// Expert dispatch with node-limited routing (DeepSeek-V3 technical report Sec. 3.2.2,
// arXiv:2412.19437; DeepEP's normal kernels, github.com/deepseek-ai/DeepEP): with
// m = min(max_nodes, N) nodes allowed per token and k = top_k experts drawn uniformly from
// their experts, a token reaches m_eff = m (1 - (1 - 1/m)^k) distinct nodes and
// D = m r (1 - (1 - 1/(m r))^k) distinct GPUs. Each token crosses the fabric once per remote
// node it needs, to the GPU of the same local index (bytes m_eff/N per destination node), then
// NVLink carries it once to every other GPU of that node it needs (D/r per destination GPU).
// Combine is the same with every flow reversed. Both legs run at DeepEP's own calibrated
// fractions (LinkEfficiency::deepep), not NCCL's.
#include "network/algorithms/collective_algorithm.hpp"

#include <algorithm>

namespace tcsim::network {
namespace {

using collective::CollectiveKind;

bool applicable(const PlanContext&, CollectiveKind kind, const NodeLayout& l) {
    return (kind == CollectiveKind::ep_dispatch || kind == CollectiveKind::ep_combine) && l.uniform();
}

void plan(const PlanContext& ctx, CollectiveKind kind, const Groups& groups, const ExpertShape& e,
          CollectivePlan& out) {
    const bool combine = kind == CollectiveKind::ep_combine;
    const NodeLayout first = ctx.layout(groups.front());
    const int nodes = first.nodes();
    const int r = first.per_node();
    const int allowed = e.max_nodes > 0 ? std::min(e.max_nodes, nodes) : nodes;
    const double node_pairs = expected_nodes_per_token(allowed, e.top_k);
    const double gpu_pairs = expected_gpus_per_token(allowed * r, e.top_k);
    const std::initializer_list<FractionOverride> deepep{{"nvlink", ctx.links.deepep.nvlink},
                                                         {"network", ctx.links.deepep.network}};
    FlowClassBuilder rdma = ctx.builder("rdma", node_pairs / nodes, deepep);
    FlowClassBuilder nvlink = ctx.builder("nvlink", gpu_pairs / r, deepep);
    double alpha_net = 0.0;
    double alpha_nvl = 0.0;
    for (const auto& g : groups) {
        const NodeLayout l = ctx.layout(g);
        for (int x = 0; x < nodes; ++x)
            for (int i = 0; i < r; ++i) {
                for (int y = 0; y < nodes; ++y) {
                    if (y == x) continue;
                    const int a = l.at(x, i);
                    const int b = l.at(y, i);
                    alpha_net = std::max(alpha_net, combine ? rdma.flow(b, a) : rdma.flow(a, b));
                }
                for (int j = 0; j < r; ++j) {
                    if (j == i) continue;
                    const int a = l.at(x, i);
                    const int b = l.at(x, j);
                    alpha_nvl = std::max(alpha_nvl, combine ? nvlink.flow(b, a) : nvlink.flow(a, b));
                }
            }
    }
    rdma.finish(out);
    nvlink.finish(out);
    out.latency = units::Seconds(alpha_net + alpha_nvl);
}

} // namespace

CollectiveAlgorithm deepep_normal_algorithm() {
    return {Algorithm::deepep_normal, "DeepSeek-V3 Sec. 3.2.2 (arXiv:2412.19437); DeepEP normal kernels", applicable,
            plan};
}

} // namespace tcsim::network
