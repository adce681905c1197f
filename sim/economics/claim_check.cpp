// Claim verdicts. The sentences are built here, not in the report writers, so that the table,
// the JSON and the default scenario's paragraph all say the same thing.
#include "economics/claim_check.hpp"

#include "units/number_text.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <limits>
#include <stdexcept>

namespace tcsim::economics {

namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

/// The number alone, as amount() writes it.
std::string bare(ClaimedQuantity q, double v) {
    switch (q) {
    case ClaimedQuantity::duration_days: return units::printf_number(v < 100 ? "%.1f" : "%.0f", v);
    case ClaimedQuantity::gpu_hours: return units::short_number(v);
    case ClaimedQuantity::cost_usd: return "$" + units::short_number(v);
    case ClaimedQuantity::gpu_count: return units::with_thousands(v);
    case ClaimedQuantity::mfu: return units::printf_number("%.1f%%", v * 100.0);
    case ClaimedQuantity::hardware: return "";
    }
    return "?";
}

std::string unit_of(ClaimedQuantity q) {
    switch (q) {
    case ClaimedQuantity::duration_days: return " days";
    case ClaimedQuantity::gpu_hours: return " GPU-hours";
    case ClaimedQuantity::gpu_count: return " GPUs";
    case ClaimedQuantity::mfu: return " MFU";
    case ClaimedQuantity::cost_usd:
    case ClaimedQuantity::hardware: return "";
    }
    return "";
}

std::string amount(ClaimedQuantity q, double v) { return bare(q, v) + unit_of(q); }

/// "2.33M-2.34M GPU-hours", "44.0-44.3 days", "$4.65M-$4.68M".
std::string range(ClaimedQuantity q, double lo, double hi) { return bare(q, lo) + "-" + bare(q, hi) + unit_of(q); }

std::string percent(double fraction) {
    return units::printf_number(fraction >= 10 ? "%.0f%%" : "%.1f%%", fraction * 100.0);
} // 18465%, 40.0%

int severity(Verdict v) {
    switch (v) {
    case Verdict::plausible: return 0;
    case Verdict::overstated: return 1;
    case Verdict::out_of_scope: return 2;
    case Verdict::unlikely: return 3;
    case Verdict::implausible: return 4;
    }
    return 0;
}

run::Percentiles scaled(run::Percentiles p, double k) {
    p.p5 *= k;
    p.p50 *= k;
    p.p95 *= k;
    p.mean *= k;
    return p;
}

/// Case-insensitive: does the catalog name `name` ("H800-SXM") name the claimed `model` ("H800")?
bool names_model(const std::string& name, const std::string& model) {
    if (model.empty() || model.size() > name.size()) return false;
    const auto lower = [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); };
    for (std::size_t i = 0; i < model.size(); ++i)
        if (lower(name[i]) != lower(model[i])) return false;
    return model.size() == name.size() || !std::isalnum(static_cast<unsigned char>(name[model.size()]));
}

bool same_words(const std::string& a, const std::string& b) { return names_model(a, b) && a.size() == b.size(); }

/// The claim as an interval [lo, hi] in the orientation where a smaller figure is harder to
/// reach (days, GPU-hours, dollars, GPUs), against the band, widened once more for `unlikely`.
Verdict judge(double lo, double hi, double band_low, double band_high, double further_low, bool beyond_peak) {
    if (beyond_peak || hi < band_low * further_low) return Verdict::implausible;
    if (hi < band_low) return Verdict::unlikely;
    if (lo > band_high) return Verdict::overstated;
    return Verdict::plausible;
}

std::pair<double, double> interval(ClaimBound bound, double low, double high) {
    switch (bound) {
    case ClaimBound::about: return {low, low};
    case ClaimBound::at_most: return {0.0, low};
    case ClaimBound::at_least: return {low, kInfinity};
    case ClaimBound::between: return {low, high};
    }
    return {low, low};
}

std::string bound_text(const ClaimedFigure& c) {
    switch (c.bound) {
    case ClaimBound::about: return amount(c.quantity, c.value);
    case ClaimBound::at_most: return "at most " + amount(c.quantity, c.value);
    case ClaimBound::at_least: return "at least " + amount(c.quantity, c.value);
    case ClaimBound::between: return range(c.quantity, c.value, c.value_high);
    }
    return "?";
}

