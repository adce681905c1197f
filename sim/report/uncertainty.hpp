// What a report shows of uncertain inputs: which inputs were ranges or distributions, the
// spread of days, GPU-hours and dollars they cause (sampled in the same Monte Carlo as failures,
// with the run's seed), and which inputs move the result most (each swept over its range with
// the others at their medians: a tornado chart's rows).
//
// Contract: plain data filled by scenario::evaluate when at least one input is uncertain, read
// by the writers (table, JSON, CSV, HTML); the writers compute nothing from it. Rows of
// `sensitivity` are sorted by the width of their dollars swing, widest first.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace tcsim::report {

/// p5 / p50 / p95 of one figure over the Monte Carlo samples.
struct Spread {
    double p5 = 0;
    double p50 = 0;
    double p95 = 0;
};

/// One uncertain input as the user wrote it, e.g. {"workload.model.total_params", "{low = 1.6e12,
/// high = 1.9e12} (uniform)", "SemiAnalysis, July 2023"}.
struct UncertainInput {
    std::string key;    ///< FILEKIND.KEY, as --set spells it
    std::string range;  ///< the range or distribution in words
    std::string source; ///< the `source` the file gives for it; empty if none
};

/// One input swept from its low to its high end with every other input at its median.
struct SensitivityRow {
    std::string key;
    double input_low = 0;  ///< the input's value at the low end (its p5 for a distribution)
    double input_high = 0; ///< ... and at the high end (p95)
    double days_low = 0;   ///< p50 days with the input at input_low
    double days_high = 0;
    double dollars_low = 0; ///< p50 rental dollars with the input at input_low
    double dollars_high = 0;
};

struct UncertaintyReport {
    std::vector<UncertainInput> inputs;
    int samples = 0; ///< Monte Carlo samples drawn (inputs and failures together)
    Spread days;     ///< whole run (every stage), with failures
    Spread gpu_hours;
    Spread dollars;                          ///< rental dollars
    std::vector<double> days_samples;        ///< every sample's days, sorted ascending (histograms)
    std::vector<SensitivityRow> sensitivity; ///< widest dollars swing first
    /// The largest relative error of the interpolated failure-free time at points that move every
    /// input at once, simulated to check it (two inputs or more); nullopt when none was checked.
    std::optional<double> interpolation_error;
    int interpolation_checks = 0; ///< how many such points were simulated
};

} // namespace tcsim::report
