// DeepEP's low-latency dispatch and combine kernels (github.com/deepseek-ai/DeepEP, "low-latency
// kernels": pure RDMA/NVLink straight to the expert, for inference decoding): every token copy
// goes straight to its expert's GPU, k/n of the payload to each destination, at DeepEP's own
// fractions, plus LinkEfficiency::deepep.low_latency_overhead.
#include "network/algorithms/collective_algorithm.hpp"

namespace tcsim::network {
namespace {

using collective::CollectiveKind;

bool applicable(const PlanContext&, CollectiveKind kind, const NodeLayout&) {
    return kind == CollectiveKind::ep_dispatch || kind == CollectiveKind::ep_combine;
}

void plan(const PlanContext& ctx, CollectiveKind, const Groups& groups, const ExpertShape& expert,
          CollectivePlan& out) {
    const double n = static_cast<double>(groups.front().size());
    add_pairwise_classes(ctx, groups, static_cast<double>(expert.top_k) / n,
                         {{"nvlink", ctx.links.deepep.nvlink}, {"network", ctx.links.deepep.network}}, out);
    out.latency += ctx.links.deepep.low_latency_overhead;
}

} // namespace

CollectiveAlgorithm deepep_low_latency_algorithm() {
    return {Algorithm::deepep_low_latency, "DeepEP low-latency kernels (github.com/deepseek-ai/DeepEP)", applicable,
            plan};
}

} // namespace tcsim::network
