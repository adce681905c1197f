// A cluster as configured: GPUs in scale-up nodes (NVLink switch, full mesh or torus slice), NICs
// into a scale-out fabric.
//
// This is the validated plain description handed from the TOML layer to the models. The graph
// view of the same cluster (switches, links, routes) is built from it by the topology builders.
#pragma once

#include "hardware/efficiency.hpp"
#include "hardware/gpu_spec.hpp"
#include "topology/scale_up.hpp"
#include "units/quantity.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tcsim::topology {

enum class FabricKind {
    fat_tree,       ///< leaf/spine(/core) Clos, ToR per group of nodes
    rail_optimized, ///< NIC i of every node on rail (leaf group) i
    multi_plane,    ///< each NIC on its own independent fat tree (DeepSeek MPFT)
};

struct FabricSpec {
    FabricKind kind = FabricKind::fat_tree;
    int tiers = 2;                 ///< switch layers
    int switch_radix = 64;         ///< ports per switch
    double oversubscription = 1.0; ///< downlink:uplink bandwidth ratio at the first tier (1 = non-blocking)
    int planes = 1;                ///< independent planes (multi_plane)
    units::Seconds latency{0.0};   ///< end-to-end small-message latency across the fabric
    /// How flows use equal-cost paths: adaptive routing (and NCCL's many queue pairs per
    /// connection) spreads each flow evenly; static ECMP hashes each (source, destination) pair
    /// onto one path, so flows can collide.
    bool adaptive_routing = true;
};

struct ClusterSpec {
    std::string name;
    hardware::GpuSpec gpu;
    hardware::EfficiencyParameters efficiency;
    int nodes = 0;
    int gpus_per_node = 0;
    units::Bandwidth nvlink_per_direction; ///< per GPU, one direction (GPU spec unless overridden)
    units::Seconds nvlink_latency{0.0};    ///< one scale-up hop (switch crossing, mesh link or torus link)
    ScaleUpSpec scale_up;                  ///< how a node's accelerators are wired (scale_up.hpp)
    int nics_per_node = 0;
    units::Bandwidth nic_bandwidth; ///< per NIC, one direction (line rate)
    FabricSpec fabric;
    std::string source;
    /// Every GPU name the cluster's catalog knows (sorted): what a price list may name.
    std::vector<std::string> catalog_gpus;

    [[nodiscard]] int gpus() const { return nodes * gpus_per_node; }
    /// Scale-out bandwidth available to one GPU, one direction, at line rate.
    [[nodiscard]] units::Bandwidth network_per_gpu() const {
        return nic_bandwidth * (static_cast<double>(nics_per_node) / gpus_per_node);
    }
};

/// "fat_tree", "rail_optimized", "multi_plane" (the spelling used in cluster files).
std::string_view to_string(FabricKind kind);
/// The inverse of to_string; nullopt for any other text.
std::optional<FabricKind> fabric_kind_from_string(std::string_view text);

} // namespace tcsim::topology
