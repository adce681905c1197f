#include "run/post_training.hpp"

#include "network/make_network.hpp"
#include "rl/response_lengths.hpp"
#include "rl/rl_step.hpp"
#include "rl/rollout.hpp"
#include "rl/serve_decode_cost.hpp"
#include "run/expected_work.hpp"
#include "run/run_model.hpp"
#include "serve/forward_step.hpp"
#include "serve/serve_error.hpp"
#include "serve/serve_model.hpp"
#include "training/memory_model.hpp"
#include "training/step_simulator.hpp"
#include "workload/plan_check.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace tcsim::run {

namespace {

using workload::PostTrainingKind;
using workload::PostTrainingStage;
using workload::RolloutPlacement;

std::string where(const PostTrainingStage& s) { return "post-training stage '" + s.name + "'"; }

/// The workload as the stage trains: its layout, one phase at `seq_len` x `batch`.
workload::Workload training_of(const workload::Workload& w, const PostTrainingStage& s, int seq_len, int batch) {
    workload::Workload out = w;
    out.name = w.name + ", " + s.name;
    out.parallel = s.parallel;
    out.training.seq_len = seq_len;
    out.training.global_batch_sequences = batch;
    out.training.tokens = static_cast<double>(seq_len) * batch;
    out.training.ramp = {};
    out.training.extension.clear();
    out.post_training.clear();
    return out;
}

serve::ServeSpec rollout_spec(const workload::RlSpec& r, const workload::Workload& w) {
    serve::ServeSpec spec;
    spec.decode = {r.rollout.tp, r.rollout.dp, r.rollout.pp, r.rollout.ep, 0};
    spec.prefill = spec.decode;
    spec.disaggregated = false;
    spec.weight_dtype = r.rollout.weight_dtype;
    spec.fp8_gemm_library = w.training.fp8_gemm_library;
    spec.kv_dtype = hardware::Dtype::bf16;
    spec.activation_dtype = hardware::Dtype::bf16;
    spec.prompt_tokens = r.prompt_tokens;
    spec.output_tokens = r.max_response_tokens;
    spec.max_batch_sequences = r.rollout.slots;
    return spec;
}

int rollout_gpus_of(const PostTrainingStage& s) {
    return s.rl.placement == RolloutPlacement::separate ? s.rl.rollout_gpus : s.parallel.gpus();
}

/// The update's sequence length: the prompt and the mean of the drawn responses.
struct Draw {
    std::vector<int> lengths;
    double mean = 0;
    int seq_len = 0;
};

Draw draw(const workload::RlSpec& r, int cp) {
    Draw d;
    d.lengths = rl::draw_response_lengths({r.response_median, r.response_sigma, r.max_response_tokens},
                                          r.prompts_per_step * r.group_size * r.updates_per_rollout, r.seed);
    d.mean = std::accumulate(d.lengths.begin(), d.lengths.end(), 0.0) / static_cast<double>(d.lengths.size());
    // Context parallelism splits a sequence into 2 x CP chunks (Megatron-Core's load-balanced
    // causal split): the length is rounded up to a multiple of 2 x CP.
    const int chunk = cp > 1 ? 2 * cp : 1;
    const int length = r.prompt_tokens + static_cast<int>(std::lround(d.mean));
    d.seq_len = (length + chunk - 1) / chunk * chunk;
    return d;
}

/// Slots of one engine: the stage's, or what the KV cache holds at prompt + max response.
int slots_of(const workload::Workload& w, const PostTrainingStage& s, const topology::ClusterSpec& cluster) {
    const serve::ServeSpec spec = rollout_spec(s.rl, w);
    const serve::ServeResult r = serve::simulate_serving(w.model, spec, cluster, units::dollars_per_hour(1.0));
    return std::max(1, static_cast<int>(std::floor(r.decode.batch)));
}

} // namespace

topology::ClusterSpec stage_cluster(const topology::ClusterSpec& cluster, int gpus) {
    topology::ClusterSpec c = cluster;
    if (cluster.gpus_per_node > 0 && gpus % cluster.gpus_per_node == 0 &&
        gpus / cluster.gpus_per_node != cluster.nodes) {
        c.nodes = gpus / cluster.gpus_per_node;
        c.name = cluster.name + " (" + std::to_string(c.nodes) + " nodes)";
    }
    return c;
}