/// "tcsim's p50 lies inside the claimed range", "... is 5% above the claim".
std::string position(const ClaimedFigure& c, double p50, double lo, double hi, double difference_pct) {
    switch (c.bound) {
    case ClaimBound::about:
        return "the claim is " + units::printf_number("%+.0f%%", difference_pct) + " against tcsim's p50";
    case ClaimBound::at_most:
        return p50 <= hi ? "tcsim's p50 is within the claimed upper bound"
                         : "tcsim's p50 exceeds the claimed upper bound";
    case ClaimBound::at_least:
        return p50 >= lo ? "tcsim's p50 reaches the claimed lower bound"
                         : "tcsim's p50 falls short of the claimed lower bound";
    case ClaimBound::between:
        return p50 < lo   ? "tcsim's p50 is below the claimed range"
               : p50 > hi ? "tcsim's p50 is above the claimed range"
                          : "tcsim's p50 lies inside the claimed range";
    }
    return "";
}

/// The simulated stages among `scope`: pre-training always, context extension when the run has
/// one, SFT and RL when the workload has post-training stages of that kind.
Stages simulated_part(Stages scope, bool extension_simulated, const std::optional<PostTrainingFigures>& post) {
    return {scope.pretraining, scope.context_extension && extension_simulated, scope.sft && post && post->sft,
            scope.rl && post && post->rl};
}

bool any(Stages s) { return s.pretraining || s.context_extension || s.sft || s.rl; }

} // namespace

std::string_view to_string(Verdict verdict) {
    switch (verdict) {
    case Verdict::plausible: return "plausible";
    case Verdict::overstated: return "overstated";
    case Verdict::unlikely: return "unlikely";
    case Verdict::implausible: return "implausible";
    case Verdict::out_of_scope: return "out_of_scope";
    }
    return "?";
}

std::string_view to_string(ClaimedQuantity quantity) {
    switch (quantity) {
    case ClaimedQuantity::duration_days: return "duration_days";
    case ClaimedQuantity::gpu_hours: return "gpu_hours";
    case ClaimedQuantity::cost_usd: return "cost_usd";
    case ClaimedQuantity::gpu_count: return "gpu_count";
    case ClaimedQuantity::mfu: return "mfu";
    case ClaimedQuantity::hardware: return "hardware";
    }
    return "?";
}

std::string_view to_string(ClaimBound bound) {
    switch (bound) {
    case ClaimBound::about: return "about";
    case ClaimBound::at_most: return "at_most";
    case ClaimBound::at_least: return "at_least";
    case ClaimBound::between: return "between";
    }
    return "?";
}

std::string to_string(Stages s) {
    if (s == kAllStages) return "all";
    std::string out;
    const auto add = [&](bool on, const char* name) {
        if (on) out += (out.empty() ? "" : "+") + std::string(name);
    };
    add(s.pretraining, "pretraining");
    add(s.context_extension, "context_extension");
    add(s.sft, "sft");
    add(s.rl, "rl");
    return out.empty() ? "none" : out;
}

std::string stage_words(Stages s) {
    std::vector<std::string> words;
    if (s.pretraining) words.emplace_back("pre-training");
    if (s.context_extension) words.emplace_back("context extension");
    if (s.sft) words.emplace_back("SFT");
    if (s.rl) words.emplace_back("RL");
    std::string out;
    for (std::size_t i = 0; i < words.size(); ++i)
        out += (i == 0 ? "" : (i + 1 == words.size() ? " and " : ", ")) + words[i];
    return out.empty() ? "no stage" : out;
}

bool unsupported(Verdict verdict) { return verdict == Verdict::unlikely || verdict == Verdict::implausible; }

std::string verdict_rule(const ModelUncertainty& u) {
    const std::string low = units::printf_number("%.2f", u.low);
    const std::string high = units::printf_number("%.2f", u.high);
    const std::string further = units::printf_number("%.2f", u.further_low());
    const std::string worst = u.worst_beyond_band()
                                  ? " (to p5 x " + units::printf_number("%.2f", u.worst_low) +
                                        ": tcsim's worst recorded miss that way, published / tcsim)"
                                  : "";
    return "plausible inside tcsim's band [p5 x " + low + ", p95 x " + high +
           "] (the Monte Carlo's p5-p95 widened by tcsim's model uncertainty: " + u.basis +
           "); overstated above it (more than the run needs); unlikely up to a further factor " + further +
           " below it" + worst + "; implausible beyond that, above 100% MFU, or on hardware the run does not use; out of "
           "scope when the figure covers other stages than the claim's words or stages tcsim does not simulate";
}

