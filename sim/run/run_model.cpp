#include "run/run_model.hpp"

#include "run/expected_work.hpp"
#include "run/resize.hpp"
#include "training/memory_model.hpp"
#include "training/step_simulator.hpp"
#include "workload/plan_check.hpp"

#include <algorithm>
#include <cmath>
#include <exception>
#include <map>
#include <numeric>
#include <span>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace tcsim::run {

namespace {

/// Smallest batch step the layout can run, and the smallest batch.
struct BatchGrid {
    int quantum = 1;
    int minimum = 1;
};

BatchGrid grid_of(const workload::ParallelSpec& p) {
    BatchGrid g;
    g.quantum = p.dp * p.micro_batch_sequences;
    g.minimum = g.quantum;
    if (p.schedule == workload::PipelineSchedule::dualpipe) {
        g.quantum *= 2;               // even micro-batch count
        g.minimum = g.quantum * p.pp; // at least 2 x PP micro-batches
    } else if (p.schedule == workload::PipelineSchedule::interleaved_1f1b) {
        g.quantum *= p.pp; // a multiple of PP micro-batches
        g.minimum = g.quantum;
    }
    return g;
}

std::string stage_name(const workload::ExtensionStage& e) {
    return "extension " + std::to_string(e.seq_len / 1024) + "K";
}

} // namespace

int runnable_batch(const workload::ParallelSpec& parallel, double batch) {
    const BatchGrid g = grid_of(parallel);
    const double rounded = std::round(batch / g.quantum) * g.quantum;
    return std::max(g.minimum, static_cast<int>(rounded));
}

workload::Workload stage_workload(const workload::Workload& workload, const workload::ExtensionStage& stage,
                                  int batch) {
    workload::Workload w = workload;
    if (stage.parallel) w.parallel = *stage.parallel;
    w.name = workload.name + ", " + stage_name(stage);
    w.training.seq_len = stage.seq_len;
    w.training.global_batch_sequences = batch;
    w.training.ramp = {};
    w.training.extension.clear();
    return w;
}

void check_run(const topology::ClusterSpec& cluster, const workload::Workload& workload, const RunOptions& options) {
    workload::check_plan(cluster, workload);
    // At the batch the steady phase will be simulated at (the final batch, or the nearest the
    // schedule can run: e.g. DualPipe on more data-parallel replicas than the batch feeds).
    training::check_memory(cluster, workload, workload.training.seq_len,
                           runnable_batch(workload.parallel, workload.training.global_batch_sequences));
    if (!options.include_extension) return;
    for (const auto& e : workload.training.extension) {
        const auto& layout = e.parallel ? *e.parallel : workload.parallel;
        const workload::Workload stage = stage_workload(workload, e, runnable_batch(layout, e.global_batch_sequences));
        workload::check_plan(cluster, stage);
        training::check_memory(cluster, stage, stage.training.seq_len, stage.training.global_batch_sequences);
    }
}

RunResult simulate_run(const topology::ClusterSpec& cluster, const workload::Workload& workload,
                       const RunOptions& options) {
    WorkPool pool;
    const PlannedRun planned(cluster, workload, options, pool);
    pool.run(options.threads, options.buffers);
    return planned.price(pool);
}

PlannedRun::PlannedRun(const topology::ClusterSpec& cluster, const workload::Workload& workload,
                       const RunOptions& options, WorkPool& pool)
    : gpus_(workload.parallel.gpus()) {
    const auto& t = workload.training;
    // First the phases and the distinct steps they need (each added to the pool when first met,
    // so a step that throws is the first in phase order), then, in price(), the phases priced.
    using Key = std::tuple<workload::ParallelSpec, int, int>;
    std::map<Key, std::size_t> step_index; // (layout, seq_len, batch) -> distinct step
    // Every phase runs on the same cluster: its fabric is built once, and the steps share it
    // (its memo is thread safe).
    training::StepOptions step_options;
    step_options.fabric = options.fabric ? options.fabric : network::make_fabric(cluster);
    step_options.full = options.full;
    const auto shared_cluster = std::make_shared<const topology::ClusterSpec>(cluster);
    auto add_phase = [&](std::string name, const workload::Workload& w, bool extension, bool own_layout, int seq_len,
                         double batch, double tokens) {
        const int simulated = runnable_batch(w.parallel, batch);
        const auto [it, added] = step_index.emplace(Key{w.parallel, seq_len, simulated}, steps_.size());
        if (added)
            steps_.push_back(pool.add(expected_step_seconds(w.parallel, w.model.layers, simulated, options.full),
                                      [shared_cluster, w, seq_len, simulated, step_options](training::StepBuffers& b) {
                                          return training::simulate_step(*shared_cluster, w, seq_len, simulated,
                                                                         nullptr, step_options, &b);
                                      }));
        phases_.push_back(
            Phase{std::move(name), w.parallel, extension, own_layout, seq_len, batch, tokens, it->second});
    };

    double ramp_tokens = 0;
    if (t.ramp.start_sequences > 0 && t.ramp.over_tokens > 0) {
        ramp_tokens = std::min(t.ramp.over_tokens, t.tokens);
        const int k = std::max(1, options.ramp_phases);
        const double b0 = t.ramp.start_sequences;
        const double b1 = t.global_batch_sequences;
        for (int i = 0; i < k; ++i) {
            // The batch grows linearly in tokens; each phase runs at its mean batch.
            const double batch = b0 + (b1 - b0) * (i + 0.5) / k;
            add_phase("ramp " + std::to_string(i + 1) + "/" + std::to_string(k), workload, false, false, t.seq_len,
                      batch, ramp_tokens / k);
        }
    }
    if (t.tokens > ramp_tokens)
        add_phase("steady", workload, false, false, t.seq_len, t.global_batch_sequences, t.tokens - ramp_tokens);
    if (options.include_extension) {
        for (const auto& e : t.extension) {
            const double tokens = static_cast<double>(e.steps) * e.global_batch_sequences * e.seq_len;
            const auto& layout = e.parallel ? *e.parallel : workload.parallel;
            const workload::Workload stage =
                stage_workload(workload, e, runnable_batch(layout, e.global_batch_sequences));
            add_phase(stage_name(e), stage, true, e.parallel.has_value(), e.seq_len, e.global_batch_sequences, tokens);
        }
    }
}

