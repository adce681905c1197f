#include "scenario/uncertainty.hpp"

#include "run/run_model.hpp"
#include "run/work_pool.hpp"
#include "scenario/input_error.hpp"
#include "scenario/uncertain_design.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <optional>
#include <string>

namespace tcsim::scenario {
namespace {

/// The figures of a run the design interpolates, as logarithms (0 where the figure is 0).
struct LogFigures {
    double pretrain_s = 0;
    double extension_s = 0;
    double pretrain_flops = 0;
    double extension_flops = 0;
};

double log_or_zero(double x) { return x > 0 ? std::log(x) : 0.0; }

LogFigures log_figures(const run::RunResult& r) {
    return {log_or_zero(r.pretrain_seconds), log_or_zero(r.extension_seconds), log_or_zero(r.pretrain_model_flops),
            log_or_zero(r.extension_model_flops)};
}

/// An input's coordinate: its logarithm when its low end is above zero, else itself.
double coordinate(const config::UncertainValue& v, double x) { return v.low_end() > 0 ? std::log(x) : x; }

/// The piecewise-linear function through `points` (t, y) at t, extrapolated linearly beyond the
/// ends; points with the same t are merged (the first kept). Fewer than two distinct points: 0.
double piecewise(std::vector<std::pair<double, double>> points, double t) {
    std::sort(points.begin(), points.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    points.erase(
        std::unique(points.begin(), points.end(), [](const auto& a, const auto& b) { return a.first == b.first; }),
        points.end());
    if (points.size() < 2) return 0.0;
    std::size_t i = 0;
    while (i + 2 < points.size() && t > points[i + 1].first) ++i;
    const auto& [t0, y0] = points[i];
    const auto& [t1, y1] = points[i + 1];
    return y0 + (y1 - y0) * (t - t0) / (t1 - t0);
}

/// Whether a key can change the simulated run (price lists and datacenter assumptions cannot).
bool changes_run(const config::UncertainValue& v) {
    return v.kind != config::FileKind::prices && v.kind != config::FileKind::datacenter;
}

std::uint64_t splitmix64(std::uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30U)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27U)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31U);
}

economics::Assessment assess_named(const run::RunResult& r, const Inputs& in, const economics::AssessmentInputs& a,
                                   const std::string& where) {
    try {
        return economics::assess(r, in.cluster, in.workload, a);
    } catch (const run::UnfinishableRun& e) {
        throw InputError(std::string(e.what()) + " (" + where + ")");
    }
}

run::Percentiles spread_of(const std::vector<double>& values) { return run::percentiles(values); }

report::Spread report_spread(const run::Percentiles& p) { return {p.p5, p.p50, p.p95}; }

} // namespace

