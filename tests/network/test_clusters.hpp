// Clusters for the network tests, built in code so the tests do not depend on the TOML loader.
// Datasheet figures are the ones of topologies/gpus.toml (sources there). The link efficiencies
// are fixed test values (Hopper-like) that the hand-worked expectations of test_flow_network.cpp
// use; tests of published figures replace them with a shipped efficiency file's
// (test_published_collectives.cpp). NVLS calibration is kept only for GPUs whose NVSwitch
// reduces in the switch, as the cluster loader requires.
#pragma once

#include "hardware/nvswitch.hpp"
#include "topology/cluster.hpp"

#include <string>

namespace tcsim::test {

struct ClusterShape {
    std::string gpu = "H100-SXM";
    int nodes = 1;
    int gpus_per_node = 8;
    double nvlink_bidirectional_gbps = 900; ///< GB/s, both directions (datasheet)
    int nics_per_node = 8;
    double nic_gbit = 400; ///< Gb/s per NIC
    topology::FabricKind fabric = topology::FabricKind::rail_optimized;
    int tiers = 2;
    int radix = 64;
    double oversubscription = 1.0;
    int planes = 1;
    double nvlink_latency_us = 3.33; ///< DeepSeek ISCA'25 Table 5 (hardware_and_pricing.md 2f)
    double fabric_latency_us = 3.7;  ///< same, IB across the spine
    hardware::LinkEfficiency links{{{"nvlink", 0.82}, {"network", 0.94}},
                                   hardware::NvlsEfficiency{0.69, units::microseconds(23)},
                                   hardware::DeepEpEfficiency{0.66, 0.87, units::microseconds(20)},
                                   "test"};
};

inline topology::ClusterSpec make_cluster(const ClusterShape& s) {
    topology::ClusterSpec c;
    c.name = s.gpu + " test cluster";
    c.gpu.name = s.gpu;
    c.gpu.nvlink_bidirectional = units::gigabytes_per_second(s.nvlink_bidirectional_gbps);
    c.nodes = s.nodes;
    c.gpus_per_node = s.gpus_per_node;
    c.nvlink_per_direction = c.gpu.nvlink_per_direction();
    c.nvlink_latency = units::microseconds(s.nvlink_latency_us);
    c.nics_per_node = s.nics_per_node;
    c.nic_bandwidth = units::gigabits_per_second(s.nic_gbit);
    c.fabric.kind = s.fabric;
    c.fabric.tiers = s.tiers;
    c.fabric.switch_radix = s.radix;
    c.fabric.oversubscription = s.oversubscription;
    c.fabric.planes = s.planes;
    c.fabric.latency = units::microseconds(s.fabric_latency_us);
    c.efficiency.links = s.links;
    if (!hardware::supports_nvls(c.gpu)) c.efficiency.links.nvls.reset();
    return c;
}

} // namespace tcsim::test
