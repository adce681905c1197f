// Loads a claim (claims/*.toml) and the scenario it names, and the MFU records it is compared
// with (topologies/mfu_records.toml).
//
// Claim format (keys marked * are required):
//     name* = "DeepSeek-V3: $5.576M, 2.788M H800 GPU-hours"
//     statement* = "..."          the claim as its source words it
//     source* = "..."
//     workload* = "../workloads/deepseek-v3.toml"     paths relative to the claim file
//     cluster* = "../topologies/deepseek-v3-h800.toml"
//     gpus = 1024                 optional: resize the cluster to this many GPUs (whole nodes) and
//                                 scale every layout's DP (run/resize.hpp)
//     [price]                     optional: the claim's own rental price (dollars <-> GPU-hours)
//     per_gpu_hour* = "2.00 USD/h"   date* = "2024-12"   source* = "..."
//     [parallel]                  optional: layout overrides, any [parallel] key of a workload,
//                                 applied before the resize
//     [[figure]]                  one or more; exactly one of:
//     duration = "34 day" | gpu_hours = 2.788e6 | cost = "5.576 MUSD" | gpu_count = 2048 |
//     mfu = 0.4 | gpu_vendor = "NVIDIA" and/or gpu_model = "H800" (the hardware)
//     scope = "pretraining+context_extension"   the stages the claim's words cover: pretraining,
//                                 context_extension, pretraining+context_extension, sft, rl,
//                                 sft+rl, pretraining+context_extension+sft, all
//     bound = "about"             "about", "at_most" ("in under two months"), "at_least"
//                                 ("$100M+"), "between" (a range, with up_to = its high end)
//     up_to = "100 day"           bound = "between" only: the high end, of the figure's kind
//     unsimulated = 5000          optional, duration/GPU-hours/cost: the part of the figure that
//                                 the simulation does not cover (e.g. post-training GPU-hours)
//     note = "..."                optional: what the unsimulated part is, or how it was read
//     covers = "..."              optional: the claim's words say more than the figure covers
//                                 (R1's "$5.6M" is V3's final run): the verdict is out of scope
//     without = true              hardware only: "without NVIDIA chips"
// MFU records format: [gpu."H100-SXM"] mfu* = 0.43 (a fraction), source* = "...".
// Contract: strict keys; a figure must name exactly one quantity; the claim's workload and
// cluster are loaded (and validated) as for `tcsim run`. Resizing (`gpus`) is the run model's
// rule (run::resize_to_gpus), which config does not link: the caller hands it in as `resize`
// (scenario::load_claim does); without it a claim that says `gpus` is refused at that key.
#pragma once

#include "config/config_files.hpp"
#include "economics/claim_check.hpp"
#include "topology/cluster.hpp"
#include "workload/workload.hpp"

#include <functional>
#include <map>
#include <string>

namespace tcsim::config {

struct ClaimScenario {
    economics::Claim claim;
    std::string cluster_path; ///< resolved against the claim file
    std::string workload_path;
    topology::ClusterSpec cluster; ///< resized when the claim says `gpus`
    workload::Workload workload;   ///< with the claim's layout overrides and resize applied
};

/// Resizes a cluster and its workload to a number of GPUs; throws workload::PlanError when it cannot.
using ResizeToGpus = std::function<void(topology::ClusterSpec&, workload::Workload&, int)>;

[[nodiscard]] ClaimScenario load_claim(const ConfigFiles& files, const std::string& path,
                                       const ResizeToGpus& resize = {});

using MfuRecords = std::map<std::string, economics::MfuRecord, std::less<>>;

[[nodiscard]] MfuRecords load_mfu_records(const ConfigFiles& files, const std::string& path);

} // namespace tcsim::config
