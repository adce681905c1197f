// One row of a sweep's output: the point's axis values and what its run came to, as plain
// numbers and text (so that a row crosses processes unchanged, row_codec.hpp).
//
// Contract: row_of() picks from a report (scenario::evaluate's) without computing anything
// physical: the steady phase's step (report::steady_phase), the failure-free totals, and the
// p5/p50/p95 of the run with failures when the report has an assessment (NaN otherwise, as the
// ownership figures when the price list has no purchase price). A refused point (its layout
// does not fit, its GPU count is not whole nodes, ...) keeps only its values and the reason.
#pragma once

#include "report/run_report.hpp"

#include <cstddef>
#include <limits>
#include <string>
#include <vector>

namespace tcsim::sweep {

enum class RowStatus { ok, refused, internal_error };

struct SweepRow {
    std::size_t point = 0;
    std::vector<std::string> values; ///< each axis's value as the report shows it
    RowStatus status = RowStatus::ok;
    std::string reason; ///< why refused (or the internal error), else empty
    std::string cluster;
    std::string gpu;
    int gpus = 0;
    std::string layout; ///< the steady phase's, e.g. "PP16 dualpipe x EP64 x DP128"
    double price_per_gpu_hour = std::numeric_limits<double>::quiet_NaN();
    double step_time_s = std::numeric_limits<double>::quiet_NaN();
    double mfu = std::numeric_limits<double>::quiet_NaN();
    double days_failure_free = std::numeric_limits<double>::quiet_NaN();
    double gpu_hours_failure_free = std::numeric_limits<double>::quiet_NaN();
    double rental_usd_failure_free = std::numeric_limits<double>::quiet_NaN();
    double days_p5 = std::numeric_limits<double>::quiet_NaN();
    double days_p50 = std::numeric_limits<double>::quiet_NaN();
    double days_p95 = std::numeric_limits<double>::quiet_NaN();
    double gpu_hours_p50 = std::numeric_limits<double>::quiet_NaN();
    double rental_usd_p50 = std::numeric_limits<double>::quiet_NaN();
    double ownership_usd_p50 = std::numeric_limits<double>::quiet_NaN();
    double energy_mwh_p50 = std::numeric_limits<double>::quiet_NaN();
};

/// The row of a point that ran.
[[nodiscard]] SweepRow row_of(std::size_t point, std::vector<std::string> values, const report::RunReport& report);

[[nodiscard]] std::string_view to_string(RowStatus status);

} // namespace tcsim::sweep
