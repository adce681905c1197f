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
// - Routing tables are built lazily and cached until the graph changes: a dense slot per
//   network switch, the switch layer's reversed adjacency, and per destination leaf the hop
//   distance of every network switch to it (16-bit, switches only: state linear in switches per
//   leaf, none per GPU or NIC). A hashed route walks one path and allocates nothing but its result. route() may be called from several threads at
//   once (a fabric shared by simulations on threads): filling the cache is serialised by a
//   mutex; a table, once built, never moves or changes until forget().
#pragma once

#include "topology/router.hpp"

#include <cstdint>
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
        slot_.clear();
        reverse_.clear();
        forward_.clear();
        down_.clear();
    }

private:
    using Distances = std::vector<std::int16_t>;
    /// Hop distance from every network switch (by slot) to `leaf` over network switches
    /// (-1: unreachable).
    const Distances& distances_to(const ClusterGraph& graph, VertexId leaf) const;
    /// Builds slot_, reverse_, forward_ and down_ on first use (under mutex_).
    void index_switches(const ClusterGraph& graph) const;
    /// The distance of vertex `v` in `dist`: -1 for a vertex that is not a network switch.
    [[nodiscard]] int distance(const Distances& dist, VertexId v) const {
        const std::int32_t s = slot_[v];
        return s < 0 ? -1 : dist[static_cast<std::size_t>(s)];
    }
    void fabric_path(const ClusterGraph& graph, int src_gpu, int dst_gpu, VertexId from_leaf, VertexId to_leaf,
                     double share, Ecmp ecmp, std::vector<LinkShare>& out, double& latency) const;

    mutable std::mutex mutex_;               ///< guards the tables (node-based: a table's address is stable)
    mutable std::vector<std::int32_t> slot_; ///< by vertex: the switch's dense slot, -1 for others
    mutable std::vector<std::vector<std::int32_t>> reverse_; ///< by slot: slots with a link to it
    /// By slot: its links to other switches, in ClusterGraph::out_links order (the order ECMP
    /// picks in), each with the slot it leads to; read without the graph's link records.
    struct Hop {
        std::int32_t to = 0; ///< slot
        VertexId vertex = 0; ///< the switch it leads to
        LinkId link = 0;
        double latency = 0; ///< the link's, seconds
    };
    mutable std::vector<std::vector<Hop>> forward_;
    /// By vertex: for a NIC, the link from its switch down to it (a leaf has dozens of ports,
    /// which ClusterGraph::link_between would search); unused for other vertices.
    mutable std::vector<LinkId> down_;
    mutable std::unordered_map<VertexId, Distances> distances_;
};

} // namespace tcsim::topology
