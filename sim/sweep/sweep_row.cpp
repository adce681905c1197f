#include "sweep/sweep_row.hpp"

namespace tcsim::sweep {

SweepRow row_of(std::size_t point, std::vector<std::string> values, const report::RunReport& report) {
    SweepRow row;
    row.point = point;
    row.values = std::move(values);
    row.cluster = report.scenario.cluster;
    row.gpu = report.scenario.gpu;
    row.gpus = report.scenario.gpus;
    row.price_per_gpu_hour = report.total_cost.price.value();
    if (const run::RunPhase* steady = report::steady_phase(report.run)) {
        row.layout = run::layout_text(steady->parallel);
        row.step_time_s = steady->step.step_seconds;
        row.mfu = steady->step.mfu;
    }
    row.days_failure_free = report::predicted(report, report::Figure::total_days);
    row.gpu_hours_failure_free = report::predicted(report, report::Figure::total_gpu_hours);
    row.rental_usd_failure_free = report::predicted(report, report::Figure::total_cost_usd);
    if (report.assessment) {
        const economics::Assessment& a = *report.assessment;
        row.days_p5 = a.days.total.p5;
        row.days_p50 = a.days.total.p50;
        row.days_p95 = a.days.total.p95;
        row.gpu_hours_p50 = a.gpu_hours.total.p50;
        row.rental_usd_p50 = a.rental_usd.total.p50;
        if (a.ownership_usd) row.ownership_usd_p50 = a.ownership_usd->total.p50;
        row.energy_mwh_p50 = a.energy_mwh.total.p50;
    }
    return row;
}

std::string_view to_string(RowStatus status) {
    switch (status) {
    case RowStatus::ok: return "ok";
    case RowStatus::refused: return "refused";
    case RowStatus::internal_error: return "internal_error";
    }
    return "unknown";
}

} // namespace tcsim::sweep
