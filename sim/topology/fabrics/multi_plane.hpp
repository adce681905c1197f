// Multi-plane fat tree (DeepSeek's MPFT, ISCA'25 arXiv:2505.09343 Sec. 5): NIC i of every node
// in plane i mod planes; each plane is its own `spec.tiers`-tier fat tree and planes never meet,
// so cross-plane traffic must cross NVLink inside a node first (the router's PXN fallback).
//
//      plane 0 fat tree      plane 1 fat tree   ...   plane 7 fat tree
//        |    |    |           |    |    |              |    |    |
//      n0.0 n1.0 n2.0        n0.1 n1.1 n2.1           n0.7 n1.7 n2.7     (node.NIC)
#pragma once

#include "topology/fabrics/clos.hpp"

#include <vector>

namespace tcsim::topology {

/// Throws std::invalid_argument when `planes` does not divide the NICs of a node.
void add_multi_plane(ClusterGraph& graph, const std::vector<std::vector<VertexId>>& nics_by_node, int planes,
                     const ClosSpec& spec);

} // namespace tcsim::topology
