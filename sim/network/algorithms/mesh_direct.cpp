// Direct all-gather, reduce-scatter and all-reduce on a full-mesh node (AMD xGMI, Gaudi's RoCE
// all-to-all, Ascend HCCS): every rank sends its 1/n shard straight to every other over their
// own link, so all n - 1 links of a chip carry data at once (a ring would use one). Sources:
// AMD, "MI300X network/system topology" (RCCL on the 8-GPU Infinity Fabric mesh uses all 7
// peer links; ROCm docs "RCCL: Using direct peer-to-peer"); Huawei HCCL's "mesh" algorithm for
// the 8-NPU HCCS board (HCCL docs, "Mesh algorithm: full-mesh one-step all-gather / reduce-
// scatter"); Thakur, Rabenseifner & Gropp, IJHPCA 2005 (direct exchange).
//
// n ranks in one node, S the payload (collective_plan.hpp):
//   all-gather, reduce-scatter   S/n on every ordered pair's link, one step: latency alpha.
//   all-reduce                   reduce-scatter then all-gather: 2 S/n per link, 2 alpha.
// With the peer link's rate B (the chip's scale-up bandwidth / (n - 1)), the time is
// S/(n f B) (+ alpha), (n - 1) times faster than a ring over the same links.
#include "network/algorithms/collective_algorithm.hpp"

#include <algorithm>

namespace tcsim::network {
namespace {

using collective::CollectiveKind;

bool applicable(const PlanContext& ctx, CollectiveKind kind, const NodeLayout& first) {
    if (kind != CollectiveKind::all_reduce && kind != CollectiveKind::reduce_scatter &&
        kind != CollectiveKind::all_gather)
        return false;
    return ctx.graph.scale_up().kind == topology::ScaleUpKind::full_mesh && first.nodes() == 1 && first.per_node() >= 2;
}

void plan(const PlanContext& ctx, CollectiveKind kind, const Groups& groups, const ExpertShape&, CollectivePlan& out) {
    const double n = static_cast<double>(groups.front().size());
    const double steps = kind == CollectiveKind::all_reduce ? 2.0 : 1.0;
    FlowClassBuilder b = ctx.builder("mesh", steps / n);
    double alpha = 0.0;
    for (const auto& g : groups)
        for (int s : g)
            for (int d : g)
                if (s != d) alpha = std::max(alpha, b.flow(s, d));
    b.finish(out);
    out.latency = units::Seconds(steps * alpha);
}

} // namespace

CollectiveAlgorithm mesh_direct_algorithm() {
    return {Algorithm::mesh_direct,
            "direct exchange on a full mesh (RCCL on Infinity Fabric, HCCL mesh algorithm; Thakur, Rabenseifner & "
            "Gropp, IJHPCA 2005)",
            applicable, plan};
}

} // namespace tcsim::network
