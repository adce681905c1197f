// tcsim's measured uncertainty: how far its predictions fall from published values, per kind of
// prediction (prediction_kind.hpp), from a validation report (issue 21, item 3).
//
// Contract
// - Rows that could not be evaluated are left out; known gaps are kept (they are misses).
// - In-sample values (from sets a parameter was fitted on: the set's `in_sample = true`) and
//   predicted values are separate distributions: only predicted values say how well tcsim
//   predicts what it has not been fitted on. A kind with no predicted value has no predicted
//   distribution.
// - Each distribution gives the mean |tcsim / published - 1| and the ratio published / tcsim
//   at p10, p50 and p90 (Hyndman and Fan's type 7: linear between order statistics, as numpy's
//   default), with its minimum and maximum: read as "a published figure lies between p10 and
//   p90 times tcsim's prediction in 8 of 10 cases seen".
// - Order: by kind (kPredictionKinds), predicted before in-sample; deterministic.
#pragma once

#include "calibration/prediction_kind.hpp"
#include "calibration/validation.hpp"

#include <optional>
#include <string>
#include <vector>

namespace tcsim::calibration {

struct ErrorDistribution {
    PredictionKind kind = PredictionKind::whole_run;
    bool in_sample = false;
    int values = 0;
    double mean_abs_error = 0; ///< mean |tcsim / published - 1|
    double ratio_p10 = 1;      ///< published / tcsim
    double ratio_p50 = 1;
    double ratio_p90 = 1;
    double ratio_min = 1;
    double ratio_max = 1;
    std::vector<std::string> sets; ///< the sets the values come from, in report order
};

/// Linear interpolation between order statistics (type 7) of `sorted` (ascending, non-empty).
[[nodiscard]] double percentile_type7(const std::vector<double>& sorted, double q);

[[nodiscard]] std::vector<ErrorDistribution> error_distributions(const ValidationReport& report);

/// The predicted (not in-sample) distribution of `kind`, if any.
[[nodiscard]] std::optional<ErrorDistribution> predicted(const std::vector<ErrorDistribution>& all,
                                                         PredictionKind kind);

/// A table: kind, in-sample or predicted, values, mean error, p10 / p50 / p90 of published / tcsim.
[[nodiscard]] std::string render_error_table(const std::vector<ErrorDistribution>& all);

/// The model-uncertainty file the claim verdicts read (topologies/model_uncertainty.toml):
/// every predicted distribution as a [[kind]] table, with a header saying how it was made.
[[nodiscard]] std::string render_uncertainty_toml(const std::vector<ErrorDistribution>& all);

} // namespace tcsim::calibration