void check_post_training(const topology::ClusterSpec& cluster, const workload::Workload& w) {
    for (const PostTrainingStage& s : w.post_training) {
        const int gpus = s.parallel.gpus();
        std::vector<std::string> problems;
        if (cluster.gpus_per_node < 1 || gpus % cluster.gpus_per_node != 0)
            problems.push_back("its layout's " + std::to_string(gpus) + " GPUs are not a whole number of " +
                               std::to_string(cluster.gpus_per_node) + "-GPU nodes");
        else if (gpus > cluster.gpus())
            problems.push_back("its layout needs " + std::to_string(gpus) + " GPUs, the cluster has " +
                               std::to_string(cluster.gpus()));
        if (s.kind == PostTrainingKind::rl && s.rl.placement == RolloutPlacement::separate) {
            if (s.rl.rollout_gpus % cluster.gpus_per_node != 0)
                problems.push_back("its rollout_gpus (" + std::to_string(s.rl.rollout_gpus) +
                                   ") are not a whole number of nodes");
            else if (gpus + s.rl.rollout_gpus > cluster.gpus())
                problems.push_back("its training and rollout GPUs (" + std::to_string(gpus + s.rl.rollout_gpus) +
                                   ") exceed the cluster's " + std::to_string(cluster.gpus()));
        }
        if (!problems.empty()) throw workload::PlanError(where(s), std::move(problems));
        const topology::ClusterSpec c = stage_cluster(cluster, gpus);
        try {
            if (s.kind == PostTrainingKind::sft) {
                const int batch = runnable_batch(s.parallel, s.sft.global_batch_sequences);
                const workload::Workload t = training_of(w, s, s.sft.seq_len, batch);
                workload::check_plan(c, t);
                training::check_memory(c, t, s.sft.seq_len, batch);
            } else {
                const Draw d = draw(s.rl, s.parallel.cp);
                const int batch = runnable_batch(s.parallel, s.rl.prompts_per_step * s.rl.group_size);
                const workload::Workload t = training_of(w, s, d.seq_len, batch);
                workload::check_plan(c, t);
                training::check_memory(c, t, d.seq_len, batch);
                (void)slots_of(w, s, stage_cluster(cluster, rollout_gpus_of(s)));
            }
        } catch (const workload::PlanError& e) {
            throw workload::PlanError(where(s), {e.what()});
        } catch (const serve::ServeError& e) {
            throw workload::PlanError(where(s) + " ([post_training.rollout])", {e.what()});
        }
    }
}

std::vector<PostTrainingResult> simulate_post_training(const topology::ClusterSpec& cluster,
                                                       const workload::Workload& w, bool full,
                                                       StepBufferPool* buffers) {
    WorkPool pool;
    const PlannedPostTraining planned(cluster, w, full, pool);
    pool.run(1, buffers);
    return planned.price(pool);
}

