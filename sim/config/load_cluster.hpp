// Loads a cluster description (topologies/*.toml) together with the GPU catalog and the
// efficiency file it names.
//
// Format:
//     name = "DeepSeek-V3 H800 cluster"
//     source = "..."
//     catalog = "gpus.toml"                     # relative to this file
//     gpu = "H800-SXM"                          # a name in the catalog
//     efficiency = "efficiency/hopper.toml"     # relative to this file
//     nodes = 256
//     gpus_per_node = 8
//     nvlink = "400 GB/s"                       # optional override, per GPU both directions (as the catalog)
//     nvlink_latency = "3.33 us"
//     nics_per_node = 8
//     nic_bandwidth = "400 Gb/s"                # per NIC, one direction (line rate)
//     [fabric]
//     kind = "multi_plane"                      # fat_tree | rail_optimized | multi_plane
//     tiers = 2
//     switch_radix = 64
//     oversubscription = 1.0                    # optional, >= 1 (1 = non-blocking)
//     planes = 8                                # multi_plane only; must divide nics_per_node
//     latency = "3.7 us"
// Contract: an unknown GPU name is reported at the `gpu` key with the catalog's names; a
// referenced file that cannot be read is reported at the key that names it; errors inside a
// referenced file carry that file's own position. The efficiency file carries [links.nvls]
// exactly when the GPU's NVSwitch reduces in the switch (hardware::supports_nvls); otherwise the
// error is at `efficiency`. Cross-file feasibility of a parallel plan is
// workload::check_plan's job, not this loader's.
#pragma once

#include "config/config_files.hpp"
#include "topology/cluster.hpp"

#include <string>

namespace tcsim::config {

[[nodiscard]] topology::ClusterSpec load_cluster(const ConfigFiles& files, const std::string& path);

} // namespace tcsim::config
