// The same scenario at other GPU counts: days and dollars against the number of GPUs, for the
// HTML report's scaling chart.
//
// Contract: scale_gpu_counts() evaluates `inputs` resized (run::resize_to_gpus, as --gpus does:
// the same node, fabric kind, TP, PP, CP, EP and schedule; DP re-derived) to 0.5x, 2x and 4x the
// scenario's GPUs, and takes the 1x point from `report` (the report of `inputs`, unchanged).
// To keep its cost small, each resized run samples failures `samples` times (never more than the
// report did), with the report's seed; the point says how many. A count that is not a whole
// number of nodes, whose layout does not divide it, or whose layout the plan or memory check
// refuses, or whose failure rate outpaces checkpoints, is a point with `refused` saying why, not
// an error: the chart shows what does run. Deterministic.
#pragma once

#include "report/gpu_scaling.hpp"
#include "report/run_report.hpp"
#include "scenario/inputs.hpp"

namespace tcsim::scenario {

inline constexpr int kScalingSamples = 100; ///< failure samples per resized point

[[nodiscard]] report::GpuScaling scale_gpu_counts(const Inputs& inputs, const report::RunReport& report,
                                                  int samples = kScalingSamples);

} // namespace tcsim::scenario
