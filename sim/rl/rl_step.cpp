#include "rl/rl_step.hpp"

#include <algorithm>
#include <stdexcept>

namespace tcsim::rl {

RlStepResult price_rl_step(const RlStepInputs& in) {
    if (in.trainer_gpus < 1) throw std::invalid_argument("RL step: trainer GPUs must be at least 1");
    RlStepResult r;
    if (in.placement == Placement::colocated) {
        if (!(in.nvlink.value() > 0)) throw std::invalid_argument("RL step: NVLink bandwidth must be positive");
        r.weight_sync = in.weights_per_rollout_gpu / in.nvlink;
        r.gpus = in.trainer_gpus;
    } else {
        if (in.rollout_gpus < 1) throw std::invalid_argument("RL step: separate placement needs rollout GPUs");
        if (!(in.network.value() > 0)) throw std::invalid_argument("RL step: network bandwidth must be positive");
        r.weight_sync = in.weights_per_rollout_gpu / in.network;
        r.gpus = in.trainer_gpus + in.rollout_gpus;
    }
    if (in.asynchronous) {
        if (in.placement != Placement::separate)
            throw std::invalid_argument("RL step: an asynchronous rollout needs its own GPUs (separate placement)");
        r.time = std::max(r.weight_sync + in.rollout, in.scoring + in.update);
        return r;
    }
    r.time = in.rollout + r.weight_sync + in.scoring + in.update;
    return r;
}

} // namespace tcsim::rl
