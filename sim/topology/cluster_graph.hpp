// The cluster as a graph: accelerators, scale-up switches, NICs and network switches joined by
// directed links of a link class, with a line rate and a latency; routing through a Router.
//
// Contract
// - Vertices are accelerators (GPUs here, numbered 0..gpus()-1 in rank order: node-major, local
//   index inside), one scale-up switch vertex per switched scale-up domain (an NVLink domain's
//   switch chips as one non-blocking crossbar; full-mesh and torus domains have none: their
//   accelerators are joined directly, scale_up.hpp), NICs, and network switches (tier 1 = leaf/ToR,
//   2 = spine/aggregation, 3 = core).
// - Links are directed: a cable or an NVLink bundle is two links, one per direction. Each has a
//   link class (hardware/link_class.hpp: "nvlink", "pcie", "network", ...), data rather than an
//   enum. Parallel cables between the same two switches are one link carrying their summed line
//   rate (ECMP over parallel cables is taken as perfectly balanced). Bandwidth is line rate;
//   achievable fractions are the network model's business (hardware::LinkEfficiency, by class).
// - Routing (`route`) is the router's (router.hpp). A graph starts with the shortest-path ECMP
//   router (shortest_path_router.hpp: accelerators are endpoints, never transit, except its PXN
//   fallback); a fabric builder may install another with `set_router`. Routers search tables of
//   their own built from `links()` and `out_links()`.
// - Storage. Plain vectors: the links in the order added, and each vertex's out-links in a
//   small vector holding up to 4 in place (accelerators and NICs have 1-3, so only switches
//   allocate). A 25K-GPU cluster has about 55K vertices and 200K links; building it was 10 % of
//   the default `tcsim`'s CPU with a Boost.Graph adjacency list beside these vectors (issue 18).
#pragma once

#include "hardware/link_class.hpp"
#include "topology/route.hpp"
#include "topology/router.hpp"
#include "topology/scale_up.hpp"
#include "units/quantity.hpp"

#include <boost/container/small_vector.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

namespace tcsim::topology {

enum class VertexKind : std::uint8_t {
    accelerator,     ///< a GPU (or any chip that runs ranks)
    scale_up_switch, ///< the switch of a scale-up domain (NVSwitch)
    nic,             ///< a scale-out network adapter
    network_switch,  ///< a switch of the scale-out fabric
};

std::string_view to_string(VertexKind kind);

struct Vertex {
    VertexKind kind = VertexKind::accelerator;
    int node = -1;  ///< scale-up domain of an accelerator, scale-up switch or NIC; -1 for network switches
    int index = -1; ///< local index of an accelerator or NIC in its node; ordinal of a switch in its tier
    int tier = 0;   ///< network switches: 1 leaf, 2 spine/aggregation, 3 core
    int plane = 0;  ///< NICs and switches: the fabric plane (multi-plane fabrics), else 0
};

struct Link {
    VertexId from = 0;
    VertexId to = 0;
    hardware::LinkClass link_class;
    units::Bandwidth bandwidth; ///< line rate, this direction
    units::Seconds latency{0.0};
};

class ClusterGraph {
public:
    ClusterGraph();
    ~ClusterGraph();
    ClusterGraph(ClusterGraph&&) noexcept;
    ClusterGraph& operator=(ClusterGraph&&) noexcept;
    ClusterGraph(const ClusterGraph&) = delete;
    ClusterGraph& operator=(const ClusterGraph&) = delete;

    // Construction (the fabric builders use these).
    VertexId add_vertex(const Vertex& v);
    LinkId add_link(VertexId from, VertexId to, hardware::LinkClass link_class, units::Bandwidth bandwidth,
                    units::Seconds latency);
    /// Two links, from -> to then to -> from, with the same class, rate and latency.
    void add_duplex(VertexId a, VertexId b, hardware::LinkClass link_class, units::Bandwidth bandwidth,
                    units::Seconds latency);
    /// Records the fabric plane of a NIC or switch.
    void set_plane(VertexId v, int plane) { vertices_.at(v).plane = plane; }
    /// Records how the scale-up domains are wired (builders of mesh and torus nodes set it).
    void set_scale_up(ScaleUpSpec spec) { scale_up_ = std::move(spec); }
    /// Replaces the router (the fabric's routing discipline).
    void set_router(std::unique_ptr<Router> router);

    [[nodiscard]] std::size_t vertex_count() const { return vertices_.size(); }
    [[nodiscard]] std::size_t link_count() const { return links_.size(); }
    [[nodiscard]] const Vertex& vertex(VertexId v) const { return vertices_[v]; }
    [[nodiscard]] const Link& link(LinkId l) const { return links_[l]; }
    [[nodiscard]] const std::vector<Link>& links() const { return links_; }

    /// Accelerators in rank order; gpu(g) is the vertex of accelerator g.
    [[nodiscard]] int gpus() const { return static_cast<int>(gpu_vertices_.size()); }
    [[nodiscard]] VertexId gpu(int g) const { return gpu_vertices_.at(static_cast<std::size_t>(g)); }
    [[nodiscard]] int node_of(int g) const { return vertices_[gpu(g)].node; }
    /// The NICs an accelerator drives directly (over PCIe), in local-index order.
    [[nodiscard]] std::span<const VertexId> nics_of(int g) const;
    /// The network switch a NIC's port connects to, if any.
    [[nodiscard]] std::optional<VertexId> switch_of_nic(VertexId nic) const;
    /// The scale-up switch of a node, if it has one.
    [[nodiscard]] std::optional<VertexId> scale_up_switch(int node) const;

    [[nodiscard]] Route route(int src_gpu, int dst_gpu, Ecmp ecmp = Ecmp::hashed) const;
    /// route() into `out`, reusing its memory (Router::route_into).
    void route_into(int src_gpu, int dst_gpu, Ecmp ecmp, Route& out) const {
        router_->route_into(*this, src_gpu, dst_gpu, ecmp, out);
    }
    [[nodiscard]] const Router& router() const { return *router_; }
    /// How every scale-up domain of this graph is wired (switched unless a builder said else).
    [[nodiscard]] const ScaleUpSpec& scale_up() const { return scale_up_; }
    /// Outgoing links of a vertex, in the order they were added (no copy: routing walks these
    /// for every hop of every route).
    [[nodiscard]] std::span<const LinkId> out_links(VertexId v) const {
        return {out_links_[v].data(), out_links_[v].size()};
    }
    /// The link from `a` to `b`; throws std::logic_error naming the vertex kinds when none.
    [[nodiscard]] LinkId link_between(VertexId a, VertexId b) const;

private:
    std::vector<Vertex> vertices_;
    std::vector<Link> links_;
    std::vector<boost::container::small_vector<LinkId, 4>> out_links_; ///< by vertex, in the order added
    std::vector<VertexId> gpu_vertices_;
    std::vector<boost::container::small_vector<VertexId, 2>> nics_of_gpu_; ///< by accelerator rank
    std::vector<VertexId> switch_of_nic_;           ///< by vertex (NICs only meaningful)
    std::vector<VertexId> scale_up_switch_of_node_; ///< by node; kNoVertex = none
    std::vector<int> gpu_rank_;                     ///< by vertex; -1 for other vertices
    std::unique_ptr<Router> router_;
    ScaleUpSpec scale_up_;
};

} // namespace tcsim::topology
