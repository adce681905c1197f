// Rail-optimized fabric (NVIDIA DGX SuperPOD reference architecture; Wang et al., "Rail-only",
// arXiv:2307.12169): NIC i of every node joins rail i's leaves; rails meet at the spine, so
// same-rail traffic crosses one leaf and cross-rail traffic the spine (or NVLink first: PXN).
//
//            spine0   spine1   ...            (shared by all rails)
//            /   |  \   /  |   \    (uplinks)
//        rail0  rail1  ...  rail7             (leaf per rail, per D nodes)
//        | | |  | | |       | | |
//       n0 n1 n2 n0 n1 n2   n0 n1 n2          (NIC 0 of each node, NIC 1 of each node, ...)
#pragma once

#include "topology/fabrics/clos.hpp"

#include <vector>

namespace tcsim::topology {

void add_rail_optimized(ClusterGraph& graph, const std::vector<std::vector<VertexId>>& nics_by_node,
                        const ClosSpec& spec);

} // namespace tcsim::topology
