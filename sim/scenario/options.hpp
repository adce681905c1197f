// What prices and samples a scenario beyond its cluster and workload files: where the price list
// and the datacenter assumptions are, and the values that override them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace tcsim::scenario {

struct Options {
    std::string prices;                       ///< price list; "" = prices.toml beside the cluster file
    std::string datacenter;                   ///< power and reliability; "" = datacenter.toml beside the cluster
    std::optional<double> price_per_gpu_hour; ///< overrides the price list's (and a claim's) rental price
    bool no_extension = false;                ///< leave out the context-extension stages
    bool no_failures = false;
    std::optional<double> mtbf_per_gpu_hours; ///< overrides the datacenter file's
    int samples = 1000;                       ///< Monte Carlo samples of failures and restarts
    std::uint64_t seed = 1;
    bool full = false; ///< simulate every GPU of each step (full mode) instead of one per pipeline stage
    /// Threads for a report's simulations (every distinct step of its runs, post-training and
    /// related reports, and its rollouts, on one pool: run/work_pool.hpp) and its failure
    /// samples; any count gives the same bytes.
    int jobs = 1;
};

/// How much of the cluster a run uses: all of it, its first `nodes` nodes, or the cluster
/// resized to `gpus` GPUs (what-if); both scale data parallelism. 0 = not given.
struct ClusterUse {
    int nodes = 0;
    int gpus = 0;
};

} // namespace tcsim::scenario
