// Point-to-point send/recv: one flow per copy, source to destination (NCCL ncclSend/ncclRecv,
// as pipeline-parallel activations move between stages).
#include "network/algorithms/collective_algorithm.hpp"

#include <algorithm>
#include <stdexcept>

namespace tcsim::network {
namespace {

using collective::CollectiveKind;

bool applicable(const PlanContext&, CollectiveKind kind, const NodeLayout&) {
    return kind == CollectiveKind::send_recv;
}

void plan(const PlanContext& ctx, CollectiveKind, const Groups& groups, const ExpertShape&, CollectivePlan& out) {
    FlowClassBuilder b = ctx.builder("p2p", 1.0);
    double alpha = 0.0;
    for (const auto& g : groups) {
        if (g.size() != 2) throw std::invalid_argument("network: send_recv needs {source, destination}");
        alpha = std::max(alpha, b.flow(g[0], g[1]));
    }
    b.finish(out);
    out.latency = units::Seconds(alpha);
}

} // namespace

CollectiveAlgorithm direct_algorithm() {
    return {Algorithm::direct, "NCCL ncclSend/ncclRecv point-to-point", applicable, plan};
}

} // namespace tcsim::network
