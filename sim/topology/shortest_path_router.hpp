// Shortest-path routing with deterministic ECMP, for scale-up domains behind a switch (HGX,
// NVL72) joined by switched fabrics (Clos, rail-optimized, multi-plane).
//
// Contract (on top of router.hpp)
// - Inside one scale-up domain: accelerator -> scale-up switch -> accelerator. Across domains:
//   accelerator -> one of its NICs -> network switches on a shortest path (fewest hops) -> a NIC
//   of the destination -> accelerator. Accelerators are endpoints, never transit
//   (`accelerators_transit()` is false), except for the one fallback below.
// - Where several next hops (or several NIC pairs) are equally short, `Ecmp::hashed` picks one
//   by a hash of (source, destination, the vertex choosing): deterministic, the same on every
//   run and platform; `Ecmp::spread` splits the flow evenly over all of them.
// - PXN fallback: when no NIC of the source reaches a NIC of the destination (different planes
//   of a multi-plane fabric), the route first crosses the scale-up switch to the accelerator of
//   the source domain that does, preferring the destination's local index (NCCL's PXN):
//   GPU -> NVSwitch -> GPU' -> NIC' -> ... . Throws std::invalid_argument when the destination
//   cannot be reached at all.
// - Routing tables (hop distances to each destination leaf over network switches) are built
//   lazily and cached until the graph changes. route() may be called from several threads at
//   once (a fabric shared by simulations on threads): filling the cache is serialised by a
//   mutex; a table, once built, never moves or changes until forget().
#pragma once

#include "topology/router.hpp"

#include <mutex>
#include <unordered_map>
#include <vector>

namespace tcsim::topology {

class ShortestPathRouter final : public Router {
public:
    [[nodiscard]] std::string_view name() const override { return "shortest_path_ecmp"; }
    [[nodiscard]] bool accelerators_transit() const override { return false; }
    [[nodiscard]] Route route(const ClusterGraph& graph, int src, int dst, Ecmp ecmp) const override;
    void forget() override {
        const std::lock_guard lock(mutex_);
        distances_.clear();
    }

private:
    /// Hop distance from every vertex to `leaf` over network switches (-1: unreachable).
    const std::vector<int>& distances_to(const ClusterGraph& graph, VertexId leaf) const;
    void fabric_path(const ClusterGraph& graph, int src_gpu, int dst_gpu, VertexId from_leaf, VertexId to_leaf,
                     double share, Ecmp ecmp, std::vector<LinkShare>& out, double& latency) const;

    mutable std::mutex mutex_; ///< guards distances_ (node-based: a table's address is stable)
    mutable std::unordered_map<VertexId, std::vector<int>> distances_;
};

} // namespace tcsim::topology
