// Which layers each pipeline model chunk (model stage) holds.
//
// Contract
// - A custom layout (ParallelSpec::pipeline_layout, Megatron-Core's
//   --pipeline-model-parallel-layout, workload/pipeline_layout.hpp) places every part itself; the
//   MTP modules may then sit on another chunk than the loss (DeepSeek-V3's "...,m|L").
// - Otherwise two rules, chosen by ParallelSpec::pipeline_split:
//   balanced: contiguous stages minimising the largest stage's forward FLOPs, the embedding on
//     the first stage and the output head (with MTP modules) on the last, each weighed by its own
//     FLOPs (with split_embedding_and_loss each end is a unit of its own, costed as an average
//     layer, the tail at least its own FLOPs);
//   even: Megatron-LM's split by layer count (workload/even_split.hpp), the ends costing what
//     they cost on the chunks that hold them.
// - Model stages are model_stages(schedule, PP, VPP) (training/pipeline_schedule.hpp), in model
//   order; stage 0 holds the embedding and the last the head.
// - Throws workload::PlanError if the even split does not fit the layout (check_plan reports
//   the same first), std::invalid_argument if there are fewer units than stages.
#pragma once

#include "workload/model_spec.hpp"
#include "workload/parallel_spec.hpp"

#include <vector>

namespace tcsim::training {

/// Which layers (and embedding / head) each model stage holds.
struct StageLayers {
    bool embedding = false;
    int first_layer = 0; ///< [first_layer, last_layer) of the main model
    int last_layer = 0;
    bool head = false; ///< final norm, output head and loss (of the main model and every MTP module)
    int first_mtp = 0; ///< [first_mtp, last_mtp): the MTP modules' projections and layers held here
    int last_mtp = 0;  ///< (with the split rules, all of them, on the stage holding the head)
    [[nodiscard]] int layers() const { return last_layer - first_layer; }
    [[nodiscard]] int mtp_modules() const { return last_mtp - first_mtp; }
};

/// The split of `model` into the model stages of layout `parallel` by its pipeline_split rule.
std::vector<StageLayers> partition_stages(const workload::ModelSpec& model, int seq_len,
                                          const workload::ParallelSpec& parallel);

/// The balanced rule alone: a contiguous split into `stages` stages minimising the largest
/// stage's forward FLOPs. The embedding goes to the first stage and the head (with MTP) to the
/// last; with `split_ends` they count as units of their own, each costed as an average layer (the
/// tail at least its own FLOPs), as Megatron-LM's --account-for-embedding/loss-in-pipeline-split
/// do: with as many stages as units the first holds only the embedding and the last only the
/// head. Throws std::invalid_argument if there are fewer units than stages.
std::vector<StageLayers> balanced_stages(const workload::ModelSpec& model, int seq_len, int stages,
                                         bool split_ends = false);

/// Forward FLOPs per token of one stage's work: its layers, and the output head with the MTP
/// modules if it holds them (the embedding is a lookup: no FLOPs). The balanced rule weighs
/// stages by it; `tcsim explain` shows it.
double stage_forward_flops_per_token(const workload::ModelSpec& model, int seq_len, const StageLayers& stage);

} // namespace tcsim::training
