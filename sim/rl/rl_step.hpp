// One synchronous RL step (GRPO or PPO) after its rollout: weight synchronisation between the
// trainer and the rollout engines, the forward passes that score the samples, and the policy
// update, with the GPUs it holds under either placement.
//
//   step = rollout + weight sync + scoring forwards + update   (on-policy: each waits for the
//          one before; GRPO, Shao et al. arXiv:2402.03300 Alg. 1)
//
// Asynchronous (one-step off-policy; Noukhovitch et al., "Asynchronous RLHF", arXiv:2410.18252,
// Sec. 3): on separate GPUs the rollout engines generate the next step's samples with the
// previous weights while the trainers score and learn on this step's, so in steady state
//   step = max(weight sync + rollout, scoring forwards + update)
// (the engines receive the new weights, then generate; the trainers never wait for them unless
// generation is the longer). Colocated GPUs cannot do both at once: refused.
//
// Placement (HybridFlow/veRL, Sheng et al. EuroSys'25, Sec. 5: colocated "3D-HybridEngine"
// vs. separate rollout and training pools):
//   colocated  the trainer's GPUs generate too: before the rollout each GPU regathers its
//              inference-layout shard of the new weights from its training-layout shards inside
//              its node: weights per rollout GPU / NVLink bandwidth; the step holds
//              trainer_gpus GPUs.
//   separate   rollout engines on their own GPUs: after the update every rollout GPU receives
//              its shard over the scale-out network from the trainers (a pipelined broadcast
//              costs each receiver its bytes over its NIC bandwidth); the step holds
//              trainer_gpus + rollout_gpus GPUs, each pool idle while the other works.
// The two differ for stated reasons: the sync's link (NVLink inside a node vs. the NICs) and
// the GPUs held through the whole step.
//
// Contract: pure; the rollout, scoring and update times come from the caller (rollout.hpp, the
// serve part, training::simulate_step). Throws std::invalid_argument for non-positive GPU
// counts or bandwidths, and for an asynchronous step on colocated GPUs.
#pragma once

#include "units/quantity.hpp"

namespace tcsim::rl {

enum class Placement { colocated, separate };

struct RlStepInputs {
    Placement placement = Placement::colocated;
    bool asynchronous = false; ///< one-step off-policy: the rollout overlaps scoring and the update (separate only)
    units::Seconds rollout{0.0};
    units::Seconds scoring{0.0}; ///< reference and old-policy log-probs (+ reward or critic model) forwards
    units::Seconds update{0.0};  ///< the policy (and critic) update as training steps
    int trainer_gpus = 0;
    int rollout_gpus = 0;                 ///< separate only
    units::Bytes weights_per_rollout_gpu; ///< the inference layout's shard
    units::Bandwidth nvlink;              ///< per GPU, one direction, at its achievable fraction
    units::Bandwidth network;             ///< per GPU, one direction, at its achievable fraction
};

struct RlStepResult {
    units::Seconds time{0.0};
    units::Seconds weight_sync{0.0};
    int gpus = 0; ///< held for the whole step
    [[nodiscard]] double gpu_hours() const { return gpus * time.count() / 3600.0; }
};

[[nodiscard]] RlStepResult price_rl_step(const RlStepInputs& in);

} // namespace tcsim::rl
