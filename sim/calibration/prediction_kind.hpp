// Kinds of prediction, the unit of tcsim's measured uncertainty (issue 21): one published value
// is a GEMM's throughput, a collective's bandwidth, an expert all-to-all's bandwidth, a dense or
// a mixture-of-experts training step (step time, TFLOP/s, MFU, tokens/s, the expert
// communication ratio), a whole run (its GPU-hours or days), the post-training stages of a run
// (their GPU-hours: SFT and RL, whose RL steps are mostly rollouts, i.e. decode, so their error
// is the serving model's as much as the training step's: a kind of its own, kept out of the
// whole-run distribution that the claim verdicts read) or a serving rate.
//
// Contract: classify() depends only on the record's kind, the value's metric and whether the
// record's model has routed experts; every value of every calibration file has exactly one kind.
#pragma once

#include "calibration/calibration_record.hpp"

#include <array>
#include <string_view>

namespace tcsim::calibration {

enum class PredictionKind {
    gemm,
    collective,
    expert_all_to_all,
    dense_step,
    moe_step,
    whole_run,
    post_training,
    serving
};

inline constexpr std::array<PredictionKind, 8> kPredictionKinds{
    PredictionKind::gemm,     PredictionKind::collective, PredictionKind::expert_all_to_all, PredictionKind::dense_step,
    PredictionKind::moe_step, PredictionKind::whole_run,  PredictionKind::post_training,     PredictionKind::serving};

/// "gemm", "collective", "expert_all_to_all", "dense_step", "moe_step", "whole_run",
/// "post_training", "serving".
[[nodiscard]] std::string_view to_string(PredictionKind kind);

/// What a published value of `metric` on a record of `kind` predicts; `moe`: the record's model
/// has routed experts (step and run records).
[[nodiscard]] PredictionKind classify(RecordKind kind, Metric metric, bool moe);

} // namespace tcsim::calibration
