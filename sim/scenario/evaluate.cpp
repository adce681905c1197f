#include "scenario/evaluate.hpp"

#include "economics/cost_model.hpp"
#include "report/report_summary.hpp"
#include "run/failure_simulation.hpp"
#include "run/post_training.hpp"
#include "run/run_model.hpp"
#include "run/step_buffer_pool.hpp"
#include "run/work_pool.hpp"
#include "scenario/input_error.hpp"
#include "scenario/uncertainty.hpp"

#include <string>
#include <vector>

namespace tcsim::scenario {

namespace {

/// A report's simulations, waiting in one WorkPool: the run's distinct steps, the post-training
/// stages' steps and rollouts, and the same for each related report.
struct PlannedReport {
    run::PlannedRun run;
    run::PlannedPostTraining post_training;
    std::vector<PlannedReport> related;
};

run::RunOptions run_options_of(const Inputs& in, run::StepBufferPool& buffers) {
    run::RunOptions o;
    o.include_extension = !in.options.no_extension;
    o.full = in.options.full;
    o.threads = in.options.jobs;
    o.fabric = in.fabric;
    o.buffers = &buffers;
    return o;
}

PlannedReport plan(const Inputs& in, run::WorkPool& pool, run::StepBufferPool& buffers) {
    PlannedReport p{run::PlannedRun(in.cluster, in.workload, run_options_of(in, buffers), pool),
                    run::PlannedPostTraining(in.cluster, in.workload, in.options.full, pool),
                    {}};
    for (const Inputs& related : in.related) p.related.push_back(plan(related, pool, buffers));
    return p;
}

/// The report from its simulations (`pool` run): failures sampled, priced, claims checked.
report::RunReport finish(const Inputs& in, const PlannedReport& planned, const run::WorkPool& pool,
                         run::StepBufferPool& buffers) {
    const topology::ClusterSpec& cluster = in.cluster;
    const workload::Workload& w = in.workload;
    const run::RunOptions run_options = run_options_of(in, buffers);

    report::RunReport report;
    report.scenario = {cluster.name,   cluster.gpu.name, cluster.gpu.vendor,         w.name,
                       cluster.gpus(), w.model.name,     cluster.efficiency.borrowed};
    report.overrides = in.overridden;
    report.builtin_inputs = in.builtin_inputs;
    report.run = planned.run.price(pool);
    std::vector<run::PostTrainingResult> post_training = planned.post_training.price(pool);
    for (std::size_t i = 0; i < in.related.size(); ++i)
        report.related.push_back(finish(in.related[i], planned.related[i], pool, buffers));

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
    // Every simulation the report needs (its runs, post-training and related reports) on one
    // pool of threads, the longest first; the steps of uncertain inputs' design runs after it
    // build theirs in the memory the pool's threads mapped (run/step_buffer_pool.hpp).
    run::StepBufferPool buffers;
    run::WorkPool pool;
    const PlannedReport planned = plan(in, pool, buffers);
    pool.run(in.options.jobs, &buffers);
    return finish(in, planned, pool, buffers);
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
