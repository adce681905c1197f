// `tcsim explain` as a library call: a workload's parameters, FLOPs per token, memory per
// pipeline rank and communication per GPU per step, without simulating anything.
//
// Contract: reads the workload (and the cluster, when a path is given) through `files` and
// checks the plan against the cluster. Without a cluster the layout's GPUs are put in 8-GPU
// nodes and memory capacity is unknown (`have_cluster` false). Communication is the
// collectives' payload sizes per GPU per step by parallel dimension (not wire bytes, which
// depend on the algorithm). The key overrides `files` carries apply to the files read; `use`
// resizes the cluster (with one) or sets the GPU count the layout is re-derived for
// (cluster_use.hpp; without a cluster, --nodes counts 8-GPU nodes). Throws config::ConfigError,
// or InputError naming the workload file (and the overrides) for a layout the plan check refuses
// (without a cluster: the rules that need none).
#pragma once

#include "config/config_files.hpp"
#include "report/explanation.hpp"
#include "scenario/options.hpp"

#include <string>

namespace tcsim::scenario {

[[nodiscard]] report::Explanation explain(const config::ConfigFiles& files, const std::string& workload_path,
                                          const std::string& cluster_path, const ClusterUse& use = {});

} // namespace tcsim::scenario
