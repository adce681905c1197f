// The uncertain inputs a one-point command met (ranges and distributions the loaders recorded,
// config/uncertain_value.hpp), as the note its report carries (report/inputs_at_median.hpp):
// each key, its range in words, the median the loaders used in its place, and its source.
//
// Contract: one entry per recorded value, in the order the loaders met them.
#pragma once

#include "config/uncertain_value.hpp"
#include "report/inputs_at_median.hpp"

#include <vector>

namespace tcsim::scenario {

[[nodiscard]] std::vector<report::InputAtMedian> inputs_at_median(const config::UncertainValues& met);

} // namespace tcsim::scenario
