// Clusters for the network tests, built in code so the tests do not depend on the TOML loader.
// Datasheet figures are the ones of topologies/gpus.toml (sources there); link efficiencies are
// the values recommended for topologies/efficiency/*.toml (sources in
// tests/network/test_published_collectives.cpp).
#pragma once

#include "topology/cluster.hpp"

#include <string>

namespace tcsim::test {

struct ClusterShape {
    std::string gpu = "H100-SXM";
    int nodes = 1;
    int gpus_per_node = 8;
    double nvlink_bidirectional_gbps = 900;  ///< GB/s, both directions (datasheet)
    int nics_per_node = 8;
    double nic_gbit = 400;                   ///< Gb/s per NIC
    topology::FabricKind fabric = topology::FabricKind::rail_optimized;
    int tiers = 2;
    int radix = 64;
    double oversubscription = 1.0;
    int planes = 1;
    double nvlink_latency_us = 3.33;         ///< DeepSeek ISCA'25 Table 5 (hardware_and_pricing.md 2f)
    double fabric_latency_us = 3.7;          ///< same, IB across the spine
    double nvlink_efficiency = 0.82;
    double network_efficiency = 0.94;
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
    c.efficiency.links = {s.nvlink_efficiency, s.network_efficiency, "test"};
    return c;
}

} // namespace tcsim::test
