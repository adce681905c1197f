#include "scenario/gpu_scaling.hpp"

#include "economics/assessment.hpp"
#include "economics/cost_model.hpp"
#include "engine/sim_time.hpp"
#include "run/failure_simulation.hpp"
#include "run/resize.hpp"
#include "run/run_model.hpp"
#include "workload/plan_check.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>

namespace tcsim::scenario {
namespace {

constexpr double kSecondsPerDay = 86400.0;

report::GpuScalingPoint report_point(const report::RunReport& report) {
    report::GpuScalingPoint p;
    p.gpus = report.run.gpus;
    p.is_report = true;
    if (const run::RunPhase* steady = report::steady_phase(report.run)) p.layout = run::layout_text(steady->parallel);
    p.failure_free_days = report.run.seconds() / kSecondsPerDay;
    p.failure_free_dollars = report.total_cost.dollars.value();
    p.p50_days = report.assessment ? report.assessment->days.total.p50 : p.failure_free_days;
    p.p50_dollars = report.assessment ? report.assessment->rental_usd.total.p50 : p.failure_free_dollars;
    return p;
}

report::GpuScalingPoint resized_point(const Inputs& in, int gpus, int samples) {
    report::GpuScalingPoint p;
    p.gpus = gpus;
    topology::ClusterSpec cluster = in.cluster;
    workload::Workload w = in.workload;
    run::RunOptions options;
    options.include_extension = !in.options.no_extension;
    options.full = in.options.full;
    try {
        run::resize_to_gpus(cluster, w, gpus);
        run::check_run(cluster, w, options);
    } catch (const workload::PlanError& e) {
        p.refused = e.what();
        for (const auto& problem : e.problems()) p.refused += "; " + problem;
        return p;
    }
    p.layout = run::layout_text(w.parallel);
    run::RunResult result;
    try {
        result = run::simulate_run(cluster, w, options);
    } catch (const engine::DurationOutOfRange& e) {
        p.refused = std::string("beyond the simulated clock: ") + e.what();
        return p;
    }
    economics::AssessmentInputs assessment = in.assessment;
    assessment.monte_carlo.samples = samples;
    p.failure_free_days = result.seconds() / kSecondsPerDay;
    p.failure_free_dollars =
        economics::rental_cost(result.pretrain_gpu_hours() + result.extension_gpu_hours(), in.assessment.rental)
            .dollars.value();
    try {
        const economics::Assessment a = economics::assess(result, cluster, w, assessment);
        p.p50_days = a.days.total.p50;
        p.p50_dollars = a.rental_usd.total.p50;
    } catch (const run::UnfinishableRun& e) {
        p.refused = e.what();
    }
    return p;
}

} // namespace

report::GpuScaling scale_gpu_counts(const Inputs& in, const report::RunReport& report, int samples) {
    report::GpuScaling out;
    out.samples = std::min(samples, in.assessment.monte_carlo.samples);
    const int gpus = report.run.gpus;
    // 0.5x, 1x (the report's own run), 2x, 4x.
    constexpr std::array<double, 4> kFactors{0.5, 1.0, 2.0, 4.0};
    for (const double factor : kFactors) {
        if (factor == 1.0) {
            out.points.push_back(report_point(report));
            continue;
        }
        const double target = std::round(gpus * factor);
        if (target < 1) continue;
        out.points.push_back(resized_point(in, static_cast<int>(target), out.samples));
    }
    return out;
}

} // namespace tcsim::scenario
