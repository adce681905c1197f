// The cluster as the flow network prices it: its graph and the achievable capacity of every
// link, built once per cluster and never changed afterwards.
//
// Contract
// - Immutable after construction; simulations hold it through std::shared_ptr<const Fabric>,
//   so the steps of a run (and the runs of a sweep) build the graph once.
// - capacity(l) = line rate of link l x the cluster's efficiency for its link class, in bytes/s
//   (line rate for classes that are not contended).
// - Throws std::invalid_argument when a contended link class has no positive efficiency.
// - memo(): routed collectives and max-min rates shared by every flow network on this fabric
//   (plan_memo.hpp), so that the steps of a run route and solve each collective once.
// - Thread safety: plain const data, and routing whose lazily built tables are filled under a
//   lock (shortest_path_router.hpp) and a memo behind its own lock, so one fabric may serve
//   simulations on several threads.
#pragma once

#include "network/plan_memo.hpp"
#include "topology/cluster.hpp"
#include "topology/cluster_graph.hpp"

#include <memory>
#include <vector>

namespace tcsim::network {

class Fabric {
public:
    explicit Fabric(const topology::ClusterSpec& cluster);
    /// From `graph`, which must be build_cluster_graph(cluster) (a caller that built it to check
    /// the cluster hands it over instead of building it again).
    Fabric(const topology::ClusterSpec& cluster, topology::ClusterGraph graph);

    [[nodiscard]] const topology::ClusterSpec& cluster() const { return cluster_; }
    [[nodiscard]] const topology::ClusterGraph& graph() const { return graph_; }
    [[nodiscard]] double capacity(topology::LinkId link) const { return capacity_[link]; }
    /// Every link's capacity, by link id.
    [[nodiscard]] const std::vector<double>& capacities() const { return capacity_; }
    /// Shared by the networks on this fabric (thread safe).
    [[nodiscard]] PlanMemo& memo() const { return *memo_; }

private:
    topology::ClusterSpec cluster_;
    topology::ClusterGraph graph_;
    std::vector<double> capacity_;
    std::unique_ptr<PlanMemo> memo_ = std::make_unique<PlanMemo>();
};

/// A fabric for `cluster`, to share.
std::shared_ptr<const Fabric> make_fabric(const topology::ClusterSpec& cluster);
/// The same from `graph`, the graph of `cluster` built already.
std::shared_ptr<const Fabric> make_fabric(const topology::ClusterSpec& cluster, topology::ClusterGraph graph);

} // namespace tcsim::network
