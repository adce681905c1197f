// One TPU slice: chips on a 2-D or 3-D torus of ICI links with wrap-around in every dimension,
// the chips themselves forwarding traffic (no switch). Sources: Google Cloud TPU v5p page
// (docs.cloud.google.com/tpu/docs/v5p: "3D torus", ICI 1,200 GBps bidirectional per chip);
// Jouppi et al., "TPU v4: An Optically Reconfigurable Supercomputer...", ISCA 2023 (6 ICI links
// per chip, slices of 4x4x4 blocks wired into a 3-D torus by optical circuit switches, and
// their twisted-torus option: with `twisted`, the wrap-around link of each short dimension lands
// half-way round the long ones, as topology::torus_step (scale_up.hpp) says).
//
//   4 x 4 slice, one layer (x right, y down; every edge a link each way of
//   scale_up_per_direction / (2 x dims), wrap-around links from each row's and column's last
//   chip back to its first):
//
//        0 -- 1 -- 2 -- 3 --+          chip i at x = i mod X, y = (i / X) mod Y, z = i / (X Y)
//        |    |    |    |   |(wrap)
//        4 -- 5 -- 6 -- 7 --+
//        |    |    |    |
//        8 -- 9 --10 --11 --+
//        |    |    |    |
//       12 --13 --14 --15 --+
//        +----+----+----+ (wrap to row 0)
//
// A dimension of extent 2 joins the same two chips by both of its ports: one link of twice the
// rate (cluster_graph.hpp's parallel-cable rule); a dimension of extent 1 has no links (its
// ports idle). Routing is dimension-order (torus_router.hpp): flows DO transit other chips'
// links, unlike GPUs behind an NVSwitch. Data-center-network NICs attach as in scale_up_node.hpp
// (DCN between slices: multislice).
#pragma once

#include "topology/fabrics/scale_up_node.hpp"

#include <vector>

namespace tcsim::topology {

/// Adds node `node` as a torus slice of extents `dims` (2 or 3 of them, product =
/// domain.gpus), twisted or not, its NICs as add_node does; returns the NIC vertices.
/// `domain.latency` is one ICI hop. Throws std::invalid_argument naming the numbers on a shape
/// the slice cannot have (a twisted one: topology::twist_refusal).
std::vector<VertexId> add_torus_slice(ClusterGraph& graph, int node, const std::vector<int>& dims, bool twisted,
                                      const NvlinkDomainSpec& domain, const NicSpec& nics,
                                      units::Seconds host_link_latency);

/// Line rate of one ICI port, one direction: the chip's scale-up bandwidth over 2 x dims ports.
units::Bandwidth torus_port_bandwidth(units::Bandwidth per_direction, const std::vector<int>& dims);

} // namespace tcsim::topology
