#include "network/collective_plan.hpp"

#include "network/algorithm_registry.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>
#include <utility>

namespace tcsim::network {

using collective::CollectiveKind;

namespace {

constexpr std::array<std::pair<Algorithm, std::string_view>, 9> kAlgorithmNames{{
    {Algorithm::automatic, "auto"},
    {Algorithm::ring, "ring"},
    {Algorithm::tree, "tree"},
    {Algorithm::nvls, "nvls"},
    {Algorithm::hierarchical, "hierarchical"},
    {Algorithm::pairwise, "pairwise"},
    {Algorithm::deepep_normal, "deepep_normal"},
    {Algorithm::deepep_low_latency, "deepep_low_latency"},
    {Algorithm::direct, "direct"},
}};

} // namespace

std::string_view to_string(Algorithm a) {
    for (const auto& [k, name] : kAlgorithmNames)
        if (k == a) return name;
    return "?";
}

std::optional<Algorithm> algorithm_from_string(std::string_view text) {
    for (const auto& [k, name] : kAlgorithmNames)
        if (name == text) return k;
    return std::nullopt;
}

double expected_nodes_per_token(int allowed_nodes, int top_k) {
    if (allowed_nodes <= 1) return 1.0;
    const double m = allowed_nodes;
    return m * (1.0 - std::pow(1.0 - 1.0 / m, top_k));
}

double expected_gpus_per_token(int allowed_gpus, int top_k) {
    if (allowed_gpus <= 1) return 1.0;
    const double g = allowed_gpus;
    return g * (1.0 - std::pow(1.0 - 1.0 / g, top_k));
}

std::vector<Algorithm> all_algorithms() {
    std::vector<Algorithm> out;
    for (const auto& [k, name] : kAlgorithmNames)
        if (k != Algorithm::automatic) out.push_back(k);
    return out;
}

CollectivePlanner::CollectivePlanner(const topology::ClusterGraph& graph, const hardware::LinkEfficiency& links,
                                     topology::Ecmp ecmp)
    : graph_(graph), links_(links), ecmp_(ecmp), nvls_(links.nvls.has_value()),
      registry_(std::make_shared<const AlgorithmRegistry>(AlgorithmRegistry::standard())) {}

bool CollectivePlanner::applicable(CollectiveKind kind, Algorithm a,
                                   const std::vector<std::vector<int>>& groups) const {
    if (groups.empty()) return false;
    const CollectiveAlgorithm* algorithm = registry_->find(a);
    if (algorithm == nullptr) return false;
    const PlanContext ctx{graph_, links_, ecmp_, nvls_};
    return algorithm->applicable(ctx, kind, ctx.layout(groups.front()));
}

CollectivePlan CollectivePlanner::plan(CollectiveKind kind, Algorithm a, const std::vector<std::vector<int>>& groups,
                                       const ExpertShape& expert) const {
    if (!applicable(kind, a, groups))
        throw std::invalid_argument(std::string("network: algorithm ") + std::string(to_string(a)) + " cannot run " +
                                    collective::to_string(kind) + " on this group");
    CollectivePlan plan;
    plan.algorithm = a;
    const PlanContext ctx{graph_, links_, ecmp_, nvls_};
    registry_->find(a)->plan(ctx, kind, groups, expert, plan);
    return plan;
}

} // namespace tcsim::network
