#include "scenario/uncertain_design.hpp"

#include "config/config_error.hpp"
#include "scenario/input_error.hpp"
#include "workload/plan_check.hpp"

#include <cstdint>
#include <random>
#include <string>

namespace tcsim::scenario {
namespace {

std::uint64_t splitmix64(std::uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30U)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27U)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31U);
}

/// A uniform in [0, 1) from the top 53 bits.
double uniform(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11U) * 0x1.0p-53; }

/// Every input at its median but those in `at` (index, value).
std::vector<config::KeyOverride> overrides_at(const std::vector<config::UncertainValue>& inputs,
                                              const std::vector<double>& values, const std::string& why) {
    std::vector<config::KeyOverride> out;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        const auto& v = inputs[i];
        out.push_back({v.kind, v.key, v.toml_text(values[i]),
                       "uncertain input " + v.name() + " = " + v.toml_text(values[i]) + " (" + why + ")"});
    }
    return out;
}

/// Loads the scenario at `values`; an error names the values.
Inputs load_at(const config::ConfigFiles& files, const std::vector<config::UncertainValue>& inputs,
               const std::vector<double>& values, const std::string& why, bool check, const Reload& reload) {
    const config::FilesWithOverrides at(files, overrides_at(inputs, values, why));
    std::string named;
    for (std::size_t i = 0; i < inputs.size(); ++i)
        named += (i > 0 ? ", " : "") + inputs[i].name() + " = " + inputs[i].toml_text(values[i]);
    try {
        return reload(at, check);
    } catch (const workload::PlanError& e) {
        throw InputError("with the uncertain inputs at " + why + " (" + named + "): " + e.what());
    } catch (const InputError& e) {
        throw InputError("with the uncertain inputs at " + why + " (" + named + "): " + e.what());
    }
}

} // namespace

std::shared_ptr<const UncertainDesign> design_uncertainty(const config::ConfigFiles& files,
                                                          const std::vector<config::UncertainValue>& inputs,
                                                          const Options& options, const Reload& reload) {
    auto design = std::make_shared<UncertainDesign>();
    design->inputs = inputs;
    std::vector<double> medians;
    for (const auto& v : inputs) medians.push_back(v.median());
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        std::vector<double> at = medians;
        at[i] = inputs[i].low_end();
        design->low.push_back(load_at(files, inputs, at, inputs[i].name() + " at its low end", true, reload));
        at[i] = inputs[i].high_end();
        design->high.push_back(load_at(files, inputs, at, inputs[i].name() + " at its high end", true, reload));
    }

    if (inputs.size() >= 2) {
        for (int flip = 0; flip < 2; ++flip) {
            UncertainDesign::Sample check;
            for (std::size_t i = 0; i < inputs.size(); ++i)
                check.values.push_back(inputs[i].quantile((i + static_cast<std::size_t>(flip)) % 2 == 0 ? 0.25 : 0.75));
            try {
                check.inputs =
                    load_at(files, inputs, check.values, "check point " + std::to_string(flip + 1), true, reload);
            } catch (const InputError&) {
                continue; // a layout this point cannot run: not a check of the interpolation
            }
            design->checks.push_back(std::move(check));
        }
    }

    // Latin-hypercube draws: per input, the N strata in a seeded random order.
    const auto n = static_cast<std::size_t>(std::max(1, options.samples));
    std::vector<std::vector<double>> draws(inputs.size(), std::vector<double>(n));
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        std::mt19937_64 rng(splitmix64(options.seed ^ splitmix64(0x756e6365727461ULL + i)));
        std::vector<std::size_t> strata(n);
        for (std::size_t s = 0; s < n; ++s) strata[s] = s;
        for (std::size_t s = n; s > 1; --s) {
            const auto j = static_cast<std::size_t>(uniform(rng) * static_cast<double>(s));
            std::swap(strata[s - 1], strata[std::min(j, s - 1)]);
        }
        for (std::size_t s = 0; s < n; ++s)
            draws[i][s] = inputs[i].quantile((static_cast<double>(strata[s]) + uniform(rng)) / static_cast<double>(n));
    }
    for (std::size_t s = 0; s < n; ++s) {
        UncertainDesign::Sample sample;
        for (std::size_t i = 0; i < inputs.size(); ++i) sample.values.push_back(draws[i][s]);
        sample.inputs = load_at(files, inputs, sample.values, "sample " + std::to_string(s + 1), false, reload);
        design->samples.push_back(std::move(sample));
    }
    return design;
}

} // namespace tcsim::scenario
