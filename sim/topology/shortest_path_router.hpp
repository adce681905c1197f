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
//   network switch, the switch layer's reversed adjacency, each NIC's links up to and down from
//   its switch, and per destination leaf the hop distance of every network switch to it
//   (16-bit, switches only: state linear in switches per leaf, none per GPU or NIC). A hashed
//   route walks one path and allocates nothing; `route_into` reuses the caller's buffer.
//   route() may be called from several threads at once (a fabric shared by simulations on
//   threads): filling the tables is serialised by a mutex, and a table once published (an
//   atomic pointer per leaf) never moves or changes until forget(), so reading one takes no
//   lock.
// - Spread paths shared by equivalence class of endpoints (issue 18): with Ecmp::spread the
//   part of a route between two leaf switches depends on nothing but the two leaves and the
//   share of the flow, so it is computed once per (source leaf, destination leaf, share) and
//   shared by every flow between NICs on those leaves (same leaf, same rail, same plane): a
//   pipeline send between stages of a three-tier fat tree crosses 840 switch links, the same
//   for the twenty GPUs of a leaf. A route made from a shared path has exactly the links,
//   shares and latency of one routed afresh (tested). The paths kept are bounded
//   (kSharedPathLinks links in all unless the constructor says otherwise; beyond, routes are
//   computed afresh), behind their own
//   lock.
#pragma once

#include "topology/router.hpp"

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace tcsim::topology {

class ShortestPathRouter final : public Router {
public:
    /// Links the shared spread paths may hold in all (16 bytes each: 32 MiB).
    static constexpr std::size_t kSharedPathLinks = std::size_t{2} << 20;
    /// `shared_path_links`: the bound on the links shared paths hold (0: every route afresh).
    explicit ShortestPathRouter(std::size_t shared_path_links = kSharedPathLinks)
        : shared_path_links_(shared_path_links) {}

    [[nodiscard]] std::string_view name() const override { return "shortest_path_ecmp"; }
    [[nodiscard]] bool accelerators_transit() const override { return false; }
    [[nodiscard]] Route route(const ClusterGraph& graph, int src, int dst, Ecmp ecmp) const override;
    void route_into(const ClusterGraph& graph, int src, int dst, Ecmp ecmp, Route& out) const override;
    void forget() override {
        const std::lock_guard lock(mutex_);
        indexed_.store(false, std::memory_order_release);
        slot_.clear();
        reverse_.clear();
        forward_.clear();
        down_.clear();
        up_.clear();
        leaf_.clear();
        nic_links_from_.clear();
        gpu_to_nic_.clear();
        nic_to_gpu_.clear();
        tables_.reset();
        owned_.clear();
        const std::lock_guard paths_lock(paths_mutex_);
        paths_.clear();
        path_links_ = 0;
    }

    /// Spread paths shared so far (for tests).
    [[nodiscard]] std::size_t shared_paths() const {
        const std::lock_guard lock(paths_mutex_);
        return paths_.size();
    }

private:
    using Distances = std::vector<std::int16_t>;
    /// Hop distance from every network switch (by slot) to `leaf` over network switches
    /// (-1: unreachable).
    const Distances& distances_to(const ClusterGraph& graph, VertexId leaf) const;
    /// Builds the tables on first use (under mutex_), then publishes them (indexed_).
    void ensure_indexed(const ClusterGraph& graph) const {
        if (indexed_.load(std::memory_order_acquire)) return;
        const std::lock_guard lock(mutex_);
        index_switches(graph);
    }
    /// Builds slot_, reverse_, forward_, down_, up_, leaf_ and tables_ (mutex_ held).
    void index_switches(const ClusterGraph& graph) const;
    /// The distance of vertex `v` in `dist`: -1 for a vertex that is not a network switch.
    [[nodiscard]] int distance(const Distances& dist, VertexId v) const {
        const std::int32_t s = slot_[v];
        return s < 0 ? -1 : dist[static_cast<std::size_t>(s)];
    }
    void fabric_path(const ClusterGraph& graph, int src_gpu, int dst_gpu, VertexId from_leaf, VertexId to_leaf,
                     double share, Ecmp ecmp, std::vector<LinkShare>& out, double& latency) const;
    /// A spread path between two leaves: its links sorted by id, and its latency.
    struct SharedPath {
        std::vector<LinkShare> links;
        double latency = 0;
    };
    /// The spread path from `from_leaf` to `to_leaf` at `share`, shared (made on first use; null
    /// when the shared paths are full).
    const SharedPath* shared_path(const ClusterGraph& graph, VertexId from_leaf, VertexId to_leaf,
                                  double share) const;

    mutable std::mutex mutex_;              ///< serialises building the tables
    mutable std::atomic<bool> indexed_{false}; ///< the tables below (but the per-leaf ones) are built
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
    /// By vertex, for a NIC: the link from its switch down to it, the link up to its switch (the
    /// first, as ClusterGraph::link_between finds it) and that switch (kNoLeaf when its port is
    /// unconnected); a leaf has dozens of ports, which link_between would search. Unused for
    /// other vertices.
    mutable std::vector<LinkId> down_;
    mutable std::vector<LinkId> up_;
    mutable std::vector<VertexId> leaf_;
    static constexpr VertexId kNoLeaf = ~VertexId{0};
    /// By GPU rank g, from nic_links_from_[g]: for each NIC of nics_of(g), in order, the first
    /// link from the GPU to it and from it back to the GPU (kNoLink where there is none).
    mutable std::vector<std::uint32_t> nic_links_from_;
    mutable std::vector<LinkId> gpu_to_nic_;
    mutable std::vector<LinkId> nic_to_gpu_;
    static constexpr LinkId kNoLink = ~LinkId{0};
    /// By slot of a destination leaf: its distances once built (null before), published with
    /// release so that readers need no lock; owned_ holds them.
    mutable std::unique_ptr<std::atomic<const Distances*>[]> tables_;
    mutable std::vector<std::unique_ptr<const Distances>> owned_;
    struct PathKey {
        VertexId from = 0, to = 0;
        double share = 0;
        bool operator==(const PathKey&) const = default;
    };
    struct PathKeyHash {
        std::size_t operator()(const PathKey& k) const;
    };
    mutable std::mutex paths_mutex_; ///< guards paths_ and path_links_
    mutable std::unordered_map<PathKey, std::unique_ptr<const SharedPath>, PathKeyHash> paths_;
    mutable std::size_t path_links_ = 0;
    std::size_t shared_path_links_;
};

} // namespace tcsim::topology
