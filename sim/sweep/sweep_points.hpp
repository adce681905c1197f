// The points of a sweep: its axes combined by product or zip.
//
// Contract: points() returns every point in a fixed order, each as the index of its value on
// every axis. Product: the groups of axes (an axis and those zipped to it) vary like the digits
// of a number, the first group outermost, the last fastest; within a group every axis takes the
// same index. Zip: point i takes value i of every axis. Point indices count from 0 in that order.
#pragma once

#include "sweep/sweep_spec.hpp"

#include <cstddef>
#include <vector>

namespace tcsim::sweep {

struct SweepPoint {
    std::size_t index = 0;
    std::vector<std::size_t> value; ///< value[a]: which of axes[a].values
};

[[nodiscard]] std::vector<SweepPoint> points(const SweepSpec& spec);

} // namespace tcsim::sweep
