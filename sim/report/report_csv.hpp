// Run reports as CSV (RFC 4180, csv_text.hpp): one header record, then one record per row.
//
// render_csv (tcsim run --csv): per report, one row per simulated phase, then a row
// "total (failure-free)" and, when the report has an assessment, "total with failures (p50)".
// Columns:
//     cluster, gpu, gpus, workload      the scenario (as the table's header names it)
//     overrides                         what the command line overrode, "; "-separated
//     row                               the phase's name, or one of the two totals
//     extension                         true for a context-extension phase (empty for totals)
//     layout                            the phase's parallel layout, e.g. "TP1 PP16 EP64 DP128"
//     seq_len, global_batch_sequences, steps, tokens
//     days                              wall-clock days (totals: the whole run)
//     gpu_hours, cost_usd               totals only: GPU-hours and rental US dollars
//     step_time_s, mfu, tokens_per_s_per_gpu, compute_s, exposed_comm_s, bubble_s
//                                       phases only: the simulated step and its breakdown
// render_claims_csv (tcsim check --csv, tcsim --csv): one row per claimed figure. Columns:
//     claim, figure (duration_days | gpu_hours | cost_usd), scope (pretraining | total),
//     bound (about | at_most | at_least), claimed, compared (claimed less its unsimulated part),
//     simulated_p5, simulated_p50, simulated_p95, band_low, band_high, verdict, headline, gpu,
//     gpus, overrides
// then, for a report whose inputs are ranges (report/uncertainty.hpp), the rows `tcsim run --csv`
// has, in these columns: claim "uncertain inputs" with figure duration_days, gpu_hours and
// cost_usd, scope all and simulated_p5/p50/p95 the whole run's spread with failures (headline:
// what was sampled); then per input, claim "sensitivity KEY = VALUE" at its low and at its high
// end, figure duration_days and cost_usd, simulated_p50 the p50 with the others at their medians.
// Empty fields are values that do not apply. The writers compute nothing: they pick.
#pragma once

#include "report/run_report.hpp"

#include <string>
#include <vector>

namespace tcsim::report {

[[nodiscard]] std::string render_csv(const std::vector<const RunReport*>& reports);
[[nodiscard]] std::string render_claims_csv(const std::vector<const RunReport*>& reports);

} // namespace tcsim::report
