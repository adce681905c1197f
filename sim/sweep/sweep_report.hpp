// A sweep's output: one row per point, in point order, as a table, CSV or JSON.
//
// Every row's figures are the whole run (pre-training + any context extension) of that point, as
// `tcsim run` reports it: the steady step (layout, step time, MFU), the failure-free days,
// GPU-hours and rental dollars, and the run with failures' p5/p50/p95 days and p50 GPU-hours,
// rental and ownership dollars and facility energy.
//
// CSV columns (RFC 4180, report/csv_text.hpp): point, one column per axis named by its key,
// status (ok | refused | internal_error), cluster, gpu, gpus, layout, price_usd_per_gpu_hour,
// step_time_s, mfu, days_failure_free, gpu_hours_failure_free, rental_usd_failure_free,
// days_p5, days_p50, days_p95, gpu_hours_p50, rental_usd_p50, ownership_usd_p50,
// energy_mwh_p50, reason. Empty fields do not apply (a refused point; no ownership price).
// JSON (schema tcsim.sweep/1): {"schema", "sweep" (the file), "name", "combine", "axes": [{"key",
// "values", "zip"}], "covers", "points": [{"point", "values": {KEY: VALUE}, "status", the CSV's
// figures by the same names, "reason"}]}; numbers to 9 significant digits, null when not known.
// The writers compute nothing: they pick and format.
#pragma once

#include "sweep/sweep_row.hpp"
#include "sweep/sweep_spec.hpp"

#include <string>
#include <vector>

namespace tcsim::sweep {

inline constexpr const char* kSweepSchema = "tcsim.sweep/1";

[[nodiscard]] std::string render_sweep_table(const SweepSpec& spec, const std::vector<SweepRow>& rows);
[[nodiscard]] std::string render_sweep_csv(const SweepSpec& spec, const std::vector<SweepRow>& rows);
[[nodiscard]] std::string render_sweep_json(const SweepSpec& spec, const std::vector<SweepRow>& rows);

} // namespace tcsim::sweep