ClaimCheck check_claim(const Claim& claim, const Assessment& a, const SimulatedGpu& gpu,
                       const std::optional<MfuRecord>& best_mfu, const ModelUncertainty& u) {
    if (!(u.worst_low > 0 && u.worst_low <= u.low && u.low <= 1 && u.high >= 1 && std::isfinite(u.high)))
        throw std::invalid_argument(
            "check_claim: the model uncertainty's factors must be 0 < worst_low <= low <= 1 <= high");
    ClaimCheck out;
    out.claim = claim;
    out.best_mfu = best_mfu;
    out.gpu = gpu.name;
    out.gpu_vendor = gpu.vendor;
    out.gpus = a.gpus;
    out.headline = "plausible";
    const double price = (claim.price ? claim.price->per_gpu_hour : a.rental.per_gpu_hour).value();
    const bool extension_simulated = a.days.extension.p50 > 0;
    const std::string best = best_mfu ? "the best published for the " + gpu.name + " is " + percent(best_mfu->mfu)
                                      : "no published MFU record for the " + gpu.name;
    for (const ClaimedFigure& c : claim.figures) {
        FigureCheck f;
        f.claimed = c;
        f.compared = c.value - c.unsimulated;
        f.simulated_stages = simulated_part(c.scope, extension_simulated, a.post_training);
        const Stages& sim = f.simulated_stages;
        const bool whole = sim.pretraining && sim.context_extension;
        const bool main_run = sim.pretraining || sim.context_extension;
        // The post-training sums the figure covers (SFT, RL), added to the main run's figures.
        std::vector<const PostTrainingSum*> post;
        if (sim.sft) post.push_back(&*a.post_training->sft);
        if (sim.rl) post.push_back(&*a.post_training->rl);
        const auto pick_of = [&](const StageFigures& s, run::Percentiles PostTrainingSum::*member) -> run::Percentiles {
            run::Percentiles p{};
            if (main_run) p = whole ? s.total : (sim.pretraining ? s.pretraining : s.extension);
            for (const PostTrainingSum* sum : post) {
                const run::Percentiles& q = sum->*member;
                p = {p.p5 + q.p5, p.p50 + q.p50, p.p95 + q.p95, p.mean + q.mean};
            }
            return p;
        };
        double flops = !main_run         ? 0.0
                       : whole           ? a.model_flops_total
                       : sim.pretraining ? a.model_flops_pretraining
                                         : a.model_flops_total - a.model_flops_pretraining;
        f.simulated_mfu = sim.pretraining && !sim.context_extension ? a.run_mfu_pretraining : a.run_mfu_total;
        // GPU-seconds at p50 of what the figure covers (durations: the GPUs those seconds ran on).
        double covered_gpu_seconds = !main_run         ? 0.0
                                     : whole           ? a.failures.total_s.p50 * a.gpus
                                     : sim.pretraining ? a.failures.pretrain_s.p50 * a.gpus
                                                       : a.failures.extension_s.p50 * a.gpus;
        for (const PostTrainingSum* sum : post) {
            flops += sum->model_flops;
            covered_gpu_seconds += sum->gpu_seconds_p50;
        }
        if (!post.empty())
            f.simulated_mfu = covered_gpu_seconds > 0 && a.peak_flops_per_gpu > 0
                                  ? flops / (covered_gpu_seconds * a.peak_flops_per_gpu)
                                  : 0.0;
        const double days_p50 = pick_of(a.days, &PostTrainingSum::days).p50;
        const double gpus_of_days = days_p50 > 0 ? covered_gpu_seconds / (days_p50 * 86400.0) : a.gpus;
        const double compared_high = (c.bound == ClaimBound::between ? c.value_high : c.value) - c.unsimulated;
        std::string s;

        if (c.quantity == ClaimedQuantity::hardware) {
            const bool vendor_match = c.vendor.empty() || same_words(gpu.vendor, c.vendor);
            const bool model_match = c.model.empty() || names_model(gpu.name, c.model);
            const bool holds = c.negated ? !(vendor_match && model_match) : (vendor_match && model_match);
            const std::string claimed_hw =
                std::string(c.negated ? "without " : "on ") +
                (c.model.empty() ? c.vendor + " GPUs" : (c.vendor.empty() ? "" : c.vendor + " ") + c.model);
            f.verdict = holds ? Verdict::plausible : Verdict::implausible;
            f.headline = holds
                             ? "plausible"
                             : "implausible: would need " +
                                   std::string(c.negated ? "GPUs not made by " + (c.vendor.empty() ? c.model : c.vendor)
                                                         : claimed_hw.substr(3)) +
                                   "; the run's " + gpu.name + " is made by " + gpu.vendor;
            s = "Claimed " + claimed_hw + "; the scenario's GPU catalog entry is the " + gpu.name + ", made by " +
                gpu.vendor + ", so the claim is " + (holds ? "plausible" : "implausible") + ".";
            if (!c.note.empty()) s += " " + c.note;
        } else if (c.quantity == ClaimedQuantity::gpu_count) {
            const double g = a.gpus;
            f.simulated = {g, g, g, g};
            f.band_low = g * u.low;
            f.band_high = g * u.high;
            f.difference_pct = (f.compared - g) / g * 100.0;
            const auto [lo, hi] = interval(c.bound, f.compared, compared_high);
            const bool holds = hi >= f.band_low && lo <= f.band_high;
            f.verdict = holds ? Verdict::plausible : Verdict::out_of_scope;
            f.headline = holds ? "plausible"
                               : "out of scope: the scenario simulates " + units::with_thousands(g) +
                                     " GPUs (rerun it with --gpus " + units::printf_number("%.0f", f.compared) + ")";
            s = "Claimed " + bound_text(c) + "; the scenario simulates " + units::with_thousands(g) + " " + gpu.name +
                " GPUs" + (holds ? ", which the claim allows." : ", which the claim does not allow.");
        } else if (c.quantity == ClaimedQuantity::mfu) {
            // Judged in the inverted orientation (1 / MFU grows with the time a run takes).
            const double m = f.simulated_mfu;
            f.simulated = {m, m, m, m};
            f.band_low = m / u.high;
            f.band_high = m / u.low;
            f.difference_pct = m > 0 ? (f.compared - m) / m * 100.0 : 0.0;
            f.implied_mfu = f.compared;
            const auto [lo, hi] = interval(c.bound, f.compared, compared_high);
            const double inv_lo = hi > 0 ? 1.0 / hi : kInfinity;
            const double inv_hi = lo > 0 ? 1.0 / lo : kInfinity;
            const double inv_band_low = m > 0 ? u.low / m : kInfinity;
            const double inv_band_high = m > 0 ? u.high / m : kInfinity;
            // A claim whose lowest MFU is above 1 is beyond the peak; `at_most` never is.
            f.verdict = judge(inv_lo, inv_hi, inv_band_low, inv_band_high, u.further_low(), lo > 1.0);
            s = "Claimed " + bound_text(c) + " (" + stage_words(c.scope) + "); tcsim's run averages " + percent(m) +
                " MFU with failures (" + best + ").";
            f.headline = f.verdict == Verdict::plausible ? "plausible"
                         : f.verdict == Verdict::overstated
                             ? "overstated: less efficient than the simulated run"
                             : std::string(to_string(f.verdict)) + ": would need " + percent(lo) +
                                   " MFU (tcsim: " + percent(m) + "; " + best + ")";
        } else if (!any(sim)) {
            f.verdict = Verdict::out_of_scope;
            f.headline = "out of scope: the figure covers " + stage_words(c.scope) + ", which tcsim does not simulate";
            s = "Claimed " + bound_text(c) + " for " + stage_words(c.scope) +
                "; tcsim simulates pre-training, context extension and the workload's post-training stages "
                "([[post_training]]) only, and this workload has none of those stages.";
        } else {
            double gpu_seconds_per_unit = 0; // GPU-seconds per unit of the claimed figure
            switch (c.quantity) {
            case ClaimedQuantity::duration_days:
                f.simulated = pick_of(a.days, &PostTrainingSum::days);
                gpu_seconds_per_unit = 86400.0 * (post.empty() ? a.gpus : gpus_of_days);
                break;
            case ClaimedQuantity::gpu_hours:
                f.simulated = pick_of(a.gpu_hours, &PostTrainingSum::gpu_hours);
                gpu_seconds_per_unit = 3600.0;
                break;
            default: // cost_usd
                f.simulated = scaled(pick_of(a.gpu_hours, &PostTrainingSum::gpu_hours), price);
                gpu_seconds_per_unit = price > 0 ? 3600.0 / price : 0.0;
                break;
            }
            const auto mfu_at = [&](double value) {
                const double gpu_seconds = value * gpu_seconds_per_unit;
                return gpu_seconds > 0 && a.peak_flops_per_gpu > 0 ? flops / (gpu_seconds * a.peak_flops_per_gpu)
                                                                   : kInfinity;
            };
            f.implied_mfu = mfu_at(f.compared);
            f.band_low = f.simulated.p5 * u.low;
            f.band_high = f.simulated.p95 * u.high;
            f.difference_pct = f.simulated.p50 > 0 ? (f.compared - f.simulated.p50) / f.simulated.p50 * 100.0 : 0.0;
            const auto [lo, hi] = interval(c.bound, f.compared, compared_high);
            const bool beyond_peak = mfu_at(hi) > 1.0;
            f.verdict = judge(lo, hi, f.band_low, f.band_high, u.further_low(), beyond_peak);
            const double needed_at = std::isfinite(hi) ? hi : f.compared;
            if (c.quantity == ClaimedQuantity::duration_days && needed_at > 0)
                f.gpus_needed = (post.empty() ? a.gpus : gpus_of_days) * f.simulated.p50 / needed_at;
            if (!post.empty() && c.quantity != ClaimedQuantity::duration_days) {
                // Each simulated part's GPU-hours and dollars at p50, the main run first.
                const auto line = [&](const std::string& name, double hours, double dollars) {
                    f.stage_lines.push_back(name + ": " + amount(ClaimedQuantity::gpu_hours, hours) + ", " +
                                            amount(ClaimedQuantity::cost_usd, dollars));
                };
                if (main_run) {
                    const Stages main{sim.pretraining, sim.context_extension, false, false};
                    const run::Percentiles h =
                        whole ? a.gpu_hours.total : (sim.pretraining ? a.gpu_hours.pretraining : a.gpu_hours.extension);
                    line(stage_words(main), h.p50, h.p50 * price);
                }
                for (const PostTrainingStageLine& st : a.post_training->stages)
                    if (st.rl ? sim.rl : sim.sft) line(st.name, st.gpu_hours_p50, st.gpu_hours_p50 * price);
            }
            if (c.quantity == ClaimedQuantity::cost_usd) {
                const double hours = pick_of(a.gpu_hours, &PostTrainingSum::gpu_hours).p50;
                f.price_needed = hours > 0 ? needed_at / hours : 0.0;
            }

            s = "Claimed " + bound_text(c) + " (" + stage_words(c.scope) + ")";
            if (c.unsimulated > 0)
                s += ", of which " + amount(c.quantity, c.unsimulated) + " " +
                     (c.note.empty() ? "not simulated" : c.note);
            s += "; tcsim: " + amount(c.quantity, f.simulated.p50) + " (p5-p95 " +
                 range(c.quantity, f.simulated.p5, f.simulated.p95) + ") for " + stage_words(sim) + ", so " +
                 position(c, f.simulated.p50, lo, hi, f.difference_pct) + " (band " +
                 range(c.quantity, f.band_low, f.band_high) + ").";
            const std::string mfu_context =
                "tcsim's run averages " + percent(f.simulated_mfu) + " with failures; " + best;
            std::string need = percent(mfu_at(needed_at)) + " MFU over the run (" + mfu_context + ")";
            if (beyond_peak) need += ", more than the GPUs' peak";
            if (f.gpus_needed)
                need += ", or about " + units::with_thousands(*f.gpus_needed) + " GPUs at tcsim's per-GPU throughput";
            if (c.quantity == ClaimedQuantity::cost_usd)
                need += ", or a price of " + units::printf_number("$%.2f", f.price_needed) + " per GPU-hour";
            switch (f.verdict) {
            case Verdict::plausible:
                f.headline = "plausible";
                s += (c.bound == ClaimBound::at_most ? " It needs at least " : " It implies ") +
                     percent(f.implied_mfu) + " MFU over the run (" + mfu_context + ").";
                break;
            case Verdict::overstated:
                f.headline = "overstated: more than the simulated run needs";
                s += " It allows only " + percent(mfu_at(lo)) + " MFU over the run (" + mfu_context +
                     "): it spends more than the simulated run needs (slack, idle or evaluation time, failures beyond "
                     "the model, or a less efficient implementation).";
                break;
            default:
                f.headline = std::string(to_string(f.verdict)) + ": would need " + need;
                s += " To hold, it would need " + need + ".";
                break;
            }
            // Scope: what the figure covers against what the claim's words say, and what tcsim simulates.
            std::string scope_problem;
            if (!c.covers.empty())
                scope_problem = c.covers;
            else if (!(sim == c.scope) && c.unsimulated <= 0)
                scope_problem =
                    "the figure covers " + stage_words(c.scope) + "; tcsim simulates only " + stage_words(sim);
            if (!scope_problem.empty()) {
                s += " Out of scope: " + scope_problem + "; the comparison above is for " + stage_words(sim) + " only.";
                if (severity(Verdict::out_of_scope) > severity(f.verdict)) {
                    f.verdict = Verdict::out_of_scope;
                    f.headline = "out of scope: " + scope_problem;
                }
            }
        }
        f.explanation = s;
        if (out.figures.empty() || severity(f.verdict) > severity(out.verdict)) {
            out.verdict = f.verdict;
            out.headline = f.headline;
        }
        out.figures.push_back(std::move(f));
    }
    return out;
}

} // namespace tcsim::economics
