// One collective algorithm: which collectives and group shapes it runs, and the flow classes it
// makes of them (collective_plan.hpp). One algorithm per file in this folder, each citing its
// source; algorithm_registry.hpp gathers them by Algorithm value.
//
// Contract
// - `applicable(ctx, kind, first)` looks only at the collective kind, the first group's layout
//   by node and the context (symmetric copies share the first group's shape).
// - `plan(ctx, kind, groups, expert, plan)` is called only where `applicable` holds; it appends
//   the algorithm's flow classes to `plan` and sets its latency.
#pragma once

#include "collective/collective_kind.hpp"
#include "hardware/efficiency.hpp"
#include "network/algorithms/flow_class_builder.hpp"
#include "network/algorithms/node_layout.hpp"
#include "network/collective_plan.hpp"
#include "topology/cluster_graph.hpp"

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tcsim::network {

using Groups = std::vector<std::vector<int>>;

/// What an algorithm plans on.
struct PlanContext {
    const topology::ClusterGraph& graph;
    const hardware::LinkEfficiency& links;
    topology::Ecmp ecmp;
    bool nvls = false; ///< the scale-up switch reduces in the switch (links.nvls present)

    [[nodiscard]] NodeLayout layout(const std::vector<int>& group) const { return layout_by_node(graph, group); }
    [[nodiscard]] FlowClassBuilder builder(std::string name, double bytes_per_payload,
                                           std::initializer_list<FractionOverride> overrides = {}) const {
        return FlowClassBuilder(graph, links, ecmp, std::move(name), bytes_per_payload, overrides);
    }
};

struct CollectiveAlgorithm {
    Algorithm algorithm = Algorithm::ring;
    std::string_view source; ///< where the algorithm comes from
    bool (*applicable)(const PlanContext& ctx, collective::CollectiveKind kind, const NodeLayout& first) = nullptr;
    void (*plan)(const PlanContext& ctx, collective::CollectiveKind kind, const Groups& groups,
                 const ExpertShape& expert, CollectivePlan& plan) = nullptr;
};

// The algorithms, one per file.
CollectiveAlgorithm ring_algorithm();               // ring.cpp
CollectiveAlgorithm tree_algorithm();               // tree.cpp
CollectiveAlgorithm nvls_algorithm();               // nvls.cpp
CollectiveAlgorithm hierarchical_algorithm();       // hierarchical.cpp
CollectiveAlgorithm pairwise_algorithm();           // pairwise.cpp
CollectiveAlgorithm deepep_normal_algorithm();      // deepep_normal.cpp
CollectiveAlgorithm deepep_low_latency_algorithm(); // deepep_low_latency.cpp
CollectiveAlgorithm direct_algorithm();             // direct.cpp
CollectiveAlgorithm torus_ring_algorithm();         // torus_ring.cpp
CollectiveAlgorithm mesh_direct_algorithm();        // mesh_direct.cpp

// Pieces one algorithm lends another.
/// NVLS in-switch reduction of every GPU of `groups`: "nvls.up" and "nvls.down" classes of
/// S(1 + 1/members) each (nvls.cpp; hierarchical uses it inside each node).
void add_nvls_classes(const PlanContext& ctx, const Groups& groups, double members, CollectivePlan& plan);
/// Every member to every other, `per_flow` of the payload each, intra- and inter-node flows as
/// separate classes, latency the largest path latency (pairwise.cpp; DeepEP's low-latency
/// kernels use it with their own fractions).
void add_pairwise_classes(const PlanContext& ctx, const Groups& groups, double per_flow,
                          std::initializer_list<FractionOverride> overrides, CollectivePlan& plan);

} // namespace tcsim::network
