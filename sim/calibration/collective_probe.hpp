// The one place calibration asks the network model about a collective alone on an idle network.
//
// It forwards to the network part's nccl-tests-like benchmark (network/collective_benchmark.hpp),
// so component records measure exactly what `tcsim collective` prints; should that entry point
// change, only this function follows it.
#pragma once

#include "network/collective_benchmark.hpp"
#include "topology/cluster.hpp"

namespace tcsim::calibration {

/// One size of `spec` (its first) on `cluster`; throws std::invalid_argument as the benchmark does.
[[nodiscard]] network::CollectiveBenchmarkRow probe_collective(const topology::ClusterSpec& cluster,
                                                               const network::CollectiveBenchmarkSpec& spec);

} // namespace tcsim::calibration
