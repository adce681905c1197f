// The built-in scenario (tcsim with no command: the DeepSeek-V3 claim check) and `tcsim run`.
//
//   tcsim [--json] [--price-per-gpu-hour X] [--no-extension] [--samples N] [--seed S] ...
//   tcsim run --cluster FILE --workload FILE [--prices FILE] [--nodes N | --gpus N] [--trace FILE] [--json] ...
#pragma once

#include "cli/command.hpp"

namespace tcsim::cli {

/// Registers the default (top-level) command and `run`.
void add_run_commands(CLI::App& app, Commands& commands);

} // namespace tcsim::cli
