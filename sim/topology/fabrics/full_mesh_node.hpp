// One node whose accelerators are joined point to point, every one to every other, with no
// switch: AMD Instinct 8-GPU boards (Infinity Fabric / xGMI: "7 x 128 GB/s = 896 GB/s to the 7
// peers", AMD MI300X datasheet via hardware_and_pricing.md 1b), Intel Gaudi 3 (21 of its 24 x
// 200 GbE on-chip RoCE ports, 3 to each of the 7 peers; Intel Gaudi 3 white paper and Hot Chips
// 2024 via hardware_and_pricing.md 2d) and Huawei Ascend 910B (HCCS, 7 links to the 7 peers of
// an 8-NPU board; secondary sources, unverified).
//
//        GPU0 ------- GPU1          every pair: one link each way of
//        |  \\       // |           scale_up_per_direction / (n - 1)
//        |    \\   //   |           (link class "nvlink": the scale-up class of any vendor,
//        |     // \\    |            at the efficiency file's [links] nvlink fraction)
//        GPU3 ------- GPU2
//         |            |            pcie: GPU <-> its NIC(s), as in scale_up_node.hpp
//        NIC3  ...   NIC2 ----> fabric
//
// A flow between two GPUs of the node crosses exactly their link (a mesh router,
// mesh_router.hpp); nothing transits a third GPU, so one pair's link bounds its rate at 1/(n-1)
// of the chip's scale-up bandwidth: collectives must use every link at once (direct
// algorithms) to reach the aggregate.
#pragma once

#include "topology/fabrics/scale_up_node.hpp"

#include <vector>

namespace tcsim::topology {

/// Adds node `node` as a full mesh of `domain.gpus` accelerators (ranks node * gpus + i), its
/// NICs as add_node does; returns the NIC vertices. `domain.nvlink_per_direction` is the chip's
/// whole scale-up bandwidth, one direction; `domain.latency` one link's. Throws
/// std::invalid_argument on shapes a node cannot have.
std::vector<VertexId> add_full_mesh_node(ClusterGraph& graph, int node, const NvlinkDomainSpec& domain,
                                         const NicSpec& nics, units::Seconds host_link_latency);

} // namespace tcsim::topology
