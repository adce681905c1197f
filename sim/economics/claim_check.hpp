// Claims about training runs as their sources state them, checked against a simulated run
// (DESIGN.md, "Claims").
//
// A claim names a workload, a cluster and one or more claimed figures, with its source. A figure
// is a point ("$5.576M"), an upper bound ("in under two months"), a lower bound ("$100M+") or a
// range ("90-100 days") of days, GPU-hours, dollars, a GPU count or an MFU; or the hardware
// (the GPU's vendor or model, possibly negated: "without NVIDIA chips"). Each figure has a scope:
// the stages its words cover (pre-training, context extension, SFT, RL; "all" for every one).
// Several claims about one scenario are checked against one simulation.
//
// Verdicts, in words that cannot be misread (each with one sentence of why):
//   plausible      inside tcsim's band (below), or the hardware matches;
//   overstated     above the band: more time or money than the simulated run needs (slack,
//                  ablations, idle time, or a less efficient implementation than simulated);
//                  for an MFU, less than the simulation reaches;
//   unlikely       below the band by at most one more factor (1 + u): "would need" an MFU or a
//                  GPU count beyond what tcsim simulates, but within twice its uncertainty;
//   implausible    further below, above 100 % MFU, or hardware the scenario does not have:
//                  "would need X";
//   out_of_scope   the figure covers other stages than the claim's words (the claim file's
//                  `covers` says so), or stages tcsim does not simulate (e.g. SFT, RL) with no
//                  stated unsimulated part: "the figure covers Y". The numbers for the stages
//                  tcsim does simulate are still given.
//
// Thresholds, from the simulation's own uncertainty
// - The simulated spread: p5 and p95 of the Monte Carlo over failures, restarts and checkpoints.
// - The model's uncertainty, measured (ModelUncertainty): how far published whole-run figures
//   fell from tcsim's predictions in calibrations/, as the factors `low` (<= 1) and `high`
//   (>= 1) = the p10 and p90 of published / tcsim over the predicted (not in-sample) whole-run
//   values, known gaps included (`tcsim validate --by-kind`; topologies/model_uncertainty.toml,
//   which a test keeps equal to what validation measures). Published whole runs include what a
//   simulation of the final run does not (restarts, repeated work, unpublished stages), so
//   `high` is the wider side. Without that file: kDefaultModelUncertainty (25 % either way).
// - The band is [p5 x low, p95 x high]. A claimed point C (less any part the claim itself
//   says the simulation does not cover, e.g. post-training GPU-hours) is plausible inside it,
//   overstated above, unlikely below by at most a further factor low, implausible beyond that or
//   when it needs more than 100 % MFU. An upper bound is plausible when the band's low end is
//   within it (never overstated: finishing early is allowed); a lower bound is plausible when
//   the band's high end reaches it (never unlikely: spending more is allowed) and overstated
//   when the whole band lies below it. A range is plausible when it meets the band; its high
//   end is judged as a point below the band, its low end above it.
// - A GPU count is judged against the scenario's count with the same factors; an MFU against the
//   simulated run-average MFU (with failures, at p50) with the same factors, inverted (band
//   [MFU / high, MFU / low]).
// - For context, each duration, GPU-hour or dollar figure states the MFU it implies (model
//   FLOPs of the simulated tokens / (claimed GPU-seconds x dense BF16 peak)), the simulated
//   run-average MFU and the best published for the GPU, and what would have to be true for the
//   claim to hold at the simulation's p50 (an MFU; for durations, a GPU count).
#pragma once

#include "economics/assessment.hpp"
#include "units/quantity.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tcsim::economics {

/// The band's factors around the simulated spread, and where they come from.
struct ModelUncertainty {
    double low = 1.0 / 1.25; ///< published / tcsim at p10, at most 1
    double high = 1.25;      ///< published / tcsim at p90, at least 1
    /// published / tcsim at its lowest (at most `low`): a claim this far below tcsim has happened
    /// on a published run, so it is never called implausible (see further_low).
    double worst_low = 1.0 / (1.25 * 1.25);
    std::string basis = "an assumed 25 % either way (no measured model uncertainty given)";
    /// How far below the band "unlikely" reaches before "implausible": the band's own factor
    /// again, or as far as tcsim's worst recorded miss in that direction if that is further.
    /// (A worst miss equal to low x low, as in the assumed default, leaves the factor exactly low.)
    [[nodiscard]] double further_low() const { return worst_beyond_band() ? worst_low / low : low; }
    [[nodiscard]] bool worst_beyond_band() const { return worst_low / low < low * (1 - 1e-9); }
};
inline const ModelUncertainty kDefaultModelUncertainty{};

