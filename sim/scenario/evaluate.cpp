#include "scenario/evaluate.hpp"

#include "economics/cost_model.hpp"
#include "report/report_summary.hpp"
#include "run/failure_simulation.hpp"
#include "run/parallel_map.hpp"
#include "run/post_training.hpp"
#include "run/run_model.hpp"
#include "run/step_buffer_pool.hpp"
#include "scenario/input_error.hpp"
#include "scenario/uncertainty.hpp"

#include <functional>
#include <string>
#include <vector>

namespace tcsim::scenario {

namespace {

/// evaluate(), its runs taking their step buffers from `pool` (shared with the related runs).
report::RunReport evaluate_with(const Inputs& in, run::StepBufferPool& pool) {
    const topology::ClusterSpec& cluster = in.cluster;
    const workload::Workload& w = in.workload;
    run::RunOptions run_options;
    run_options.include_extension = !in.options.no_extension;
    run_options.full = in.options.full;
    run_options.threads = in.options.jobs;
    run_options.fabric = in.fabric;
    run_options.buffers = &pool;

    report::RunReport report;
    report.scenario = {cluster.name,   cluster.gpu.name, cluster.gpu.vendor,         w.name,
                       cluster.gpus(), w.model.name,     cluster.efficiency.borrowed};
    report.overrides = in.overridden;
    report.builtin_inputs = in.builtin_inputs;
    // The run, the post-training stages and the related runs are independent: on threads when
    // options.jobs allows (each writes its own part; the same bytes for any count).
    std::vector<run::PostTrainingResult> post_training;
    std::vector<report::RunReport> related(in.related.size());
    std::vector<std::function<void()>> tasks;
    tasks.emplace_back([&] { report.run = run::simulate_run(cluster, w, run_options); });
    tasks.emplace_back([&] { post_training = run::simulate_post_training(cluster, w, in.options.full, &pool); });
    for (std::size_t i = 0; i < in.related.size(); ++i)
        tasks.emplace_back([&, i] { related[i] = evaluate_with(in.related[i], pool); });
    run::parallel_invoke(in.options.jobs, tasks);
    report.related = std::move(related);

    report.pretrain_cost = economics::rental_cost(report.run.pretrain_gpu_hours(), in.assessment.rental);
    report.total_cost = economics::rental_cost(report.run.pretrain_gpu_hours() + report.run.extension_gpu_hours(),
                                               in.assessment.rental);
    report.price_date = in.assessment.rental.date;
    try {
        report.assessment = economics::assess(report.run, cluster, w, in.assessment);
    } catch (const run::UnfinishableRun& e) {
        throw InputError(std::string(e.what()) + "; the failure rate comes from " +
                         (in.options.mtbf_per_gpu_hours ? std::string("--mtbf-per-gpu-hours")
                                                        : "the datacenter file " + in.datacenter_path));
    }
    // Post-training stages: each simulated and assessed on its own GPUs.
    std::vector<bool> is_rl;
    std::vector<std::string> names;
    std::vector<economics::Assessment> stage_assessments;
    for (run::PostTrainingResult& stage : post_training) {
        report::PostTrainingReport p;
        try {
            p.assessment = economics::assess(stage.run, run::stage_cluster(cluster, stage.run.gpus), w, in.assessment);
        } catch (const run::UnfinishableRun& e) {
            throw InputError(std::string(e.what()) + " (post-training stage '" + stage.name +
                             "'); the failure rate comes from " +
                             (in.options.mtbf_per_gpu_hours ? std::string("--mtbf-per-gpu-hours")
                                                            : "the datacenter file " + in.datacenter_path));
        }
        is_rl.push_back(stage.kind == workload::PostTrainingKind::rl);
        names.push_back(stage.name);
        stage_assessments.push_back(p.assessment);
        p.result = std::move(stage);
        report.post_training.push_back(std::move(p));
    }
    if (!report.post_training.empty() && report.assessment)
        report.assessment->post_training = economics::sum_post_training(stage_assessments, is_rl, names);
    const bool extension = report.run.extension_seconds > 0;
    report.covers = report::covers_text(extension, report::Failures::simulated);
    report.published = in.published;
    // Uncertain inputs: their spread, and the claims checked against it.
    std::optional<economics::Assessment> for_claims;
    if (in.uncertain) {
        // The design's runs are on clusters of their own: each builds its fabric.
        run::RunOptions design_options = run_options;
        design_options.fabric.reset();
        UncertaintyResult u = evaluate_uncertainty(in, report.run, *report.assessment, design_options);
        report.uncertainty = std::move(u.report);
        for_claims = std::move(u.for_claims);
    }
    if (in.claim_checks) {
        for (const auto& claim : in.claim_checks->claims)
            report.claims.push_back(economics::check_claim(claim, for_claims ? *for_claims : *report.assessment,
                                                           {report.scenario.gpu, report.scenario.gpu_vendor},
                                                           in.claim_checks->best_mfu, in.claim_checks->uncertainty));
        report.verdict_rule = economics::verdict_rule(in.claim_checks->uncertainty);
    }
    if (in.claim_checks) report.summary = report::summary_paragraph(report);
    return report;
}

} // namespace

report::RunReport evaluate(const Inputs& in) {
    // The runs of one report, one after another or side by side, build their steps in the
    // memory the first mapped (run/step_buffer_pool.hpp).
    run::StepBufferPool pool;
    return evaluate_with(in, pool);
}

training::StepTrace trace_steady_step(const Inputs& in, const report::RunReport& report) {
    const run::RunPhase* steady = report::steady_phase(report.run);
    if (steady == nullptr) throw InputError("--trace: the run has no phase whose step could be traced");
    // The step the report priced: the phase's layout, sequence and simulated batch (the batch
    // the layout can run, which may differ from the workload's).
    workload::Workload w = in.workload;
    w.parallel = steady->parallel;
    training::StepTrace trace;
    training::StepOptions options;
    options.full = in.options.full;
    training::simulate_step(in.cluster, w, steady->seq_len, steady->simulated_batch_sequences, &trace, options);
    return trace;
}

} // namespace tcsim::scenario
