#include "run/expected_work.hpp"

#include <algorithm>

namespace tcsim::run {

double expected_step_seconds(const workload::ParallelSpec& p, int layers, int global_batch, bool full) {
    const double micro_batches =
        static_cast<double>(global_batch) / std::max(1, p.dp) / std::max(1, p.micro_batch_sequences);
    const double ops = micro_batches * std::max(1, layers) * (4.0 + std::max(1, p.cp)) * 4.0;
    const double copies = static_cast<double>(p.gpus()) / std::max(1, p.pp);
    if (full) return ops * copies * 1e-6;
    return ops * (0.45e-6 + 3.2e-9 * copies);
}

double expected_rollout_seconds(int engines, int max_response_tokens) {
    return 7e-9 * std::max(1, engines) * std::max(1, max_response_tokens);
}

} // namespace tcsim::run
