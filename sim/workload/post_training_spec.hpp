// Stages after pre-training (and context extension): supervised fine-tuning and reinforcement
// learning, each a job of its own on its own layout.
//
//   sft  a training phase like pre-training with its own tokens, sequence length and batch;
//   rl   RL steps (rl/rl_step.hpp; synchronous on-policy, or asynchronous one-step off-policy
//        on separate rollout GPUs): each step generates `group_size`
//        samples for each of `prompts_per_step` prompts (GRPO, Shao et al. arXiv:2402.03300:
//        a group per prompt, no critic; PPO, Schulman et al. arXiv:1707.06347 as used for
//        LLMs by Ouyang et al. arXiv:2203.02155: a critic (value model) scored and updated
//        too), scores them with forward passes (reference and old-policy log-probs, the
//        reward model when the reward is model-based, PPO's critic) and updates the policy
//        on the generated tokens. Response lengths are log-normal (rl/response_lengths.hpp).
//
// Contract: plain data, filled by config/load_workload.cpp (which checks each key's range) and
// priced by run/post_training.hpp. The layout of a stage is the pre-training one with the
// stage's own keys overriding it; its GPUs are that layout's.
#pragma once

#include "hardware/dtype.hpp"
#include "workload/parallel_spec.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace tcsim::workload {

enum class PostTrainingKind { sft, rl };
enum class RlAlgorithm { grpo, ppo };
enum class RewardKind { rule, model };
enum class RolloutPlacement { colocated, separate };
/// synchronous: each step waits for its rollout; asynchronous: one-step off-policy, the next
/// rollout overlapping this step's scoring and update (separate placement only; rl/rl_step.hpp).
enum class RolloutMode { synchronous, asynchronous };

/// The rollout engines' serving layout (serve/serve_spec.hpp's words): one engine is one
/// attention replica of a tp x dp x pp unit; ep spreads the routed experts over the unit.
struct RolloutLayout {
    int tp = 1;
    int dp = 1;
    int pp = 1;
    int ep = 1;
    hardware::Dtype weight_dtype = hardware::Dtype::bf16;
    /// Sequences one engine decodes at once; 0: as many as its KV cache holds at the longest
    /// response (serve/serve_model.hpp's memory limit).
    int slots = 0;
};

struct RlSpec {
    RlAlgorithm algorithm = RlAlgorithm::grpo;
    long long steps = 0;      ///< policy updates
    int prompts_per_step = 0; ///< Q
    int group_size = 1;       ///< G samples per prompt (PPO: usually 1)
    /// Policy updates per rollout: one rollout generates updates_per_rollout x Q x G samples,
    /// split into that many mini-batches of Q x G, each one update (one step).
    int updates_per_rollout = 1;
    int prompt_tokens = 0;       ///< per prompt
    double response_median = 0;  ///< tokens, log-normal median
    double response_sigma = 0;   ///< of ln(length)
    int max_response_tokens = 0; ///< generation stops here
    RewardKind reward = RewardKind::rule;
    RolloutPlacement placement = RolloutPlacement::colocated;
    RolloutMode mode = RolloutMode::synchronous;
    int rollout_gpus = 0; ///< separate placement only
    RolloutLayout rollout;
    std::uint64_t seed = 1; ///< of the response lengths
};

struct SftSpec {
    double tokens = 0;
    int seq_len = 0;
    int global_batch_sequences = 0;
};

struct PostTrainingStage {
    std::string name;
    PostTrainingKind kind = PostTrainingKind::sft;
    ParallelSpec parallel; ///< the stage's training layout (pre-training's, keys overridden)
    SftSpec sft;           ///< kind == sft
    RlSpec rl;             ///< kind == rl
};

constexpr std::string_view to_string(PostTrainingKind k) { return k == PostTrainingKind::sft ? "sft" : "rl"; }
constexpr std::string_view to_string(RlAlgorithm a) { return a == RlAlgorithm::grpo ? "grpo" : "ppo"; }
constexpr std::string_view to_string(RewardKind r) { return r == RewardKind::rule ? "rule" : "model"; }
constexpr std::string_view to_string(RolloutMode m) {
    return m == RolloutMode::synchronous ? "synchronous" : "asynchronous";
}
constexpr std::string_view to_string(RolloutPlacement p) {
    return p == RolloutPlacement::colocated ? "colocated" : "separate";
}

} // namespace tcsim::workload
