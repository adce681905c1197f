// Pairwise all-to-all: S/n from every rank to every other, all at once (NCCL's all-to-all as
// grouped point-to-point send/recv, nccl-tests alltoall; Thakur, Rabenseifner & Gropp,
// "Optimization of collective communication operations in MPICH", IJHPCA 2005); intra- and
// inter-node flows are separate classes; latency alpha. Also an expert dispatch or combine as
// Megatron-Core's alltoall dispatcher runs it: the permuted token copies by NCCL's all-to-all,
// k/n of a rank's tokens to each rank, at NCCL's link fractions (no per-node deduplication).
#include "network/algorithms/collective_algorithm.hpp"

#include <algorithm>

namespace tcsim::network {

void add_pairwise_classes(const PlanContext& ctx, const Groups& groups, double per_flow,
                          std::initializer_list<FractionOverride> overrides, CollectivePlan& plan) {
    FlowClassBuilder intra = ctx.builder("intra", per_flow, overrides);
    FlowClassBuilder inter = ctx.builder("inter", per_flow, overrides);
    double alpha = 0.0;
    for (const auto& g : groups)
        for (int s : g)
            for (int d : g) {
                if (s == d) continue;
                FlowClassBuilder& b = ctx.graph.node_of(s) == ctx.graph.node_of(d) ? intra : inter;
                alpha = std::max(alpha, b.flow(s, d));
            }
    intra.finish(plan);
    inter.finish(plan);
    plan.latency = units::Seconds(alpha);
}

namespace {

using collective::CollectiveKind;

bool applicable(const PlanContext&, CollectiveKind kind, const NodeLayout&) {
    return kind == CollectiveKind::all_to_all || kind == CollectiveKind::ep_dispatch ||
           kind == CollectiveKind::ep_combine;
}

void plan(const PlanContext& ctx, CollectiveKind kind, const Groups& groups, const ExpertShape& expert,
          CollectivePlan& out) {
    const double n = static_cast<double>(groups.front().size());
    // An expert exchange's payload is a rank's tokens: with experts spread evenly, k/n of its
    // token copies go to each rank (its own share stays put).
    const bool tokens = kind == CollectiveKind::ep_dispatch || kind == CollectiveKind::ep_combine;
    add_pairwise_classes(ctx, groups, (tokens ? expert.top_k : 1.0) / n, {}, out);
}

} // namespace

CollectiveAlgorithm pairwise_algorithm() {
    return {Algorithm::pairwise, "NCCL all-to-all as grouped send/recv (Thakur, Rabenseifner & Gropp, IJHPCA 2005)",
            applicable, plan};
}

} // namespace tcsim::network
