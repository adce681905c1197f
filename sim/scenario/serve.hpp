// `tcsim serve` as a library call: a workload's model served on a cluster's GPUs.
//
// Contract: reads the workload (its [model]; the training sections are not used) and the
// cluster (GPU, node size, links, efficiency) through `files`, and the rental price (the
// override, else the price list beside the cluster); then serve::simulate_serving. Throws
// config::ConfigError for a bad file, InputError for a deployment the model cannot take
// (the message names the workload and cluster files and the serve flag's field) or a GPU the
// price list lacks.
#pragma once

#include "config/config_files.hpp"
#include "report/serve_report.hpp"
#include "serve/serve_spec.hpp"

#include <optional>
#include <string>

namespace tcsim::scenario {

struct ServeInputs {
    std::string workload;
    std::string cluster;
    std::string prices;                       ///< "" = prices.toml beside the cluster
    std::optional<double> price_per_gpu_hour; ///< overrides the price list
    serve::ServeSpec spec;
};

[[nodiscard]] report::ServeReport serve(const config::ConfigFiles& files, const ServeInputs& in);

} // namespace tcsim::scenario
