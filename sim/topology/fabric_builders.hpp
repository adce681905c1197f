// The fabric registry: which builder and which router make the scale-out fabric a cluster spec
// names, and `build_cluster_graph`, which assembles a whole ClusterGraph from a ClusterSpec.
//
// One builder per file under fabrics/, each with its picture and source:
//   fabrics/scale_up_node.hpp   HGX / DGX nodes and NVL72-style domains (add_node): ScaleUpKind::switched
//   fabrics/full_mesh_node.hpp  xGMI / Gaudi RoCE / HCCS 8-way meshes: ScaleUpKind::full_mesh
//   fabrics/torus_slice.hpp     TPU ICI 2-D / 3-D torus slices: ScaleUpKind::torus
//   fabrics/clos.hpp            the 1-3 tier Clos shared by the switched fabrics (add_clos)
//   fabrics/fat_tree.hpp        FabricKind::fat_tree
//   fabrics/rail_optimized.hpp  FabricKind::rail_optimized
//   fabrics/multi_plane.hpp     FabricKind::multi_plane
// The pieces are public so tests and what-if studies can put together other shapes.
//
// Contract
// - `fabric_builders()` holds exactly one entry per FabricKind; `fabric_builder(kind)` finds it.
// - `scale_up_builders()` holds exactly one entry per ScaleUpKind; `scale_up_builder(kind)`
//   finds it. A switched domain routes with the scale-out fabric's router; a full mesh with
//   MeshRouter (mesh_router.hpp) and a torus with TorusRouter (torus_router.hpp), each of which
//   routes between nodes as the (shortest-path) scale-out router does.
// - `build_cluster_graph` adds the nodes (scale-up domains of gpus_per_node GPUs, wired as the
//   spec's scale_up says), then, with more than one node, the fabric the spec names over their
//   NICs, and installs the router. A single node needs no NICs. Throws std::invalid_argument on shapes that cannot be
//   built, naming the numbers.
#pragma once

#include "topology/cluster.hpp"
#include "topology/cluster_graph.hpp"
#include "topology/fabrics/clos.hpp"
#include "topology/fabrics/fat_tree.hpp"
#include "topology/fabrics/full_mesh_node.hpp"
#include "topology/fabrics/multi_plane.hpp"
#include "topology/fabrics/rail_optimized.hpp"
#include "topology/fabrics/scale_up_node.hpp"
#include "topology/fabrics/torus_slice.hpp"

#include <memory>
#include <span>
#include <vector>

namespace tcsim::topology {

struct FabricBuilder {
    FabricKind kind;
    /// Adds the scale-out fabric over the NICs of every node (node-major, local order).
    void (*build)(ClusterGraph& graph, const std::vector<std::vector<VertexId>>& nics_by_node, const FabricSpec& fabric,
                  const ClosSpec& clos);
    /// The routing discipline of the fabric.
    std::unique_ptr<Router> (*make_router)();
};

struct ScaleUpBuilder {
    ScaleUpKind kind;
    /// Adds one node (its accelerators, scale-up links and NICs); returns its NICs.
    std::vector<VertexId> (*add)(ClusterGraph& graph, int node, const ScaleUpSpec& spec, const NvlinkDomainSpec& domain,
                                 const NicSpec& nics, units::Seconds host_latency);
    /// The router for a cluster of such nodes; null: the scale-out fabric's own.
    std::unique_ptr<Router> (*make_router)();
};

[[nodiscard]] std::span<const FabricBuilder> fabric_builders();
[[nodiscard]] std::span<const ScaleUpBuilder> scale_up_builders();
/// Throws std::invalid_argument for a kind with no builder.
[[nodiscard]] const ScaleUpBuilder& scale_up_builder(ScaleUpKind kind);
/// Throws std::invalid_argument for a kind with no builder.
[[nodiscard]] const FabricBuilder& fabric_builder(FabricKind kind);

/// The whole cluster: nodes and the fabric its spec names.
ClusterGraph build_cluster_graph(const ClusterSpec& cluster);

} // namespace tcsim::topology
