// The cluster as a graph: GPUs, NVSwitches, NICs and network switches joined by directed links
// with a line rate and a latency, and deterministic shortest-path routing with ECMP over it.
//
// Contract
// - Vertices are GPUs (numbered 0..gpus()-1 in rank order: node-major, local index inside),
//   one NVSwitch vertex per NVLink domain (the domain's switch chips as one non-blocking
//   crossbar), NICs, and network switches (tier 1 = leaf/ToR, 2 = spine/aggregation, 3 = core).
// - Links are directed: a cable or an NVLink bundle is two links, one per direction. Parallel
//   cables between the same two switches are one link carrying their summed line rate (ECMP
//   over parallel cables is taken as perfectly balanced). Bandwidth is line rate; achievable
//   fractions are the network model's business (hardware::LinkEfficiency).
// - Routing (`route`): inside one NVLink domain GPU -> NVSwitch -> GPU. Across domains:
//   GPU -> one of its NICs -> switches on a shortest path (fewest hops) -> a NIC of the
//   destination GPU -> GPU. GPUs are endpoints, never transit, except for the one fallback
//   below. Where several next hops (or several NIC pairs) are equally short, `Ecmp::hashed`
//   picks one by a hash of (source GPU, destination GPU, the vertex choosing): deterministic,
//   the same on every run and platform; `Ecmp::spread` splits the flow evenly over all of them
//   (adaptive routing or many queue pairs per connection). When no NIC of the source reaches
//   a NIC of the destination (different planes of a multi-plane fabric), the route first
//   crosses NVLink to the GPU of the source domain that does, preferring the destination's
//   local index (NCCL's PXN): GPU -> NVSwitch -> GPU' -> NIC' -> ... . Throws
//   std::invalid_argument when the destination cannot be reached at all.
// - A route lists each link it uses once, with the share of the flow that crosses it (1 for a
//   single path), and its latency: the sum of link latencies along the path (the longest one
//   when spread).
// - Routing tables are built lazily, per destination leaf, and cached: `route` is const but
//   not thread-safe.
#pragma once

#include "units/quantity.hpp"

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

namespace tcsim::topology {

using VertexId = std::uint32_t;
using LinkId = std::uint32_t;

enum class VertexKind : std::uint8_t { gpu, nvswitch, nic, network_switch };
enum class LinkKind : std::uint8_t {
    nvlink,   ///< GPU <-> NVSwitch
    pcie,     ///< GPU <-> NIC (never a bottleneck here: PCIe Gen5 x16 carries 64 GB/s per direction)
    network,  ///< NIC <-> switch and switch <-> switch
};

std::string_view to_string(VertexKind kind);
std::string_view to_string(LinkKind kind);

struct Vertex {
    VertexKind kind = VertexKind::gpu;
    int node = -1;   ///< NVLink domain of a GPU, NVSwitch or NIC; -1 for network switches
    int index = -1;  ///< local index of a GPU or NIC in its node; ordinal of a switch in its tier
    int tier = 0;    ///< network switches: 1 leaf, 2 spine/aggregation, 3 core
    int plane = 0;   ///< NICs and switches: the fabric plane (multi-plane fabrics), else 0
};

struct Link {
    VertexId from = 0;
    VertexId to = 0;
    LinkKind kind = LinkKind::network;
    units::Bandwidth bandwidth;  ///< line rate, this direction
    units::Seconds latency{0.0};
};

enum class Ecmp : std::uint8_t { hashed, spread };

struct LinkShare {
    LinkId link = 0;
    double share = 1.0;  ///< fraction of the flow that crosses this link
};

struct Route {
    std::vector<LinkShare> links;
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

    // Construction (the builders of fabric_builders.hpp use these).
    VertexId add_vertex(const Vertex& v);
    LinkId add_link(VertexId from, VertexId to, LinkKind kind, units::Bandwidth bandwidth, units::Seconds latency);
    /// Two links, from -> to then to -> from, with the same rate and latency.
    void add_duplex(VertexId a, VertexId b, LinkKind kind, units::Bandwidth bandwidth, units::Seconds latency);
    /// Records the fabric plane of a NIC or switch.
    void set_plane(VertexId v, int plane) { vertices_.at(v).plane = plane; }

    [[nodiscard]] std::size_t vertex_count() const { return vertices_.size(); }
    [[nodiscard]] std::size_t link_count() const { return links_.size(); }
    [[nodiscard]] const Vertex& vertex(VertexId v) const { return vertices_[v]; }
    [[nodiscard]] const Link& link(LinkId l) const { return links_[l]; }
    [[nodiscard]] const std::vector<Link>& links() const { return links_; }

    /// GPUs in rank order; gpu(g) is the vertex of GPU g.
    [[nodiscard]] int gpus() const { return static_cast<int>(gpu_vertices_.size()); }
    [[nodiscard]] VertexId gpu(int g) const { return gpu_vertices_.at(static_cast<std::size_t>(g)); }
    [[nodiscard]] int node_of(int g) const { return vertices_[gpu(g)].node; }
    /// The NICs a GPU drives directly (over PCIe), in local-index order.
    [[nodiscard]] std::span<const VertexId> nics_of(int g) const;
    /// The NVSwitch of a node, if it has one.
    [[nodiscard]] bool has_nvswitch(int node) const;

    [[nodiscard]] Route route(int src_gpu, int dst_gpu, Ecmp ecmp = Ecmp::hashed) const;
    /// Outgoing links of a vertex.
    [[nodiscard]] std::vector<LinkId> out_links(VertexId v) const;

private:
    struct Impl;
    /// Hop distance from every vertex to `leaf` over network switches (-1: unreachable).
    const std::vector<int>& distances_to(VertexId leaf) const;
    VertexId leaf_of(VertexId nic) const;
    void fabric_path(int src_gpu, int dst_gpu, VertexId from_leaf, VertexId to_leaf, double share, Ecmp ecmp,
                     std::vector<LinkShare>& out, double& latency) const;
    LinkId link_between(VertexId a, VertexId b) const;

    std::vector<Vertex> vertices_;
    std::vector<Link> links_;
    std::vector<VertexId> gpu_vertices_;
    std::unique_ptr<Impl> impl_;
};

} // namespace tcsim::topology
