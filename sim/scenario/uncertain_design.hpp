// The inputs an uncertain scenario is evaluated at (issue 20): its uncertain keys (ranges and
// distributions the loaders met, config/uncertain_value.hpp), the design the step is simulated
// at, and the Monte Carlo samples' inputs.
//
// Approach. Re-simulating a training step per Monte Carlo sample is too slow (seconds each), so:
// - Design: the median scenario (every uncertain key at its median: what the loaders load) plus,
//   for each uncertain key, the scenario with that key at its low end and at its high end and
//   every other key at its median (1 + 2k scenarios for k keys). Each is loaded and checked in
//   full (a layout an end makes impossible is refused here, naming the key), and simulated by
//   scenario::evaluate (uncertainty.hpp). With two uncertain keys or more, two check points
//   that move every key at once are simulated too, to measure the interpolation's error.
// - Samples: N (the run's Monte Carlo sample count) draws of every key, Latin-hypercube
//   stratified per key (each key's N draws fall one in each of N equal-probability strata),
//   seeded from the run's seed. Each sample's scenario is loaded from the files with its draws
//   as overrides (cheap: no step is simulated and its layout is not checked), so keys that
//   enter pricing and reliability (price per GPU-hour, failure rate, restart time, GPU count
//   as priced) are exact per sample; only its failure-free stage times come from the design.
// - Determinism: draws from std::mt19937_64 seeded through SplitMix64 from (seed, key index),
//   uniforms from 53 bits, strata shuffled by Fisher-Yates on those uniforms: the same seed gives
//   the same draws on every platform.
#pragma once

#include "config/config_files.hpp"
#include "config/uncertain_value.hpp"
#include "scenario/inputs.hpp"

#include <functional>
#include <memory>
#include <vector>

namespace tcsim::scenario {

struct UncertainDesign {
    std::vector<config::UncertainValue> inputs;
    std::vector<Inputs> low;  ///< per input: at its low end, the others at their medians (checked)
    std::vector<Inputs> high; ///< ... at its high end
    struct Sample {
        std::vector<double> values; ///< per input, the value drawn
        Inputs inputs;              ///< loaded with those values; layouts not checked, no claims
    };
    std::vector<Sample> samples;
    /// With two inputs or more, points that move every input at once (each at its 25th or 75th
    /// percentile, alternating, and the opposite), checked and simulated to measure the additive
    /// model's error; a point whose layout cannot run is left out.
    std::vector<Sample> checks;
};

/// Loads the scenario from `files` (their overrides applied); `check`: check every layout.
using Reload = std::function<Inputs(const config::ConfigFiles& files, bool check)>;

/// The design and samples of `inputs` (non-empty) around a scenario loaded from `files` with
/// `options` (its seed and sample count). A scenario an end or a draw makes impossible throws
/// InputError naming the key and the value.
[[nodiscard]] std::shared_ptr<const UncertainDesign>
design_uncertainty(const config::ConfigFiles& files, const std::vector<config::UncertainValue>& inputs,
                   const Options& options, const Reload& reload);

} // namespace tcsim::scenario
