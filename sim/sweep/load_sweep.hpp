// The sweep file loader. The format (also in sweeps/README.md's words and each shipped file's
// header):
//
//     name = "DeepSeek-V3: days and dollars against GPU count"   # optional
//     cluster = "../topologies/deepseek-v3-h800.toml"            # relative to this file
//     workload = "../workloads/deepseek-v3.toml"
//     prices = "../topologies/prices.toml"                       # optional (default: beside the cluster)
//     datacenter = "../topologies/datacenter.toml"               # optional (default: beside the cluster)
//     combine = "product"                                        # or "zip" (default "product")
//
//     [[axis]]
//     key = "cluster.gpu"                    # any KIND.KEY an override takes (--set), or one of
//     values = ["H800-SXM", "B200"]          #   gpus, nodes, price_per_gpu_hour, cluster, workload
//
//     [[axis]]
//     key = "cluster.efficiency"
//     zip = "cluster.gpu"                    # moves with that (earlier) axis: value i with value i
//     values = ["efficiency/hopper.toml", "efficiency/blackwell.toml"]
//
//     [[axis]]
//     key = "gpus"
//     values = [1024, 2048, 4096]
//
// Values are TOML scalars (strings, integers, numbers, booleans); each becomes the override of
// its key exactly as `--set KEY=VALUE` would, so the loaders check it as the file value it
// replaces, and a bad one is reported naming the sweep file's line and the axis
// ("sweeps/x.toml:12:11: axis gpus = 1020 (overriding ...)"). `gpus` and `nodes` take positive
// integers (not both axes), `price_per_gpu_hour` positive numbers (US dollars per GPU-hour),
// `cluster` and `workload` file paths relative to the sweep file. Claim files are not read by a
// sweep, so `claim.*` keys are refused.
//
// Contract: load_sweep reads `path` through `files` strictly (unknown keys refused, errors name
// file:line:column and key: config::ConfigError) and returns a checked SweepSpec
// (sweep_spec.hpp). It reads no other file: the points' files are read when the sweep runs.
#pragma once

#include "config/config_files.hpp"
#include "sweep/sweep_spec.hpp"

#include <string>

namespace tcsim::sweep {

[[nodiscard]] SweepSpec load_sweep(const config::ConfigFiles& files, const std::string& path);

} // namespace tcsim::sweep
