#include "calibration/evaluate_record.hpp"

#include "calibration/collective_probe.hpp"
#include "compute/compute_model.hpp"
#include "config/load_cluster.hpp"
#include "config/load_workload.hpp"
#include "run/post_training.hpp"
#include "run/run_model.hpp"
#include "serve/serve_error.hpp"
#include "serve/serve_model.hpp"
#include "training/layer_ops.hpp"
#include "training/memory_model.hpp"
#include "training/step_simulator.hpp"
#include "units/number_text.hpp"
#include "workload/model_math.hpp"
#include "workload/plan_check.hpp"

#include <algorithm>
#include <cstdio>
#include <stdexcept>
#include <string>

namespace tcsim::calibration {
namespace {

topology::ClusterSpec cluster_of(const CalibrationRecord& r, const config::ConfigFiles& files) {
    topology::ClusterSpec c = config::load_cluster(files, r.cluster);
    if (r.nodes) {
        if (*r.nodes > c.nodes)
            throw RecordError("record '" + r.id + "': nodes = " + std::to_string(*r.nodes) + ", but the cluster '" +
                              c.name + "' has only " + std::to_string(c.nodes));
        c.nodes = *r.nodes;
    }
    if (r.nics_per_node) c.nics_per_node = *r.nics_per_node;
    return c;
}

workload::Workload workload_of(const CalibrationRecord& r, const config::ConfigFiles& files) {
    workload::Workload w = config::load_workload(files, r.workload);
    const WorkloadOverrides& o = r.overrides;
    auto& p = w.parallel;
    if (o.tp) p.tp = *o.tp;
    if (o.pp) p.pp = *o.pp;
    if (o.dp) p.dp = *o.dp;
    if (o.cp) p.cp = *o.cp;
    if (o.ep) p.ep = *o.ep;
    if (o.micro_batch_sequences) p.micro_batch_sequences = *o.micro_batch_sequences;
    if (o.schedule) p.schedule = *o.schedule;
    if (o.virtual_stages) p.virtual_stages = *o.virtual_stages;
    if (o.zero_stage) p.zero_stage = *o.zero_stage;
    if (o.sequence_parallel) p.sequence_parallel = *o.sequence_parallel;
    if (o.split_embedding_and_loss) p.split_embedding_and_loss = *o.split_embedding_and_loss;
    if (o.pipeline_split) {
        p.pipeline_split = *o.pipeline_split;
        // Explicit end-stage counts belong to the file's even split, not to an overriding rule.
        if (p.pipeline_split != workload::PipelineSplit::even) p.first_stage_layers = p.last_stage_layers = 0;
    }
    auto& t = w.training;
    if (o.seq_len) t.seq_len = *o.seq_len;
    if (o.global_batch_sequences) {
        t.global_batch_sequences = *o.global_batch_sequences;
        if (t.ramp.start_sequences > t.global_batch_sequences) t.ramp = {};
    }
    if (o.recompute) t.recompute = *o.recompute;
    if (p.virtual_stages > 1 && p.schedule != workload::PipelineSchedule::interleaved_1f1b)
        throw RecordError("record '" + r.id + "': virtual_stages > 1 applies only to schedule = \"interleaved-1f1b\"");
    return w;
}

/// FLOPs of one step as the source counts them.
double source_flops_per_step(FlopCount count, const training::StepResult& step, const workload::Workload& w) {
    const auto& m = w.model;
    const double tokens = step.tokens_per_step;
    switch (count) {
    case FlopCount::model: return step.model_flops_per_step;
    case FlopCount::hardware: return step.hardware_flops_per_step;
    case FlopCount::megatron: {
        // Narayanan et al. SC'21 eq. (3): F = 96 B s l h^2 (1 + s/(6h) + V/(16 l h)).
        const double B = step.global_batch_sequences;
        const double s = step.seq_len;
        const double l = m.layers;
        const double h = m.hidden;
        const double V = m.vocab;
        return 96.0 * B * s * l * h * h * (1.0 + s / (6.0 * h) + V / (16.0 * l * h));
    }
    case FlopCount::eight_nd: return 8.0 * workload::count_parameters(m).total * tokens;
    case FlopCount::six_nd: return 6.0 * workload::count_parameters(m).active_with_embedding * tokens;
    }
    return 0;
}

std::string percent(double x) { return units::printf_number("%.0f %%", 100.0 * x); }

std::string breakdown_text(const std::string& what, double step, const training::StepBreakdown& b) {
    const std::string head = what + " " + units::printf_number("%.3f s", step);
    if (step <= 0) return head;
    return head + ": compute " + percent(b.compute_s / step) + ", exposed comm " + percent(b.exposed_comm_s / step) +
           ", bubble " + percent(b.bubble_s / step);
}

RecordPrediction predict_step(const CalibrationRecord& r, const config::ConfigFiles& files) {
    const topology::ClusterSpec cluster = cluster_of(r, files);
    const workload::Workload w = workload_of(r, files);
    workload::check_plan(cluster, w);
    // The memory check `tcsim run` applies, at the step's own length and batch: a published
    // layout that tcsim's memory model refuses is a failure with the breakdown, not a price.
    training::check_memory(cluster, w, w.training.seq_len, w.training.global_batch_sequences);
    const training::StepResult step =
        training::simulate_step(cluster, w, w.training.seq_len, w.training.global_batch_sequences);
    RecordPrediction out;
    out.moe = w.model.ffn.routed_experts > 0;
    out.breakdown = step.breakdown;
    out.step_seconds = step.step_seconds;
    out.gpus = step.gpus;
    out.summary = breakdown_text("step", step.step_seconds, step.breakdown);
    const double bf16_peak = cluster.gpu.peak(hardware::Dtype::bf16).value();
    for (const PublishedValue& p : r.published) {
        const double per_gpu = source_flops_per_step(p.flops, step, w) / step.step_seconds / step.gpus;
        switch (p.metric) {
        case Metric::step_time: out.values.push_back(step.step_seconds); break;
        case Metric::tokens_per_s_per_gpu: out.values.push_back(step.tokens_per_s_per_gpu); break;
        case Metric::tflops_per_gpu: out.values.push_back(per_gpu / 1e12); break;
        case Metric::mfu: out.values.push_back(per_gpu / bf16_peak); break;
        case Metric::expert_comm_to_compute: {
            double expert = 0, compute = 0;
            for (const auto& rank : step.ranks) {
                expert += rank.expert_comm_s;
                compute += rank.breakdown.compute_s;
            }
            if (expert <= 0)
                throw RecordError(
                    "record '" + r.id +
                    "': expert_comm_to_compute needs expert parallelism across ranks; the workload has none");
            out.values.push_back(expert / compute);
            break;
        }
        default: throw std::logic_error("a step record cannot predict " + std::string(to_string(p.metric)));
        }
    }
    return out;
}

/// The post-training stages' GPU-hours (each stage's wall clock x the GPUs it holds, failure-free)
/// and a one-line account of them ("R1 SFT 1,234 GPU-h (512 GPUs); ...").
struct PostTrainingHours {
    double gpu_hours = 0;
    int gpus = 0; ///< the most GPUs a stage holds
    std::string summary;
};

PostTrainingHours post_training_hours(const CalibrationRecord& r, const topology::ClusterSpec& cluster,
                                      const workload::Workload& w) {
    if (w.post_training.empty())
        throw RecordError("record '" + r.id +
                          "': post_training_gpu_hours needs a workload with [[post_training]] stages");
    run::check_post_training(cluster, w); // the checks `tcsim run` applies to the stages
    PostTrainingHours out;
    for (const run::PostTrainingResult& stage : run::simulate_post_training(cluster, w)) {
        const double hours = stage.run.pretrain_gpu_hours();
        out.gpu_hours += hours;
        out.gpus = std::max(out.gpus, stage.run.gpus);
        out.summary += (out.summary.empty() ? "" : "; ") + stage.name + " " + units::with_thousands(hours) +
                       " GPU-h (" + std::to_string(stage.run.gpus) + " GPUs)";
    }
    return out;
}

RecordPrediction predict_run(const CalibrationRecord& r, const config::ConfigFiles& files) {
    const topology::ClusterSpec cluster = cluster_of(r, files);
    const workload::Workload w = workload_of(r, files);
    RecordPrediction out;
    out.moe = w.model.ffn.routed_experts > 0;
    // The pre-training run is simulated only when a value needs it; the post-training stages
    // likewise (each is a run of its own GPUs, run/post_training.hpp).
    const bool needs_run = std::any_of(r.published.begin(), r.published.end(), [](const PublishedValue& p) {
        return p.metric != Metric::post_training_gpu_hours;
    });
    const bool needs_post = std::any_of(r.published.begin(), r.published.end(), [](const PublishedValue& p) {
        return p.metric == Metric::post_training_gpu_hours;
    });
    run::RunResult run;
    if (needs_run) {
        run::RunOptions options;
        options.include_extension = r.include_extension;
        run::check_run(cluster, w, options); // the plan and memory checks of `tcsim run`
        run = run::simulate_run(cluster, w, options);
        out.gpus = run.gpus;
        for (const auto& phase : run.phases) {
            if (phase.name == "steady") {
                out.breakdown = phase.step.breakdown;
                out.step_seconds = phase.step.step_seconds;
                out.summary = breakdown_text("steady step", phase.step.step_seconds, phase.step.breakdown);
            }
        }
    }
    PostTrainingHours post;
    if (needs_post) {
        post = post_training_hours(r, cluster, w);
        if (!needs_run) out.gpus = post.gpus;
        out.summary += (out.summary.empty() ? "" : "; ") + post.summary;
    }
    for (const PublishedValue& p : r.published) {
        switch (p.metric) {
        case Metric::pretrain_gpu_hours: out.values.push_back(run.pretrain_gpu_hours()); break;
        case Metric::extension_gpu_hours: out.values.push_back(run.extension_gpu_hours()); break;
        case Metric::total_gpu_hours: out.values.push_back(run.pretrain_gpu_hours() + run.extension_gpu_hours()); break;
        case Metric::pretrain_days: out.values.push_back(run.pretrain_seconds / 86400.0); break;
        case Metric::post_training_gpu_hours: out.values.push_back(post.gpu_hours); break;
        default: throw std::logic_error("a run record cannot predict " + std::string(to_string(p.metric)));
        }
    }
    return out;
}

RecordPrediction predict_gemm(const CalibrationRecord& r, const config::ConfigFiles& files) {
    const topology::ClusterSpec cluster = cluster_of(r, files);
    const GemmSetup& g = r.gemm;
    if (cluster.gpu.peak(g.dtype).value() <= 0)
        throw RecordError("record '" + r.id + "': " + cluster.gpu.name + " has no " +
                          std::string(hardware::to_string(g.dtype)) + " peak");
    // The GEMM kernel as the layers build it: inputs in the GEMM dtype, BF16 output.
    const compute::Kernel k = training::gemm_kernel(g.m, g.n, g.k, g.dtype, g.groups);
    const compute::ComputeModel model(cluster.gpu, cluster.efficiency.compute.for_fp8_library(g.library), 0,
                                      compute::Conditions::microbenchmark);
    const double seconds = model.kernel_time(k).count();
    RecordPrediction out;
    out.gpus = 1;
    char buffer[96];
    std::snprintf(buffer, sizeof buffer, "efficiency %.3f of the %s peak, %.1f us",
                  model.gemm_efficiency(k.shape, g.dtype), std::string(hardware::to_string(g.dtype)).c_str(),
                  seconds * 1e6);
    out.summary = buffer;
    for (const PublishedValue& p : r.published) {
        (void)p;
        out.values.push_back(k.flops.value() / seconds / 1e12);
    }
    return out;
}

network::BenchmarkOp benchmark_op(collective::CollectiveKind kind) {
    switch (kind) {
    case collective::CollectiveKind::all_reduce: return network::BenchmarkOp::all_reduce;
    case collective::CollectiveKind::all_gather: return network::BenchmarkOp::all_gather;
    case collective::CollectiveKind::reduce_scatter: return network::BenchmarkOp::reduce_scatter;
    case collective::CollectiveKind::all_to_all: return network::BenchmarkOp::all_to_all;
    default: break;
    }
    throw std::logic_error("no benchmark for this collective");
}

RecordPrediction predict_collective(const CalibrationRecord& r, const config::ConfigFiles& files) {
    const topology::ClusterSpec cluster = cluster_of(r, files);
    network::CollectiveBenchmarkSpec spec;
    spec.gpus = r.kind == RecordKind::collective ? r.collective.ranks : r.expert.ranks;
    if (spec.gpus > cluster.gpus())
        throw RecordError("record '" + r.id + "': " + std::to_string(spec.gpus) + " ranks, but the cluster has " +
                          std::to_string(cluster.gpus()) + " GPUs");
    const bool across_nodes = spec.gpus > cluster.gpus_per_node;
    if (r.kind == RecordKind::collective) {
        spec.op = benchmark_op(r.collective.kind);
        spec.sizes = {r.collective.message};
        spec.algorithm = *network::algorithm_from_string(r.collective.algorithm);
    } else {
        const ExpertSetup& e = r.expert;
        spec.op = e.combine ? network::BenchmarkOp::ep_combine : network::BenchmarkOp::ep_dispatch;
        spec.algorithm = *network::algorithm_from_string(e.algorithm);
        spec.top_k = e.top_k;
        const int nodes = (spec.gpus + cluster.gpus_per_node - 1) / cluster.gpus_per_node;
        spec.max_nodes = e.max_nodes > 0 ? e.max_nodes : nodes;
        spec.token_bytes = units::Bytes(training::token_wire_bytes(e.hidden, e.dtype));
        spec.sizes = {units::Bytes(e.tokens * spec.token_bytes.value())};
        for (const PublishedValue& p : r.published) {
            if (p.metric == Metric::rdma_bandwidth && !across_nodes &&
                spec.algorithm != network::Algorithm::deepep_low_latency)
                throw RecordError("record '" + r.id + "': rdma_bandwidth needs ranks on more than one node");
            if (p.metric == Metric::nvlink_bandwidth &&
                (across_nodes || spec.algorithm == network::Algorithm::deepep_low_latency))
                throw RecordError("record '" + r.id + "': nvlink_bandwidth is DeepEP's intranode figure (one node)");
        }
    }
    const network::CollectiveBenchmarkRow row = probe_collective(cluster, spec);
    RecordPrediction out;
    out.gpus = spec.gpus;
    char buffer[128];
    std::snprintf(buffer, sizeof buffer, "%s, %.1f us, algbw %.1f GB/s",
                  std::string(network::to_string(row.algorithm)).c_str(), row.time.count() * 1e6,
                  row.algbw.value() / 1e9);
    out.summary = buffer;
    for (const PublishedValue& p : r.published) {
        (void)p;
        out.values.push_back(row.busbw.value() / 1e9);
    }
    return out;
}

RecordPrediction predict_serve(const CalibrationRecord& r, const config::ConfigFiles& files) {
    const topology::ClusterSpec cluster = cluster_of(r, files);
    const workload::Workload w = config::load_workload(files, r.workload);
    serve::ServeSpec spec = r.serving.spec;
    spec.fp8_gemm_library = w.training.fp8_gemm_library; // the workload's FP8 kernels serve it, as tcsim serve does
    const int gpus = std::max(spec.decode.gpus(), spec.disaggregated ? spec.prefill.gpus() : 0);
    if (gpus > cluster.gpus())
        throw RecordError("record '" + r.id + "': a serving unit of " + std::to_string(gpus) +
                          " GPUs, but the cluster has " + std::to_string(cluster.gpus()));
    serve::ServeResult s;
    try {
        // The price does not enter the rates predicted here.
        s = serve::simulate_serving(w.model, spec, cluster, units::dollars_per_hour(1.0));
    } catch (const serve::ServeError& e) {
        throw RecordError("record '" + r.id + "': " + e.what());
    }
    RecordPrediction out;
    out.gpus = spec.decode.gpus();
    char buffer[160];
    std::snprintf(buffer, sizeof buffer, "decode batch %.0f (KV limit %.0f), step %.1f ms; prefill step %.0f ms",
                  s.decode.batch, s.decode.memory_limit, s.decode.step.time.count() * 1e3,
                  s.prefill.step.time.count() * 1e3);
    out.summary = buffer;
    for (const PublishedValue& p : r.published) {
        switch (p.metric) {
        case Metric::prefill_tokens_per_s_per_gpu: out.values.push_back(s.prefill.tokens_per_s_per_gpu); break;
        case Metric::decode_tokens_per_s_per_gpu: out.values.push_back(s.decode.tokens_per_s_per_gpu); break;
        case Metric::output_tokens_per_s_per_request: out.values.push_back(s.output_tokens_per_s_per_request); break;
        default: throw std::logic_error("a serve record cannot predict " + std::string(to_string(p.metric)));
        }
    }
    return out;
}

} // namespace

RecordPrediction predict(const CalibrationRecord& record, const config::ConfigFiles& files) {
    switch (record.kind) {
    case RecordKind::step: return predict_step(record, files);
    case RecordKind::run: return predict_run(record, files);
    case RecordKind::gemm: return predict_gemm(record, files);
    case RecordKind::collective:
    case RecordKind::expert_all_to_all: return predict_collective(record, files);
    case RecordKind::serve: return predict_serve(record, files);
    }
    throw std::logic_error("unknown record kind");
}

} // namespace tcsim::calibration
