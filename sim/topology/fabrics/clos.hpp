// A folded Clos (fat tree) of one to three switch tiers over groups of NICs: the switching
// layer that the fat-tree, rail-optimized and multi-plane fabrics share. Sources: Leiserson,
// "Fat-trees", IEEE Trans. Computers 1985; Al-Fares et al., "A scalable, commodity data center
// network architecture", SIGCOMM 2008 (k-ary pods); DeepSeek ISCA'25 arXiv:2505.09343 Table 5
// for the latencies.
//
// Two tiers (leaf / spine), every leaf joined to every spine by a bundle of cables:
//
//              spine0        spine1   ...   spineS-1
//              /  |  \       /  |  \          /  |  \    (bundles)
//          leaf0  leaf1  ...  leafL-1                   uplinks: NIC rate / oversubscription
//          / | \   / | \        / | \    (NIC ports)
//        NICs     NICs         NICs                     radix/2 NICs per leaf
//
// Three tiers: pods of radix/2 leaves and radix/2 aggregation switches (full bipartite inside
// the pod); aggregation switch j of every pod joins core group j:
//
//          core0 ....... coreA-1              (core group j: one vertex per aggregation index)
//           |  \          /  |
//         agg0 .. aggA-1   agg0 .. aggA-1     (pod 0, pod 1, ...)
//          | X X |          | X X |
//         leaves           leaves
//
// Conventions shared by the switched fabrics
// - Leaf (tier-1) switches give `radix / 2` ports to NICs when there is a tier above them (all
//   `radix` ports in a one-tier fabric). A leaf's uplink capacity is its attached NICs' line rate
//   divided by `oversubscription` (2 = "2:1": half the spine bandwidth). Tiers above the first
//   are non-blocking.
// - Parallel cables between two switches are one link of their summed rate (cluster_graph.hpp).
// - Latency: `end_to_end_latency` is the one-way small-message latency GPU -> GPU across the
//   top tier. Each switch-to-switch link costs kSwitchHopLatency; the rest is split evenly over
//   the four host-side links (GPU -> NIC -> leaf and leaf -> NIC -> GPU). DeepSeek's measured
//   InfiniBand figures (2.8 us through one leaf, 3.7 us across the spine: ISCA'25 arXiv:2505.09343
//   Table 5) give 0.9 us for the extra leaf -> spine -> leaf pair: 0.45 us per link.
// - Throws std::invalid_argument on shapes the fabric cannot have (more leaves than a spine has
//   ports, ...), naming the numbers.
#pragma once

#include "topology/cluster_graph.hpp"

#include <vector>

namespace tcsim::topology {

/// Latency of one switch-to-switch link (DeepSeek ISCA'25 Table 5: (3.7 - 2.8) us / 2).
inline constexpr units::Seconds kSwitchHopLatency{0.45e-6};

/// A folded Clos (fat tree) of `tiers` switch layers.
struct ClosSpec {
    int tiers = 2;                   ///< 1, 2 or 3
    int radix = 64;                  ///< ports per switch
    double oversubscription = 1.0;   ///< leaf downlink : uplink bandwidth (>= 1)
    units::Bandwidth port_bandwidth; ///< line rate per port, one direction
    units::Seconds end_to_end_latency{0.0};
    int plane = 0; ///< recorded on every switch (multi-plane fabrics)
};

/// Adds leaf switches, one per group of NICs, and the tiers above them.
void add_clos(ClusterGraph& graph, const std::vector<std::vector<VertexId>>& leaf_groups, const ClosSpec& spec);

/// Latency of each of the four host-side links for a fabric of `tiers` tiers whose GPU-to-GPU
/// latency across the top tier is `end_to_end` (see the conventions above).
units::Seconds host_link_latency(units::Seconds end_to_end, int tiers);

/// NIC ports of a leaf: radix / 2 below a higher tier, all radix ports in a one-tier fabric.
int leaf_down_ports(const ClosSpec& spec);
/// Throws std::invalid_argument, naming the number, on a spec no Clos can have.
void check_clos(const ClosSpec& spec);
/// Splits `nics` into leaf groups of at most `per_leaf`, in order.
std::vector<std::vector<VertexId>> leaf_groups_of(const std::vector<VertexId>& nics, int per_leaf);

} // namespace tcsim::topology
