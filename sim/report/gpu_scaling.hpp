// What a report shows of the same run at other GPU counts: days and dollars against the number
// of GPUs (the HTML report's scaling chart).
//
// Contract: plain data filled by scenario::scale_gpu_counts (scenario/gpu_scaling.hpp), which
// evaluates the report's own inputs resized to a few GPU counts with fewer failure samples than
// the report itself; the writers compute nothing from it. Points are in ascending GPU count; a
// count the layout cannot run is a point with `refused` set and no figures.
#pragma once

#include <string>
#include <vector>

namespace tcsim::report {

struct GpuScalingPoint {
    int gpus = 0;
    std::string layout;              ///< the pre-training layout at this count ("PP16 dualpipe x EP64 x DP64")
    double failure_free_days = 0;    ///< every simulated stage, no failures
    double p50_days = 0;             ///< every simulated stage, with failures, p50
    double failure_free_dollars = 0; ///< rental dollars, no failures
    double p50_dollars = 0;          ///< rental dollars with failures, p50
    bool is_report = false;          ///< the report's own run (its figures, at its full sample count)
    std::string refused;             ///< non-empty: why this count was not simulated
};

struct GpuScaling {
    std::vector<GpuScalingPoint> points;
    int samples = 0; ///< failure samples per resized point (the report's own point keeps its own)
};

} // namespace tcsim::report
