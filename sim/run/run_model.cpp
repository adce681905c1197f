#include "run/run_model.hpp"

#include "replay/step_simulator.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <utility>

namespace tcsim::run {

namespace {

/// Smallest batch step the layout can run, and the smallest batch.
struct BatchGrid {
    int quantum = 1;
    int minimum = 1;
};

BatchGrid grid_of(const workload::Workload& w) {
    const auto& p = w.parallel;
    BatchGrid g;
    g.quantum = p.dp * p.micro_batch_sequences;
    g.minimum = g.quantum;
    if (p.schedule == workload::PipelineSchedule::dualpipe) {
        g.quantum *= 2;                       // even micro-batch count
        g.minimum = g.quantum * p.pp;         // at least 2 x PP micro-batches
    } else if (p.schedule == workload::PipelineSchedule::interleaved_1f1b) {
        g.quantum *= p.pp;                    // a multiple of PP micro-batches
        g.minimum = g.quantum;
    }
    return g;
}

int runnable_batch(const BatchGrid& g, double batch) {
    const double rounded = std::round(batch / g.quantum) * g.quantum;
    return std::max(g.minimum, static_cast<int>(rounded));
}

} // namespace

RunResult simulate_run(const topology::ClusterSpec& cluster, const workload::Workload& workload,
                       const RunOptions& options) {
    const auto& t = workload.training;
    const BatchGrid grid = grid_of(workload);
    std::map<std::pair<int, int>, replay::StepResult> steps;  // (seq_len, batch) -> step
    auto step_for = [&](int seq_len, int batch) -> const replay::StepResult& {
        const auto key = std::make_pair(seq_len, batch);
        auto it = steps.find(key);
        if (it == steps.end()) it = steps.emplace(key, replay::simulate_step(cluster, workload, seq_len, batch)).first;
        return it->second;
    };
    RunResult out;
    out.gpus = workload.parallel.gpus();
    auto add_phase = [&](std::string name, bool extension, int seq_len, double batch, double tokens) {
        RunPhase ph;
        ph.name = std::move(name);
        ph.extension = extension;
        ph.seq_len = seq_len;
        ph.global_batch_sequences = static_cast<int>(std::lround(batch));
        ph.simulated_batch_sequences = runnable_batch(grid, batch);
        ph.step = step_for(seq_len, ph.simulated_batch_sequences);
        ph.tokens = tokens;
        ph.steps = tokens / (batch * seq_len);
        ph.seconds = tokens / (ph.step.tokens_per_step / ph.step.step_seconds);
        (extension ? out.extension_seconds : out.pretrain_seconds) += ph.seconds;
        if (!extension) out.pretrain_tokens += tokens;
        out.phases.push_back(std::move(ph));
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
            add_phase("ramp " + std::to_string(i + 1) + "/" + std::to_string(k), false, t.seq_len, batch, ramp_tokens / k);
        }
    }
    if (t.tokens > ramp_tokens) add_phase("steady", false, t.seq_len, t.global_batch_sequences, t.tokens - ramp_tokens);
    if (options.include_extension) {
        for (const auto& e : t.extension) {
            const double tokens = static_cast<double>(e.steps) * e.global_batch_sequences * e.seq_len;
            add_phase("extension " + std::to_string(e.seq_len / 1024) + "K", true, e.seq_len, e.global_batch_sequences, tokens);
        }
    }
    return out;
}

} // namespace tcsim::run