RunResult PlannedRun::price(const WorkPool& pool) const {
    RunResult out;
    out.gpus = gpus_;
    for (const Phase& p : phases_) {
        RunPhase ph;
        ph.name = p.name;
        ph.extension = p.extension;
        ph.own_layout = p.own_layout;
        ph.parallel = p.parallel;
        ph.seq_len = p.seq_len;
        ph.global_batch_sequences = static_cast<int>(std::lround(p.batch));
        ph.simulated_batch_sequences = runnable_batch(p.parallel, p.batch);
        ph.step = pool.result(steps_[p.step]);
        ph.tokens = p.tokens;
        ph.steps = p.tokens / (p.batch * p.seq_len);
        ph.seconds = p.tokens / (ph.step.tokens_per_step / ph.step.step_seconds);
        ph.model_flops = p.tokens * ph.step.model_flops_per_step / ph.step.tokens_per_step;
        (p.extension ? out.extension_seconds : out.pretrain_seconds) += ph.seconds;
        (p.extension ? out.extension_model_flops : out.pretrain_model_flops) += ph.model_flops;
        if (!p.extension) out.pretrain_tokens += p.tokens;
        out.phases.push_back(std::move(ph));
    }
    return out;
}

std::string layout_text(const workload::ParallelSpec& p) {
    std::string out;
    auto add = [&](const std::string& part) { out += (out.empty() ? "" : " x ") + part; };
    if (p.tp > 1) add("TP" + std::to_string(p.tp));
    if (p.pp > 1) {
        std::string pp = "PP" + std::to_string(p.pp) + " " + std::string(workload::to_string(p.schedule));
        std::string notes;
        if (p.virtual_stages > 1) notes = "v" + std::to_string(p.virtual_stages);
        if (p.split_embedding_and_loss) notes += std::string(notes.empty() ? "" : ", ") + "embedding and head apart";
        if (!notes.empty()) pp += " (" + notes + ")";
        add(pp);
    }
    if (p.cp > 1) add("CP" + std::to_string(p.cp) + (p.cp_pass == workload::CpPass::latent ? " (latent ring)" : ""));
    if (p.ep > 1 || p.etp > 1) {
        std::string ep = "EP" + std::to_string(p.ep);
        if (p.etp > 1) ep += " x ETP" + std::to_string(p.etp);
        if (p.moe_dispatcher != workload::MoeDispatcher::alltoall)
            ep += p.moe_dispatcher == workload::MoeDispatcher::deepep ? std::string(" (DeepEP)") : std::string(" (allgather dispatch)");
        if (p.ep_comm_overlap) ep += " (combined 1F1B)";
        add(ep);
    }
    add("DP" + std::to_string(p.dp));
    return out;
}

void resize_to_gpus(topology::ClusterSpec& cluster, workload::Workload& workload, int gpus) {
    const std::string context = "resizing '" + cluster.name + "' to " + std::to_string(gpus) + " GPUs";
    std::vector<std::string> problems;
    if (gpus <= 0 || cluster.gpus_per_node <= 0 || gpus % cluster.gpus_per_node != 0) {
        problems.push_back(std::to_string(gpus) + " GPUs is not a whole number of " +
                           std::to_string(cluster.gpus_per_node) + "-GPU nodes");
        throw workload::PlanError(context, std::move(problems));
    }
    auto scale = [&](workload::ParallelSpec& p, const std::string& what) {
        const long long model_parallel = static_cast<long long>(p.tp) * p.pp * p.cp;
        if (gpus % model_parallel != 0) {
            problems.push_back(what + ": TP" + std::to_string(p.tp) + " x PP" + std::to_string(p.pp) + " x CP" +
                               std::to_string(p.cp) + " = " + std::to_string(model_parallel) + " does not divide " +
                               std::to_string(gpus) + " GPUs");
            return;
        }
        p.dp = static_cast<int>(gpus / model_parallel);
    };
    scale(workload.parallel, "the pre-training layout");
    for (auto& e : workload.training.extension)
        if (e.parallel) scale(*e.parallel, "the " + stage_name(e) + " layout");
    if (!problems.empty()) throw workload::PlanError(context, std::move(problems));
    cluster.nodes = gpus / cluster.gpus_per_node;
}

} // namespace tcsim::run
