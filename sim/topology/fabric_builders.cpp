// The registries are constant tables, one row per fabric kind and one per scale-up kind (a TPU
// torus with its dimension-order router, an xGMI mesh with direct routing): one row and one
// file under fabrics/ each.
#include "topology/fabric_builders.hpp"

#include "topology/mesh_router.hpp"
#include "topology/shortest_path_router.hpp"
#include "topology/torus_router.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>
#include <string>

namespace tcsim::topology {
namespace {

using NicsByNode = std::vector<std::vector<VertexId>>;

std::unique_ptr<Router> shortest_path() { return std::make_unique<ShortestPathRouter>(); }

constexpr std::array<FabricBuilder, 3> kFabrics{{
    {FabricKind::fat_tree,
     [](ClusterGraph& g, const NicsByNode& nics, const FabricSpec&, const ClosSpec& clos) {
         add_fat_tree(g, nics, clos);
     },
     shortest_path},
    {FabricKind::rail_optimized,
     [](ClusterGraph& g, const NicsByNode& nics, const FabricSpec&, const ClosSpec& clos) {
         add_rail_optimized(g, nics, clos);
     },
     shortest_path},
    {FabricKind::multi_plane,
     [](ClusterGraph& g, const NicsByNode& nics, const FabricSpec& f, const ClosSpec& clos) {
         add_multi_plane(g, nics, std::max(1, f.planes), clos);
     },
     shortest_path},
}};

constexpr std::array<ScaleUpBuilder, 3> kScaleUps{{
    {ScaleUpKind::switched,
     [](ClusterGraph& g, int node, const ScaleUpSpec&, const NvlinkDomainSpec& d, const NicSpec& n,
        units::Seconds host) { return add_node(g, node, d, n, host); },
     nullptr},
    {ScaleUpKind::full_mesh,
     [](ClusterGraph& g, int node, const ScaleUpSpec&, const NvlinkDomainSpec& d, const NicSpec& n,
        units::Seconds host) { return add_full_mesh_node(g, node, d, n, host); },
     []() -> std::unique_ptr<Router> { return std::make_unique<MeshRouter>(); }},
    {ScaleUpKind::torus,
     [](ClusterGraph& g, int node, const ScaleUpSpec& s, const NvlinkDomainSpec& d, const NicSpec& n,
        units::Seconds host) { return add_torus_slice(g, node, s.torus, s.twisted, d, n, host); },
     []() -> std::unique_ptr<Router> { return std::make_unique<TorusRouter>(); }},
}};

} // namespace

std::span<const FabricBuilder> fabric_builders() { return kFabrics; }

std::span<const ScaleUpBuilder> scale_up_builders() { return kScaleUps; }

const ScaleUpBuilder& scale_up_builder(ScaleUpKind kind) {
    for (const ScaleUpBuilder& b : kScaleUps)
        if (b.kind == kind) return b;
    throw std::invalid_argument("scale-up: no builder for kind " + std::string(to_string(kind)));
}

const FabricBuilder& fabric_builder(FabricKind kind) {
    for (const FabricBuilder& b : kFabrics)
        if (b.kind == kind) return b;
    throw std::invalid_argument("fabric: no builder for fabric kind " + std::string(to_string(kind)));
}

ClusterGraph build_cluster_graph(const ClusterSpec& cluster) {
    if (cluster.nodes < 1 || cluster.gpus_per_node < 1)
        throw std::invalid_argument("cluster " + cluster.name + ": needs at least one node and one GPU per node");
    ClusterGraph graph;
    const FabricSpec& f = cluster.fabric;
    const units::Seconds host = host_link_latency(f.latency, std::max(1, f.tiers));
    const NvlinkDomainSpec domain{cluster.gpus_per_node, cluster.nvlink_per_direction, cluster.nvlink_latency};
    const NicSpec nics{cluster.nodes > 1 ? cluster.nics_per_node : 0, cluster.nic_bandwidth};
    if (cluster.nodes > 1 && (cluster.nics_per_node < 1 || !(cluster.nic_bandwidth.value() > 0)))
        throw std::invalid_argument("cluster " + cluster.name + ": " + std::to_string(cluster.nodes) +
                                    " nodes but no scale-out NICs");
    const ScaleUpBuilder& scale_up = scale_up_builder(cluster.scale_up.kind);
    graph.set_scale_up(cluster.scale_up);
    NicsByNode nics_by_node;
    for (int n = 0; n < cluster.nodes; ++n)
        nics_by_node.push_back(scale_up.add(graph, n, cluster.scale_up, domain, nics, host));
    if (scale_up.make_router != nullptr) graph.set_router(scale_up.make_router());
    if (cluster.nodes == 1) return graph;
    const ClosSpec clos{f.tiers, f.switch_radix, f.oversubscription, cluster.nic_bandwidth, f.latency, 0};
    const FabricBuilder& builder = fabric_builder(f.kind);
    builder.build(graph, nics_by_node, f, clos);
    if (scale_up.make_router == nullptr) graph.set_router(builder.make_router());
    return graph;
}

} // namespace tcsim::topology
