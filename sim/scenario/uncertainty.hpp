// Evaluating an uncertain scenario (issue 20): the spread of days, GPU-hours and dollars its
// uncertain inputs cause, sampled in the same Monte Carlo as failures, and which inputs move
// them most.
//
// Model (the design and samples: uncertain_design.hpp)
// - The failure-free time of each stage (pre-training, extension) and its model FLOPs are
//   simulated at the design's 1 + 2k scenarios. Their logarithm is taken as the median's plus
//   one effect per input (additive in log space: interactions between inputs are not modelled),
//   each effect piecewise linear through the input's low end, median and high end, in the
//   logarithm of the input when its low end is above zero (so a time proportional to a power of
//   the input, e.g. to the tokens, is reproduced exactly), linearly extrapolated beyond its ends
//   (a log-normal's tails).
// - Each sample takes those times at its draws, its GPU count, prices and reliability from its
//   own inputs (exact), and draws its failures (one failure sample, seeded from the run's seed
//   and the sample's index): its days, GPU-hours and rental dollars are one sample of the run.
// - Sensitivity: each input at its low end and at its high end, every other at its median,
//   simulated and assessed in full (the run's Monte Carlo of failures): p50 days and dollars.
//   Rows sorted by the width of the dollars swing, widest first (ties in input order).
// Deterministic for a given seed.
#pragma once

#include "economics/assessment.hpp"
#include "report/uncertainty.hpp"
#include "run/run_model.hpp"
#include "run/run_result.hpp"
#include "scenario/inputs.hpp"

namespace tcsim::scenario {

struct UncertaintyResult {
    report::UncertaintyReport report;
    /// The median scenario's assessment with its days, GPU-hours and rental dollars replaced by
    /// their spread over the samples: what claims are checked against.
    economics::Assessment for_claims;
};

/// `in` has a design (in.uncertain); `median_run` and `median` are its own run and assessment.
[[nodiscard]] UncertaintyResult evaluate_uncertainty(const Inputs& in, const run::RunResult& median_run,
                                                     const economics::Assessment& median,
                                                     const run::RunOptions& run_options);

} // namespace tcsim::scenario
