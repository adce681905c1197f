// NVLink SHARP (NVLS) all-reduce inside one NVLink domain: the NVSwitch reduces in the switch
// (NVIDIA, "NVLink SHARP", Hopper architecture whitepaper; NCCL 2.17+ NVLS algorithm), so each
// GPU sends S(1 + 1/n) up its NVLink and receives as much down; latency
// LinkEfficiency::nvls->latency, at the calibrated NVLS fraction of NVLink line rate.
#include "network/algorithms/collective_algorithm.hpp"

namespace tcsim::network {

void add_nvls_classes(const PlanContext& ctx, const Groups& groups, double members, CollectivePlan& plan) {
    FlowClassBuilder up = ctx.builder("nvls.up", 1.0 + 1.0 / members, {{"nvlink", ctx.links.nvls->nvlink}});
    FlowClassBuilder down = ctx.builder("nvls.down", 1.0 + 1.0 / members, {{"nvlink", ctx.links.nvls->nvlink}});
    for (const auto& g : groups)
        for (int gpu : g) {
            up.to_switch(gpu, true);
            down.to_switch(gpu, false);
        }
    up.finish(plan);
    down.finish(plan);
}

namespace {

using collective::CollectiveKind;

bool applicable(const PlanContext& ctx, CollectiveKind kind, const NodeLayout& l) {
    return kind == CollectiveKind::all_reduce && ctx.nvls && l.nodes() == 1 && l.per_node() > 1;
}

void plan(const PlanContext& ctx, CollectiveKind, const Groups& groups, const ExpertShape&, CollectivePlan& out) {
    add_nvls_classes(ctx, groups, static_cast<double>(groups.front().size()), out);
    out.latency = ctx.links.nvls->latency;
}

} // namespace

CollectiveAlgorithm nvls_algorithm() {
    return {Algorithm::nvls, "NVLink SHARP (Hopper whitepaper; NCCL 2.17+ NVLS algorithm)", applicable, plan};
}

} // namespace tcsim::network
