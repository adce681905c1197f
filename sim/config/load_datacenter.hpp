// Loads what the data centre around a cluster adds to a run (topologies/datacenter.toml): power
// beyond the GPUs and cooling, and failures, restarts and checkpoint storage.
//
// Format (every value is an inline table with its source, like the efficiency files):
//     [power]
//     gpu_idle_fraction = { value = 0.3, source = "..." }        fraction of TDP, in [0, 1]
//     non_gpu_server_fraction = { value = 0.5, source = "..." }  of GPU TDP, per GPU, >= 0
//     network_per_endpoint = { value = "60 W", source = "..." }
//     pue = { value = 1.25, source = "..." }                     >= 1
//     [reliability]
//     mtbf_per_gpu = { value = "50677 h", low = "30000 h", high = "120000 h", source = "..." }
//                                                  GPU-hours per job interruption; low/high optional
//     restart = { value = "10 min", low = "5 min", high = "30 min", source = "..." }  low/high optional
//     storage_write_bandwidth = { value = "2 TB/s", source = "..." }
//     checkpoint_interval = { value = "1 h", source = "..." }    optional; default Young/Daly
// Contract: every key above except checkpoint_interval and the low/high pairs is required, each
// with a non-empty source; unknown keys are refused. A low/high pair (both or neither, low <=
// value <= high) is a range the Monte Carlo samples, one draw per sample, log-uniformly on each
// side of value (its median; run/failure_simulation.hpp).
#pragma once

#include "config/config_files.hpp"
#include "economics/assessment.hpp"

#include <string>

namespace tcsim::config {

struct DatacenterSpec {
    economics::PowerParameters power;
    economics::ReliabilityInputs reliability;
};

[[nodiscard]] DatacenterSpec load_datacenter(const ConfigFiles& files, const std::string& path);

} // namespace tcsim::config
