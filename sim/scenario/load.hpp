// The loaders of a scenario: from input files (and overrides) to checked Inputs.
//
// Contract: each reads every file the scenario needs through `files` (prices and datacenter
// assumptions default to prices.toml and datacenter.toml beside the cluster file, MFU records to
// mfu_records.toml beside it), each with the key overrides `files` carries for its kind, before
// it checks any layout; applies `use` and re-derives DP (cluster_use.hpp), applies `options`, chooses the rental price (the override, else
// the claim's own, else the price list's entry for the GPU) and ownership prices (when the list
// has them all), and checks every layout the run will simulate. Throws config::ConfigError,
// workload::PlanError or InputError (a refused layout names the overrides given); simulates
// nothing. Inputs::overridden lists the overrides, Inputs::builtin_inputs the files `files` read
// from built-in copies.
#pragma once

#include "config/config_files.hpp"
#include "config/load_claim.hpp"
#include "scenario/inputs.hpp"
#include "scenario/options.hpp"
#include "topology/cluster.hpp"

#include <string>
#include <vector>

namespace tcsim::scenario {

/// Throws InputError naming `cluster_path` when the cluster's graph cannot be built from its keys
/// (a fabric too small for its nodes, more pods than core ports, NICs a node cannot share evenly);
/// returns the graph it built.
topology::ClusterGraph check_cluster_builds(const topology::ClusterSpec& cluster, const std::string& cluster_path);

/// A claim file and the scenario it names, resized when it says `gpus` (run::resize_to_gpus).
[[nodiscard]] config::ClaimScenario load_claim(const config::ConfigFiles& files, const std::string& path);

/// `tcsim run`: a cluster file and a workload file, used as `use` says.
[[nodiscard]] Inputs load_run(const config::ConfigFiles& files, const std::string& cluster_path,
                              const std::string& workload_path, const ClusterUse& use, const Options& options);

/// `tcsim check`: one claim file, its scenario priced at the claim's own price unless overridden.
[[nodiscard]] Inputs load_claim_check(const config::ConfigFiles& files, const std::string& claim_path,
                                      const Options& options, const ClusterUse& use = {});

/// `tcsim` with no command: DeepSeek-V3's claims (config::kBuiltinClaims) against its run on the
/// 2,048-H800 cluster, with DeepSeek's published figures (config::kBuiltinPublished), from the
/// files compiled into the program, with `overrides` applied to them (and `use`). Without the
/// extension only pre-training figures are kept.
[[nodiscard]] Inputs load_builtin(const Options& options, const config::Overrides& overrides = {},
                                  const ClusterUse& use = {});

} // namespace tcsim::scenario
