// Claims about training runs, checked against a simulated run (DESIGN.md, "Claims").
//
// A claim names a workload, a cluster and any of a duration, GPU-hours and dollars, with its
// source. Each claimed figure is compared with the simulated distribution of the same figure
// (pre-training only, or pre-training + context extension) and gets a verdict in plain words.
//
// Verdict thresholds, from the simulation's own uncertainty
// - The simulated spread: p5 and p95 of the Monte Carlo over failures, restarts and checkpoints.
// - The model's uncertainty u = 25 %: wider than tcsim's misses on end-to-end records with
//   published setups in calibrations/ (DeepSeek-V3 pre-training -5 %, held to +-10 % by
//   tests/sim/test_deepseek_v3.cpp; Llama 3.1 Table 4 within 6 %; the largest, Llama 3.1's full
//   run at -15 %, holds a long-context stage the workload omits), leaving room for what a claim
//   does not publish (its layout, its software).
// - The consistent band is [p5 / (1 + u), p95 x (1 + u)]. A claimed figure C (less any part
//   the claim itself says the simulation does not cover, e.g. post-training GPU-hours) is
//     consistent    inside the band;
//     pessimistic   above it: more time or money than the run needs (slack, ablations, idle
//                   time, or a less efficient implementation than simulated);
//     optimistic    below it by at most one more factor (1 + u): faster or cheaper than tcsim
//                   can explain, but within twice its uncertainty;
//     inconsistent  further below, or needing more than 100 % MFU: physically implausible.
//   An upper bound ("in under two months") is consistent when the band's low end is within
//   it, and never pessimistic; a lower bound ("more than $100M") mirrors that.
// - For context, each figure also states the MFU it implies (model FLOPs of the simulated
//   tokens / (claimed GPU-seconds x dense BF16 peak)), the simulated run-average MFU (with
//   failures, at p50) and the best MFU published for the GPU, and what would have to be true
//   for the claim to hold at the simulation's p50 (an MFU; for durations, a GPU count).
#pragma once

#include "economics/assessment.hpp"
#include "units/quantity.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tcsim::economics {

inline constexpr double kModelUncertainty = 0.25; ///< u above, and its sources

enum class Verdict { consistent, optimistic, pessimistic, inconsistent };
enum class ClaimedQuantity { duration_days, gpu_hours, cost_usd };
enum class ClaimScope { pretraining, total };
enum class ClaimBound { about, at_most, at_least };

std::string_view to_string(Verdict verdict);
std::string_view to_string(ClaimedQuantity quantity);
std::string_view to_string(ClaimScope scope);
std::string_view to_string(ClaimBound bound);

struct ClaimedFigure {
    ClaimedQuantity quantity = ClaimedQuantity::gpu_hours;
    ClaimScope scope = ClaimScope::total;
    ClaimBound bound = ClaimBound::about;
    double value = 0;       ///< days, GPU-hours or US dollars
    double unsimulated = 0; ///< part of `value` the simulation does not cover (same unit)
    std::string note;       ///< what the unsimulated part is, or how the value was read
};

struct Claim {
    std::string name;
    std::string statement; ///< the claim as its source words it
    std::string source;
    std::vector<ClaimedFigure> figures;
    std::optional<RentalPrice> price; ///< the claim's own rental price (turns dollars into GPU-hours)
};

/// The best end-to-end MFU published for a GPU (dense BF16 peak), with its source.
struct MfuRecord {
    double mfu = 0;
    std::string source;
};

struct FigureCheck {
    ClaimedFigure claimed;
    run::Percentiles simulated; ///< the same figure, simulated (with failures)
    double compared = 0;        ///< claimed value less its unsimulated part
    double band_low = 0;
    double band_high = 0;
    double difference_pct = 0; ///< (compared - p50) / p50 x 100
    Verdict verdict = Verdict::consistent;
    double implied_mfu = 0;            ///< from the claimed figure
    double simulated_mfu = 0;          ///< run average with failures, at p50
    std::optional<double> gpus_needed; ///< duration claims: GPUs for the claim at tcsim's per-GPU throughput
    double price_needed = 0;           ///< dollar claims: the rental price per GPU-hour that would make it hold
    std::string explanation;           ///< one or two plain sentences
};

struct ClaimCheck {
    Claim claim;
    std::vector<FigureCheck> figures;
    Verdict verdict = Verdict::consistent; ///< the worst of the figures' verdicts
    std::optional<MfuRecord> best_mfu;
    std::string gpu;
    int gpus = 0;
};

ClaimCheck check_claim(const Claim& claim, const Assessment& assessment, const std::string& gpu,
                       const std::optional<MfuRecord>& best_mfu, double model_uncertainty = kModelUncertainty);

/// "consistent within tcsim's band [p5 / 1.25, p95 x 1.25]; optimistic up to a further factor
/// 1.25 below it; inconsistent beyond that or above 100 % MFU; pessimistic above the band".
std::string verdict_rule(double model_uncertainty = kModelUncertainty);

} // namespace tcsim::economics
