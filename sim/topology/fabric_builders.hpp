// Builders of the fabrics people run, from named specs. `build_cluster_graph` assembles a whole
// ClusterGraph from a ClusterSpec; the pieces are public so tests and what-if studies can put
// together other shapes.
//
// Conventions shared by the builders
// - Leaf (tier-1) switches give `radix / 2` ports to NICs when there is a tier above them (all
//   `radix` ports in a one-tier fabric). A leaf's uplink capacity is its attached NICs' line rate
//   divided by `oversubscription` (2 = "2:1": half the spine bandwidth). Tiers above the first
//   are non-blocking.
// - Parallel cables between two switches are one link of their summed rate (see cluster_graph.hpp).
// - Latency: `end_to_end_latency` is the one-way small-message latency GPU -> GPU across the
//   top tier. Each switch-to-switch link costs kSwitchHopLatency; the rest is split evenly over
//   the four host-side links (GPU -> NIC -> leaf and leaf -> NIC -> GPU). DeepSeek's measured
//   InfiniBand figures (2.8 us through one leaf, 3.7 us across the spine: ISCA'25 arXiv:2505.09343
//   Table 5) give 0.9 us for the extra leaf -> spine -> leaf pair: 0.45 us per link.
// - Throws std::invalid_argument on shapes the fabric cannot have (more leaves than a spine has
//   ports, NIC counts that do not divide among GPUs, ...), naming the numbers.
#pragma once

#include "topology/cluster.hpp"
#include "topology/cluster_graph.hpp"

#include <span>
#include <vector>

