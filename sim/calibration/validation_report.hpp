// How a validation is shown: a table for people, JSON for scripts (the README's accuracy
// section is generated from the JSON).
//
// Contract: render_validation_table prints, per set, one line per published value (record,
// metric, published, predicted, signed error, tolerance, pass/FAIL), the set's MAPE and worst
// error, then a summary over sets, the records that could not be evaluated and a one-line
// verdict. render_validation_json writes one object:
//     { "passed": bool, "values": N, "failed_values": N, "records_not_evaluated": N,
//       "sets": [ { "set", "title", "values", "passed", "mape", "worst_error", "worst_record" } ],
//       "rows": [ { "set", "record", "kind", "metric", "unit", "published", "predicted", "error",
//                   "tolerance", "pass", "flops" (TFLOP/s and MFU only), "confidence", "source",
//                   "note", "detail" } ],
//       "failures": [ { "set", "record", "message" } ],
//       "error_distributions": [ { "prediction", "in_sample", "values", "mean_abs_error",
//                   "ratio_p10", "ratio_p50", "ratio_p90", "ratio_min", "ratio_max", "sets" } ] }
// (each row also has "prediction", its kind (prediction_kind.hpp), and "in_sample"; the
// distributions are error_distribution.hpp's)
// with errors and tolerances as fractions (0.05 = 5 %) and values in the metric's unit. A row
// whose record could not be evaluated has "status": "not_evaluated", null predicted and error,
// and a "reason". render_validation_csv writes one line per published value (RFC 4180, CRLF):
//     set,record,kind,metric,unit,published,predicted,error,tolerance,status,reason
// (predicted and error empty where not evaluated), then one line per set file that could not be
// read (its path as the set, status not_evaluated, the reason).
#pragma once

#include "calibration/validation.hpp"

#include <string>

namespace tcsim::calibration {

[[nodiscard]] std::string render_validation_table(const ValidationReport& report);
[[nodiscard]] std::string render_validation_json(const ValidationReport& report);
[[nodiscard]] std::string render_validation_csv(const ValidationReport& report);

/// A value in its metric's unit as printed in tables: "3.53 s", "137.0 TFLOP/s", "43.0 %",
/// "2.664M GPU-h", "370.0 GB/s".
[[nodiscard]] std::string format_value(Metric metric, double value);

} // namespace tcsim::calibration
