#include "network/collective_plan.hpp"

#include "network/algorithm_registry.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <iterator>
#include <stdexcept>
#include <utility>

namespace tcsim::network {

using collective::CollectiveKind;

namespace {

constexpr std::array<std::pair<Algorithm, std::string_view>, 11> kAlgorithmNames{{
    {Algorithm::automatic, "auto"},
    {Algorithm::ring, "ring"},
    {Algorithm::tree, "tree"},
    {Algorithm::nvls, "nvls"},
    {Algorithm::hierarchical, "hierarchical"},
    {Algorithm::pairwise, "pairwise"},
    {Algorithm::deepep_normal, "deepep_normal"},
    {Algorithm::deepep_low_latency, "deepep_low_latency"},
    {Algorithm::direct, "direct"},
    {Algorithm::torus_ring, "torus_ring"},
    {Algorithm::mesh_direct, "mesh_direct"},
}};

/// The groups split by their shape (how many of a group's ranks sit on each of its nodes, in
/// node order), in order of first appearance: every algorithm plans one shape at a time, reading
/// the shape from a partition's first group.
std::vector<std::vector<std::vector<int>>> partitions_by_shape(const PlanContext& ctx,
                                                               const std::vector<std::vector<int>>& groups) {
    std::vector<std::vector<int>> shapes;
    std::vector<std::vector<std::vector<int>>> parts;
    for (const auto& g : groups) {
        const NodeLayout l = ctx.layout(g);
        std::vector<int> shape;
        shape.reserve(l.members.size());
        for (const auto& m : l.members) shape.push_back(static_cast<int>(m.size()));
        const auto it = std::find(shapes.begin(), shapes.end(), shape);
        if (it == shapes.end()) {
            shapes.push_back(std::move(shape));
            parts.push_back({g});
        } else {
            parts[static_cast<std::size_t>(it - shapes.begin())].push_back(g);
        }
    }
    return parts;
}

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

namespace {

/// Whether `algorithm` (null: not in the registry) runs `kind` on every shape of `parts`.
bool applicable_to(const PlanContext& ctx, const CollectiveAlgorithm* algorithm, CollectiveKind kind,
                   const std::vector<std::vector<std::vector<int>>>& parts) {
    if (algorithm == nullptr || parts.empty()) return false;
    for (const auto& part : parts)
        if (!algorithm->applicable(ctx, kind, ctx.layout(part.front()))) return false;
    return true;
}

} // namespace

bool CollectivePlanner::applicable(CollectiveKind kind, Algorithm a,
                                   const std::vector<std::vector<int>>& groups) const {
    if (groups.empty()) return false;
    const CollectiveAlgorithm* algorithm = registry_->find(a);
    if (algorithm == nullptr) return false;
    const PlanContext ctx{graph_, links_, ecmp_, nvls_};
    return applicable_to(ctx, algorithm, kind, partitions_by_shape(ctx, groups));
}

CollectivePlan CollectivePlanner::plan(CollectiveKind kind, Algorithm a, const std::vector<std::vector<int>>& groups,
                                       const ExpertShape& expert) const {
    const PlanContext ctx{graph_, links_, ecmp_, nvls_};
    // The groups split by shape once, for the check and the plan.
    const auto parts = partitions_by_shape(ctx, groups);
    if (!applicable_to(ctx, registry_->find(a), kind, parts))
        throw std::invalid_argument(std::string("network: algorithm ") + std::string(to_string(a)) + " cannot run " +
                                    collective::to_string(kind) + " on this group");
    CollectivePlan plan;
    plan.algorithm = a;
    if (parts.size() == 1) {
        registry_->find(a)->plan(ctx, kind, groups, expert, plan);
        return plan;
    }
    // Copies of different shapes (a 16-GPU group inside one 72-GPU node beside one straddling
    // two) are planned shape by shape; their flows run at once, and the slowest sets the latency.
    for (const auto& part : parts) {
        CollectivePlan one;
        one.algorithm = a;
        registry_->find(a)->plan(ctx, kind, part, expert, one);
        plan.classes.insert(plan.classes.end(), std::make_move_iterator(one.classes.begin()),
                            std::make_move_iterator(one.classes.end()));
        plan.latency = std::max(plan.latency, one.latency);
    }
    return plan;
}

} // namespace tcsim::network
