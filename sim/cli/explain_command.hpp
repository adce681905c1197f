// `tcsim explain --workload FILE [--cluster FILE] [--json]`: what a workload is before any
// simulation: parameters (total, active, per GPU), FLOPs per token, memory per GPU by category
// and pipeline rank, and communication volume per step by parallel dimension.
#pragma once

#include "cli/command.hpp"

namespace tcsim::cli {

void add_explain_command(CLI::App& app, Commands& commands);

} // namespace tcsim::cli
