// Fat tree with leaves as top-of-rack switches (Al-Fares et al., SIGCOMM 2008; the Clos layer
// of clos.hpp): NICs in node-major order fill leaf after leaf.
//
//        spine layer (tiers above)
//          /        \    (uplinks)
//       leaf0       leaf1        leaf k takes NICs k*D .. k*D+D-1 (D = down ports):
//       /   \       /   \        whole nodes share a leaf when D is a multiple of NICs per node
//    node0 node1 node2 node3
#pragma once

#include "topology/fabrics/clos.hpp"

#include <vector>

namespace tcsim::topology {

void add_fat_tree(ClusterGraph& graph, const std::vector<std::vector<VertexId>>& nics_by_node, const ClosSpec& spec);

} // namespace tcsim::topology
