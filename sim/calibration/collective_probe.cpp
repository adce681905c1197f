#include "calibration/collective_probe.hpp"

#include <stdexcept>

namespace tcsim::calibration {

network::CollectiveBenchmarkRow probe_collective(const topology::ClusterSpec& cluster,
                                                 const network::CollectiveBenchmarkSpec& spec) {
    network::CollectiveBenchmarkSpec one = spec;
    if (one.sizes.empty()) throw std::invalid_argument("a collective probe needs a message size");
    one.sizes.resize(1);
    const auto rows = network::run_collective_benchmark(cluster, one);
    if (rows.empty()) throw std::logic_error("the collective benchmark returned no row");
    return rows.front();
}

} // namespace tcsim::calibration
