#include "search/screen.hpp"

#include "training/step_simulator.hpp"

namespace tcsim::search {

double screen_step_seconds(const topology::ClusterSpec& cluster, const workload::Workload& w,
                           int global_batch_sequences) {
    const workload::ParallelSpec& p = w.parallel;
    const int per_micro_batch = p.dp * p.micro_batch_sequences; // sequences per micro-batch, all replicas
    const int m = global_batch_sequences / per_micro_batch;
    // M1: every stage reaches its steady state (interleaved 1F1B also needs a multiple of PP).
    const int m1 = p.schedule == workload::PipelineSchedule::dualpipe ? 2 * p.pp : p.pp;
    const int m2 = 2 * m1;
    training::StepOptions options;
    options.network = network::NetworkKind::alpha_beta;
    const int s = w.training.seq_len;
    if (m <= m2) return training::simulate_step(cluster, w, s, global_batch_sequences, nullptr, options).step_seconds;
    const double t1 = training::simulate_step(cluster, w, s, m1 * per_micro_batch, nullptr, options).step_seconds;
    const double t2 = training::simulate_step(cluster, w, s, m2 * per_micro_batch, nullptr, options).step_seconds;
    return t1 + (t2 - t1) * static_cast<double>(m - m1) / static_cast<double>(m2 - m1);
}

} // namespace tcsim::search