PlannedPostTraining::PlannedPostTraining(const topology::ClusterSpec& cluster, const workload::Workload& w, bool full,
                                         WorkPool& pool)
    : cluster_(cluster), workload_(w) {
    // Stages that repeat a step or a rollout (R1-Zero's and R1's RL share both) simulate it once.
    std::map<std::tuple<workload::ParallelSpec, int, int>, WorkPool::Ticket<training::StepResult>> steps;
    std::map<std::string, WorkPool::Ticket<rl::RolloutResult>> rollouts;
    training::StepOptions options;
    options.full = full; // each step builds its stage's fabric (steps of different stages share none)
    auto add_step = [&](const topology::ClusterSpec& c, const PostTrainingStage& s, int seq_len, int batch) {
        const auto key = std::make_tuple(s.parallel, seq_len, batch);
        if (const auto found = steps.find(key); found != steps.end()) return found->second;
        const auto ticket =
            pool.add(expected_step_seconds(s.parallel, w.model.layers, batch, full),
                     [c, t = training_of(w, s, seq_len, batch), seq_len, batch, options](training::StepBuffers& b) {
                         return training::simulate_step(c, t, seq_len, batch, nullptr, options, &b);
                     });
        return steps.emplace(key, ticket).first->second;
    };
    for (std::size_t i = 0; i < w.post_training.size(); ++i) {
        const PostTrainingStage& s = w.post_training[i];
        const topology::ClusterSpec c = stage_cluster(cluster, s.parallel.gpus());
        Stage planned;
        planned.stage = i;
        if (s.kind == PostTrainingKind::sft) {
            planned.seq_len = s.sft.seq_len;
            planned.batch = runnable_batch(s.parallel, s.sft.global_batch_sequences);
            planned.step = add_step(c, s, planned.seq_len, planned.batch);
        } else {
            const workload::RlSpec& q = s.rl;
            Draw d = draw(q, s.parallel.cp);
            planned.seq_len = d.seq_len;
            planned.batch = runnable_batch(s.parallel, q.prompts_per_step * q.group_size);
            planned.step = add_step(c, s, planned.seq_len, planned.batch);

            const int rollout_gpus = rollout_gpus_of(s);
            const topology::ClusterSpec rc = stage_cluster(cluster, rollout_gpus);
            const serve::ServeSpec spec = rollout_spec(q, w);
            const int unit = q.rollout.tp * q.rollout.dp * q.rollout.pp;
            rl::RolloutEngines engines;
            engines.engines = rollout_gpus / unit * q.rollout.dp;
            engines.slots = slots_of(w, s, rc);
            engines.prompt_tokens = q.prompt_tokens;
            planned.engines = engines.engines;
            planned.slots = engines.slots;
            // Everything the rollout depends on: the draw, the engines and their layout.
            const std::string rollout_key =
                std::to_string(q.seed) + "|" + std::to_string(d.lengths.size()) + "|" +
                std::to_string(q.response_median) + "|" + std::to_string(q.response_sigma) + "|" +
                std::to_string(q.max_response_tokens) + "|" + std::to_string(q.prompt_tokens) + "|" +
                std::to_string(engines.engines) + "|" + std::to_string(engines.slots) + "|" +
                std::to_string(q.rollout.tp) + "|" + std::to_string(q.rollout.dp) + "|" + std::to_string(q.rollout.pp) +
                "|" + std::to_string(q.rollout.ep) + "|" + std::string(hardware::to_string(q.rollout.weight_dtype)) +
                "|" + std::to_string(rollout_gpus);
            auto found = rollouts.find(rollout_key);
            if (found == rollouts.end())
                found = rollouts
                            .emplace(rollout_key,
                                     pool.add(expected_rollout_seconds(engines.engines, q.max_response_tokens),
                                              [lengths = d.lengths, engines, model = w.model, spec,
                                               rc](training::StepBuffers&) {
                                                  return rl::simulate_rollout(lengths, engines,
                                                                              rl::serve_decode_cost(model, spec, rc));
                                              }))
                            .first;
            planned.rollout = found->second;
            planned.mean_response = d.mean;
            planned.longest_response = *std::max_element(d.lengths.begin(), d.lengths.end());
        }
        stages_.push_back(std::move(planned));
    }
}

