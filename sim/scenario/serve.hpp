// `tcsim serve` as a library call: a workload's model served on a cluster's GPUs.
//
// Contract: reads the workload (its [model]; the training sections are not used) and the
// cluster (GPU, node size, links, efficiency) through `files`, and the rental price (the
// override, else the price list beside the cluster); then serve::simulate_serving. Throws
// config::ConfigError for a bad file, InputError for a deployment the model cannot take
// (the message names the workload and cluster files and the serve flag's field) or a GPU the
// price list lacks.
// Inputs given as ranges (issue 20) are served at their medians and named in the report
// (`inputs_at_median`); each is then served again at its low and at its high end, the others at
// their medians (`spread`): a closed-form model, so 2 more evaluations per range. An end that
// makes the deployment impossible throws InputError naming the input and the end.
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
