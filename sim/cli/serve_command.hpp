// `tcsim serve --workload FILE --cluster FILE [layout, request and format flags]`: a model
// served on a cluster's GPUs: prefill and decode tokens/s per GPU, latency per token, dollars
// per million tokens (serve/serve_model.hpp); as a table, --json ("tcsim.serve/1") or --csv.
#pragma once

#include "cli/command.hpp"

namespace tcsim::cli {

void add_serve_command(CLI::App& app, Commands& commands);

} // namespace tcsim::cli