std::vector<PostTrainingResult> PlannedPostTraining::price(const WorkPool& pool) const {
    const topology::ClusterSpec& cluster = cluster_;
    const workload::Workload& w = workload_;
    std::vector<PostTrainingResult> out;
    for (const Stage& planned : stages_) {
        const PostTrainingStage& s = w.post_training[planned.stage];
        PostTrainingResult r;
        r.name = s.name;
        r.kind = s.kind;
        RunPhase ph;
        ph.name = s.name;
        ph.parallel = s.parallel;
        ph.own_layout = true;
        if (s.kind == PostTrainingKind::sft) {
            ph.seq_len = s.sft.seq_len;
            ph.global_batch_sequences = s.sft.global_batch_sequences;
            ph.simulated_batch_sequences = planned.batch;
            ph.step = pool.result(planned.step);
            ph.tokens = s.sft.tokens;
            ph.steps = s.sft.tokens / (static_cast<double>(s.sft.global_batch_sequences) * s.sft.seq_len);
            ph.seconds = ph.tokens / (ph.step.tokens_per_step / ph.step.step_seconds);
            ph.model_flops = ph.tokens * ph.step.model_flops_per_step / ph.step.tokens_per_step;
            r.run.gpus = s.parallel.gpus();
        } else {
            const workload::RlSpec& q = s.rl;
            const double mean_response = planned.mean_response;
            const int samples = q.prompts_per_step * q.group_size;
            const int batch = planned.batch;
            const training::StepResult& update = pool.result(planned.step);
            const double tokens = static_cast<double>(samples) * planned.seq_len; // trained per RL step
            const double tokens_per_s = update.tokens_per_step / update.step_seconds;
            const bool ppo = q.algorithm == workload::RlAlgorithm::ppo;
            const double one_update = tokens / tokens_per_s;
            const double update_s = (ppo ? 2.0 : 1.0) * one_update;
            const int forwards = 2 + (ppo ? 1 : 0) + (q.reward == workload::RewardKind::model ? 1 : 0);
            const double scoring_s = forwards * one_update / 3.0;

            const int rollout_gpus = rollout_gpus_of(s);
            const serve::ServeSpec spec = rollout_spec(q, w);
            const rl::RolloutResult& rollout = pool.result(planned.rollout);
            // One rollout, then its updates_per_rollout mini-batches each scored and trained on;
            // a step (one policy update) is that cycle over updates_per_rollout.
            const double u = q.updates_per_rollout;
            rl::RlStepInputs in;
            in.placement =
                q.placement == RolloutPlacement::colocated ? rl::Placement::colocated : rl::Placement::separate;
            in.asynchronous = q.mode == workload::RolloutMode::asynchronous;
            in.rollout = rollout.time;
            in.scoring = units::Seconds(scoring_s * u);
            in.update = units::Seconds(update_s * u);
            in.trainer_gpus = s.parallel.gpus();
            in.rollout_gpus = q.placement == RolloutPlacement::separate ? q.rollout_gpus : 0;
            in.weights_per_rollout_gpu = serve::weight_bytes_per_gpu(w.model, spec.decode, spec.weight_dtype, 0);
            in.nvlink = cluster.nvlink_per_direction * cluster.efficiency.links.fraction("nvlink");
            in.network = cluster.network_per_gpu() * cluster.efficiency.links.fraction("network");
            const rl::RlStepResult step = rl::price_rl_step(in);

            RlStepDetail det;
            det.rollout_s = rollout.time.count() / u;
            det.weight_sync_s = step.weight_sync.count() / u;
            det.scoring_s = scoring_s;
            det.update_s = update_s;
            det.step_s = step.time.count() / u;
            det.updates_per_rollout = q.updates_per_rollout;
            det.asynchronous = in.asynchronous;
            det.trainer_gpus = in.trainer_gpus;
            det.rollout_gpus = in.rollout_gpus;
            det.engines = planned.engines;
            det.slots = planned.slots;
            det.samples = samples;
            det.mean_response = mean_response;
            det.longest_response = planned.longest_response;
            det.slot_utilisation = rollout.slot_utilisation;
            det.forward_passes = forwards;
            det.update_seq_len = planned.seq_len;
            r.rl = det;

            // The phase's step is the RL step. Busy: generating on the rollout GPUs, scoring and
            // the update's compute share on the trainers; the weight sync and, when separate,
            // each pool's wait for the other are idle (held, drawing idle power).
            const double update_busy = update.step_seconds > 0 ? update.breakdown.compute_s / update.step_seconds : 0;
            const double busy_gpu_s =
                rollout_gpus * det.rollout_s + in.trainer_gpus * (scoring_s + update_s) * update_busy;
            ph.step = update;
            ph.step.step_seconds = det.step_s;
            ph.step.breakdown.compute_s = busy_gpu_s / step.gpus;
            ph.step.breakdown.exposed_comm_s = 0;
            ph.step.breakdown.bubble_s = det.step_s - ph.step.breakdown.compute_s;
            ph.step.gpus = step.gpus;
            ph.seq_len = planned.seq_len;
            ph.global_batch_sequences = samples;
            ph.simulated_batch_sequences = batch;
            ph.steps = static_cast<double>(q.steps);
            ph.tokens = tokens * ph.steps;
            // Model FLOPs: the update(s), the scoring forwards and generation (a forward per
            // generated token), each at the update step's FLOPs per token.
            const double flops_per_token = update.model_flops_per_step / update.tokens_per_step;
            const double per_step = tokens * flops_per_token * ((ppo ? 2.0 : 1.0) + forwards / 3.0) +
                                    rollout.generated_tokens / u * flops_per_token / 3.0;
            ph.model_flops = per_step * ph.steps;
            ph.step.model_flops_per_step = per_step;
            ph.step.tokens_per_step = tokens;
            ph.seconds = det.step_s * ph.steps;
            r.run.gpus = step.gpus;
        }
        r.run.pretrain_seconds = ph.seconds;
        r.run.pretrain_model_flops = ph.model_flops;
        r.run.pretrain_tokens = ph.tokens;
        r.run.phases.push_back(std::move(ph));
        out.push_back(std::move(r));
    }
    return out;
}

} // namespace tcsim::run
