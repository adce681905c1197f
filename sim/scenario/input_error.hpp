// A problem with what the user gave that no loader reports: no price for the GPU, more nodes
// than the cluster has, a failure rate the run cannot outlast. Library code throws it; the CLI
// reports it as bad input (exit 2), like a config::ConfigError or a workload::PlanError.
#pragma once

#include <stdexcept>

namespace tcsim::scenario {

class InputError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

} // namespace tcsim::scenario