UncertaintyResult evaluate_uncertainty(const Inputs& in, const run::RunResult& median_run,
                                       const economics::Assessment& median, const run::RunOptions& run_options) {
    const UncertainDesign& design = *in.uncertain;
    const std::size_t k = design.inputs.size();
    UncertaintyResult out;
    report::UncertaintyReport& u = out.report;
    for (const auto& v : design.inputs) u.inputs.push_back({v.name(), v.describe(), v.source});

    // The design's runs (each end simulated unless the key cannot change the run, then the check
    // points), their steps on one pool of threads, longest first (run/work_pool.hpp).
    run::WorkPool pool;
    std::vector<std::optional<run::PlannedRun>> planned_low;
    std::vector<std::optional<run::PlannedRun>> planned_high;
    for (std::size_t i = 0; i < k; ++i) {
        const bool simulate = changes_run(design.inputs[i]);
        planned_low.push_back(simulate ? std::optional<run::PlannedRun>(std::in_place, design.low[i].cluster,
                                                                        design.low[i].workload, run_options, pool)
                                       : std::nullopt);
        planned_high.push_back(simulate ? std::optional<run::PlannedRun>(std::in_place, design.high[i].cluster,
                                                                         design.high[i].workload, run_options, pool)
                                        : std::nullopt);
    }
    std::vector<run::PlannedRun> planned_checks;
    for (const auto& check : design.checks)
        planned_checks.emplace_back(check.inputs.cluster, check.inputs.workload, run_options, pool);
    pool.run(run_options.threads, run_options.buffers);
    std::vector<run::RunResult> low_runs;
    std::vector<run::RunResult> high_runs;
    for (std::size_t i = 0; i < k; ++i) {
        low_runs.push_back(planned_low[i] ? planned_low[i]->price(pool) : median_run);
        high_runs.push_back(planned_high[i] ? planned_high[i]->price(pool) : median_run);
    }

    // Each input's effect on the log figures, through (low, median, high).
    const LogFigures mid = log_figures(median_run);
    std::vector<LogFigures> lows;
    std::vector<LogFigures> highs;
    for (std::size_t i = 0; i < k; ++i) {
        lows.push_back(log_figures(low_runs[i]));
        highs.push_back(log_figures(high_runs[i]));
    }
    const auto effect = [&](std::size_t i, double x, double LogFigures::*figure) {
        const auto& v = design.inputs[i];
        const double y_mid = mid.*figure;
        return piecewise({{coordinate(v, v.low_end()), lows[i].*figure - y_mid},
                          {coordinate(v, v.median()), 0.0},
                          {coordinate(v, v.high_end()), highs[i].*figure - y_mid}},
                         coordinate(v, x));
    };

    // The check points: the additive model against a simulation that moves every input at once.
    for (std::size_t c = 0; c < design.checks.size(); ++c) {
        const auto& check = design.checks[c];
        double shift = 0;
        double shift_ext = 0;
        for (std::size_t i = 0; i < k; ++i) {
            shift += effect(i, check.values[i], &LogFigures::pretrain_s);
            shift_ext += effect(i, check.values[i], &LogFigures::extension_s);
        }
        const run::RunResult simulated = planned_checks[c].price(pool);
        const double predicted =
            median_run.pretrain_seconds * std::exp(shift) + median_run.extension_seconds * std::exp(shift_ext);
        const double error = std::abs(predicted / simulated.seconds() - 1.0);
        u.interpolation_error = std::max(u.interpolation_error.value_or(0.0), error);
        ++u.interpolation_checks;
    }

    // The samples: interpolated failure-free times, exact prices, one failure draw each.
    const std::size_t n = design.samples.size();
    std::vector<double> days_pre, days_ext, days_all, hours_pre, hours_ext, hours_all, usd_pre, usd_ext, usd_all;
    for (std::size_t s = 0; s < n; ++s) {
        const auto& sample = design.samples[s];
        LogFigures shift;
        for (std::size_t i = 0; i < k; ++i) {
            shift.pretrain_s += effect(i, sample.values[i], &LogFigures::pretrain_s);
            shift.extension_s += effect(i, sample.values[i], &LogFigures::extension_s);
            shift.pretrain_flops += effect(i, sample.values[i], &LogFigures::pretrain_flops);
            shift.extension_flops += effect(i, sample.values[i], &LogFigures::extension_flops);
        }
        run::RunResult r = median_run;
        const double f_pre = std::exp(shift.pretrain_s);
        const double f_ext = std::exp(shift.extension_s);
        for (auto& phase : r.phases) phase.seconds *= phase.extension ? f_ext : f_pre;
        r.pretrain_seconds *= f_pre;
        r.extension_seconds *= f_ext;
        r.pretrain_model_flops *= std::exp(shift.pretrain_flops);
        r.extension_model_flops *= std::exp(shift.extension_flops);
        r.gpus = sample.inputs.cluster.gpus();
        economics::AssessmentInputs a = sample.inputs.assessment;
        a.monte_carlo = {1, splitmix64(in.options.seed ^ splitmix64(0x73616d706c65ULL + s))};
        const economics::Assessment one =
            assess_named(r, sample.inputs, a, "Monte Carlo sample " + std::to_string(s + 1));
        days_pre.push_back(one.days.pretraining.p50);
        days_ext.push_back(one.days.extension.p50);
        days_all.push_back(one.days.total.p50);
        hours_pre.push_back(one.gpu_hours.pretraining.p50);
        hours_ext.push_back(one.gpu_hours.extension.p50);
        hours_all.push_back(one.gpu_hours.total.p50);
        usd_pre.push_back(one.rental_usd.pretraining.p50);
        usd_ext.push_back(one.rental_usd.extension.p50);
        usd_all.push_back(one.rental_usd.total.p50);
    }
    u.samples = static_cast<int>(n);
    u.days = report_spread(spread_of(days_all));
    u.gpu_hours = report_spread(spread_of(hours_all));
    u.dollars = report_spread(spread_of(usd_all));
    u.days_samples = days_all;
    std::sort(u.days_samples.begin(), u.days_samples.end());

    // Sensitivity: each input at its ends, the others at their medians, assessed in full.
    for (std::size_t i = 0; i < k; ++i) {
        const auto& v = design.inputs[i];
        const economics::Assessment lo =
            assess_named(low_runs[i], design.low[i], design.low[i].assessment, v.name() + " at its low end");
        const economics::Assessment hi =
            assess_named(high_runs[i], design.high[i], design.high[i].assessment, v.name() + " at its high end");
        u.sensitivity.push_back({v.name(), v.low_end(), v.high_end(), lo.days.total.p50, hi.days.total.p50,
                                 lo.rental_usd.total.p50, hi.rental_usd.total.p50});
    }
    std::stable_sort(u.sensitivity.begin(), u.sensitivity.end(), [](const auto& a, const auto& b) {
        return std::abs(a.dollars_high - a.dollars_low) > std::abs(b.dollars_high - b.dollars_low);
    });

    out.for_claims = median;
    out.for_claims.days = {spread_of(days_pre), spread_of(days_ext), spread_of(days_all)};
    out.for_claims.gpu_hours = {spread_of(hours_pre), spread_of(hours_ext), spread_of(hours_all)};
    out.for_claims.rental_usd = {spread_of(usd_pre), spread_of(usd_ext), spread_of(usd_all)};
    return out;
}

} // namespace tcsim::scenario
