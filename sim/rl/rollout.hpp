// Rollouts as a discrete-event process: an RL step's samples generated on inference engines
// with continuous batching, until the last response is done.
//
// Each engine is a process on the engine (engine/process.hpp) with `slots` batch slots. Samples
// wait in one queue in their order; before every decode step an engine fills its free slots from
// the queue (continuous batching, Orca OSDI'22), then decodes one token for every sequence it
// holds, taking step_cost(batch, mean context) of simulated time; a sequence whose response has
// reached its length leaves its slot. The rollout ends when every engine has drained: a
// synchronous RL step waits for its longest responses while the slots empty around them, and a
// step cost that falls with the batch (memory-bound decode reads the weights whatever the batch)
// makes that tail cheaper per step but not shorter in steps.
//
// Contract: deterministic (engines start in index order; ties run in scheduling order). The
// cost callback is the only physics: it knows the GPUs, this process does not. Throws
// std::invalid_argument for no samples, a length below 1, fewer than one engine or slot, or a
// cost that is not positive.
#pragma once

#include "units/quantity.hpp"

#include <functional>
#include <vector>

namespace tcsim::rl {

struct RolloutEngines {
    int engines = 1;
    int slots = 1;            ///< sequences one engine decodes at once
    double prompt_tokens = 0; ///< context every sample starts from
};

/// Seconds of one decode step of `batch` sequences whose mean context is `mean_context` tokens.
using DecodeStepCost = std::function<units::Seconds(int batch, double mean_context)>;

struct RolloutResult {
    units::Seconds time{0.0}; ///< first step to the last engine drained
    long long longest_engine_steps = 0;
    double generated_tokens = 0;
    /// Occupied slot-steps over engines x slots x the busiest engine's steps: the share of the
    /// batch slots the long tail leaves empty is 1 minus this.
    double slot_utilisation = 0;
};

[[nodiscard]] RolloutResult simulate_rollout(const std::vector<int>& response_lengths, const RolloutEngines& engines,
                                             const DecodeStepCost& step_cost);

} // namespace tcsim::rl