enum class Verdict { plausible, overstated, unlikely, implausible, out_of_scope };
enum class ClaimedQuantity { duration_days, gpu_hours, cost_usd, gpu_count, mfu, hardware };
enum class ClaimBound { about, at_most, at_least, between };

/// Training stages a figure covers.
struct Stages {
    bool pretraining = false;
    bool context_extension = false;
    bool sft = false;
    bool rl = false;
    friend bool operator==(const Stages&, const Stages&) = default;
};
inline constexpr Stages kPretraining{true, false, false, false};
inline constexpr Stages kPretrainingAndExtension{true, true, false, false};
inline constexpr Stages kAllStages{true, true, true, true};

std::string_view to_string(Verdict verdict);
std::string_view to_string(ClaimedQuantity quantity);
std::string_view to_string(ClaimBound bound);
/// "pretraining", "pretraining+context_extension", "all", ... (the claim files' spelling).
std::string to_string(Stages stages);
/// "pre-training and context extension", "pre-training, context extension, SFT and RL".
std::string stage_words(Stages stages);

struct ClaimedFigure {
    ClaimedQuantity quantity = ClaimedQuantity::gpu_hours;
    Stages scope = kPretrainingAndExtension;
    ClaimBound bound = ClaimBound::about;
    double value = 0;       ///< days, GPU-hours, US dollars, GPUs or an MFU fraction; `between`: the low end
    double value_high = 0;  ///< `between`: the high end
    double unsimulated = 0; ///< part of `value` the simulation does not cover (same unit)
    std::string note;       ///< what the unsimulated part is, or how the value was read
    std::string covers;     ///< non-empty: what the figure really covers, when the claim's words say more
    std::string vendor;     ///< hardware: the GPU's maker claimed ("NVIDIA")
    std::string model;      ///< hardware: the GPU model claimed ("H800")
    bool negated = false;   ///< hardware: "without" the vendor or model
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

/// The simulated GPU: its catalog name and maker.
struct SimulatedGpu {
    std::string name;
    std::string vendor;
};

struct FigureCheck {
    ClaimedFigure claimed;
    run::Percentiles simulated; ///< the same figure, simulated (with failures), for the stages tcsim covers
    Stages simulated_stages;    ///< the claim's stages that tcsim simulated
    double compared = 0;        ///< claimed value less its unsimulated part
    double band_low = 0;
    double band_high = 0;
    double difference_pct = 0; ///< (compared - p50) / p50 x 100
    Verdict verdict = Verdict::plausible;
    std::string headline;              ///< "plausible", "implausible: would need ...", "out of scope: ..."
    double implied_mfu = 0;            ///< from the claimed figure (0 for counts, MFU and hardware)
    double simulated_mfu = 0;          ///< run average with failures, at p50
    std::optional<double> gpus_needed; ///< duration claims: GPUs for the claim at tcsim's per-GPU throughput
    double price_needed = 0;           ///< dollar claims: the rental price per GPU-hour that would make it hold
    std::string explanation;           ///< one or two plain sentences
    /// When the figure covers post-training stages tcsim simulated: each part's p50 on its own
    /// line ("pre-training and context extension: 2.8M GPU-hours, $5.61M"), in run order.
    std::vector<std::string> stage_lines;
};

struct ClaimCheck {
    Claim claim;
    std::vector<FigureCheck> figures;
    Verdict verdict = Verdict::plausible; ///< the worst of the figures' verdicts
    std::string headline;                 ///< the headline of the figure that decided the verdict
    std::optional<MfuRecord> best_mfu;
    std::string gpu;
    std::string gpu_vendor;
    int gpus = 0;
};

/// Whether a verdict says the claim is not supported (`tcsim check` exits 4): unlikely or implausible.
bool unsupported(Verdict verdict);

ClaimCheck check_claim(const Claim& claim, const Assessment& assessment, const SimulatedGpu& gpu,
                       const std::optional<MfuRecord>& best_mfu,
                       const ModelUncertainty& uncertainty = kDefaultModelUncertainty);

/// How the verdicts were decided, in one sentence with the band's factors.
std::string verdict_rule(const ModelUncertainty& uncertainty = kDefaultModelUncertainty);

} // namespace tcsim::economics
