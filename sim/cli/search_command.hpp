// tcsim search: which layout of a workload is fastest on a cluster.
//
//   tcsim search --cluster FILE --workload FILE [--nodes N | --gpus N] [--tp LIST] [--pp LIST]
//                [--vpp LIST] [--dp LIST] [--cp LIST] [--ep LIST] [--etp LIST] [--mbs LIST]
//                [--zero LIST] [--recompute none,selective,full] [--schedule NAMES] [--top K]
//                [-j N] [--prices FILE] [--price-per-gpu-hour X] [--json | --csv]
//   A LIST is integers and ranges: "8", "1,2,4,8", "1-16", "1,4-8".
#pragma once

#include "cli/command.hpp"

namespace tcsim::cli {

void add_search_command(CLI::App& app, Commands& commands);

} // namespace tcsim::cli
