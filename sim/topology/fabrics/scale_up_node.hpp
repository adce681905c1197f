// One node: a scale-up domain of accelerators behind one switch, and its scale-out NICs.
//
// HGX / DGX node (8 GPUs, one NIC per GPU; NVIDIA DGX H100 user guide, "Network Connections"):
//
//        +----------------- NVSwitch ------------------+     nvlink: GPU <-> switch,
//        |     |     |     |     |     |     |     |   |     nvlink_per_direction each way
//      GPU0  GPU1  GPU2  GPU3  GPU4  GPU5  GPU6  GPU7
//        |     |     |     |     |     |     |     |         pcie: GPU <-> its NIC(s)
//      NIC0  NIC1  NIC2  NIC3  NIC4  NIC5  NIC6  NIC7  ----> fabric
//
// NVL72-style domain (NVIDIA GB200 NVL72 datasheet: 72 GPUs, 18 NVLink switch chips): the same
// with 72 GPUs behind one switch fabric (the switch chips taken as one crossbar) and typically
// one NIC per GPU:
//
//      +------------------- NVLink switch fabric (72 ports) -------------------+
//      GPU0  GPU1  ...  GPU71
//       |     |          |
//      NIC0  NIC1  ...  NIC71 ----> fabric
//
// With fewer NICs than GPUs, NIC j serves GPUs j*m .. j*m+m-1 (m = gpus / count); with more,
// GPU i drives NICs i*k .. i*k+k-1 (k = count / gpus).
#pragma once

#include "topology/cluster_graph.hpp"

#include <vector>

namespace tcsim::topology {

/// One scale-up (NVLink) domain: `gpus` GPUs on a non-blocking switch fabric.
struct NvlinkDomainSpec {
    int gpus = 8;
    units::Bandwidth nvlink_per_direction; ///< per GPU, one direction (line rate)
    units::Seconds latency{0.0};           ///< GPU -> GPU through the switch
};

/// The scale-out NICs of one node.
struct NicSpec {
    int count = 0;              ///< per node; divides gpus or is a multiple of them
    units::Bandwidth bandwidth; ///< per NIC, one direction (line rate)
};

/// Adds node `node`: its GPUs (ranks node * spec.gpus + i), its scale-up switch (when gpus > 1)
/// and its NICs; returns the NIC vertices in local order. Nodes must be added in order 0, 1, 2,
/// ... Throws std::invalid_argument naming the numbers on shapes a node cannot have.
std::vector<VertexId> add_node(ClusterGraph& graph, int node, const NvlinkDomainSpec& domain, const NicSpec& nics,
                               units::Seconds host_link_latency);

/// Adds node `node`'s NICs and joins them to its accelerators `gpus` (local order) over PCIe as
/// described above; returns the NIC vertices in local order. Shared by every scale-up builder
/// (switched, full mesh, torus). Throws std::invalid_argument when the NICs cannot be shared
/// evenly.
std::vector<VertexId> attach_nics(ClusterGraph& graph, int node, const std::vector<VertexId>& gpus, const NicSpec& nics,
                                  units::Seconds host_link_latency);

} // namespace tcsim::topology