namespace tcsim::topology {

/// Latency of one switch-to-switch link (DeepSeek ISCA'25 Table 5: (3.7 - 2.8) us / 2).
inline constexpr units::Seconds kSwitchHopLatency{0.45e-6};

/// One NVLink domain: `gpus` GPUs on a non-blocking NVSwitch fabric.
struct NvlinkDomainSpec {
    int gpus = 8;
    units::Bandwidth nvlink_per_direction;  ///< per GPU, one direction (line rate)
    units::Seconds latency{0.0};            ///< GPU -> GPU through the switch
};

/// The scale-out NICs of one node.
struct NicSpec {
    int count = 0;                ///< per node; divides gpus or is a multiple of them
    units::Bandwidth bandwidth;   ///< per NIC, one direction (line rate)
};

/// A folded Clos (fat tree) of `tiers` switch layers.
struct ClosSpec {
    int tiers = 2;                        ///< 1, 2 or 3
    int radix = 64;                       ///< ports per switch
    double oversubscription = 1.0;        ///< leaf downlink : uplink bandwidth (>= 1)
    units::Bandwidth port_bandwidth;      ///< line rate per port, one direction
    units::Seconds end_to_end_latency{0.0};
    int plane = 0;                        ///< recorded on every switch (multi-plane fabrics)
};

/// Adds node `node`: its GPUs (ranks node * spec.gpus + i), its NVSwitch (when gpus > 1) and its
/// NICs; returns the NIC vertices in local order. Nodes must be added in order 0, 1, 2, ...
///
/// HGX / DGX node (8 GPUs, one NIC per GPU):
///
///        +----------------- NVSwitch ------------------+     NVLink: GPU <-> switch,
///        |     |     |     |     |     |     |     |   |     nvlink_per_direction each way
///      GPU0  GPU1  GPU2  GPU3  GPU4  GPU5  GPU6  GPU7
///        |     |     |     |     |     |     |     |         PCIe: GPU <-> its NIC(s)
///      NIC0  NIC1  NIC2  NIC3  NIC4  NIC5  NIC6  NIC7  ----> fabric
///
/// NVL72-style domain: the same with 72 GPUs behind one switch fabric (18 switch chips taken as
/// one crossbar) and typically one NIC per GPU:
///
///      +------------------- NVLink switch fabric (72 ports) -------------------+
///      GPU0  GPU1  ...  GPU71
///       |     |          |
///      NIC0  NIC1  ...  NIC71 ----> fabric
///
/// With fewer NICs than GPUs, NIC j serves GPUs j*m .. j*m+m-1 (m = gpus / count); with more,
/// GPU i drives NICs i*k .. i*k+k-1 (k = count / gpus).
std::vector<VertexId> add_node(ClusterGraph& graph, int node, const NvlinkDomainSpec& domain, const NicSpec& nics,
                               units::Seconds host_link_latency);

/// Adds leaf switches, one per group of NICs, and the tiers above them.
///
/// Two tiers (leaf / spine), every leaf joined to every spine by a bundle of cables:
///
///              spine0        spine1   ...   spineS-1
///              /  |  \       /  |  \          /  |  \    (bundles)
///          leaf0  leaf1  ...  leafL-1                   uplinks: NIC rate / oversubscription
///          / | \   / | \        / | \    (NIC ports)
///        NICs     NICs         NICs                     radix/2 NICs per leaf
///
/// Three tiers: pods of radix/2 leaves and radix/2 aggregation switches (full bipartite inside
/// the pod); aggregation switch j of every pod joins core group j:
///
///          core0 ....... coreA-1              (core group j: one vertex per aggregation index)
///           |  \          /  |
///         agg0 .. aggA-1   agg0 .. aggA-1     (pod 0, pod 1, ...)
///          | X X |          | X X |
///         leaves           leaves
void add_clos(ClusterGraph& graph, const std::vector<std::vector<VertexId>>& leaf_groups, const ClosSpec& spec);

/// Fat tree with leaves as top-of-rack switches: NICs in node-major order fill leaf after leaf.
///
///        spine layer (tiers above)
///          /        \    (uplinks)
///       leaf0       leaf1        leaf k takes NICs k*D .. k*D+D-1 (D = down ports):
///       /   \       /   \        whole nodes share a leaf when D is a multiple of NICs per node
///    node0 node1 node2 node3
void add_fat_tree(ClusterGraph& graph, const std::vector<std::vector<VertexId>>& nics_by_node, const ClosSpec& spec);

/// Rail-optimized: NIC i of every node joins rail i's leaves; rails meet at the spine, so
/// same-rail traffic crosses one leaf and cross-rail traffic the spine (or NVLink first: PXN).
///
///            spine0   spine1   ...            (shared by all rails)
///            /   |  \   /  |   \    (uplinks)
///        rail0  rail1  ...  rail7             (leaf per rail, per D nodes)
///        | | |  | | |       | | |
///       n0 n1 n2 n0 n1 n2   n0 n1 n2          (NIC 0 of each node, NIC 1 of each node, ...)
void add_rail_optimized(ClusterGraph& graph, const std::vector<std::vector<VertexId>>& nics_by_node,
                        const ClosSpec& spec);

/// Multi-plane (DeepSeek's MPFT, ISCA'25 arXiv:2505.09343): NIC i of every node in plane
/// i mod planes; each plane is its own `spec.tiers`-tier fat tree and planes never meet, so
/// cross-plane traffic must cross NVLink inside a node first.
///
///      plane 0 fat tree      plane 1 fat tree   ...   plane 7 fat tree
///        |    |    |           |    |    |              |    |    |
///      n0.0 n1.0 n2.0        n0.1 n1.1 n2.1           n0.7 n1.7 n2.7     (node.NIC)
void add_multi_plane(ClusterGraph& graph, const std::vector<std::vector<VertexId>>& nics_by_node, int planes,
                     const ClosSpec& spec);

/// The whole cluster: nodes (NVLink domains of gpus_per_node GPUs) and the fabric its spec
/// names. A single node needs no NICs.
ClusterGraph build_cluster_graph(const ClusterSpec& cluster);

/// Latency of each of the four host-side links for a fabric of `tiers` tiers whose GPU-to-GPU
/// latency across the top tier is `end_to_end` (see the conventions above).
units::Seconds host_link_latency(units::Seconds end_to_end, int tiers);

} // namespace tcsim::topology
