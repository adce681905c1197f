// Claim verdicts. The sentences are built here, not in the report writers, so that the table,
// the JSON and the default scenario's paragraph all say the same thing.
#include "economics/claim_check.hpp"

#include "units/number_text.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <stdexcept>

namespace tcsim::economics {

namespace {

/// The number alone, as amount() writes it.
std::string bare(ClaimedQuantity q, double v) {
    switch (q) {
    case ClaimedQuantity::duration_days: return units::printf_number(v < 100 ? "%.1f" : "%.0f", v);
    case ClaimedQuantity::gpu_hours: return units::short_number(v);
    case ClaimedQuantity::cost_usd: return "$" + units::short_number(v);
    }
    return "?";
}

std::string unit_of(ClaimedQuantity q) {
    switch (q) {
    case ClaimedQuantity::duration_days: return " days";
    case ClaimedQuantity::gpu_hours: return " GPU-hours";
    case ClaimedQuantity::cost_usd: return "";
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
    case Verdict::consistent: return 0;
    case Verdict::pessimistic: return 1;
    case Verdict::optimistic: return 2;
    case Verdict::inconsistent: return 3;
    }
    return 0;
}

const run::Percentiles& pick(const StageFigures& f, ClaimScope scope) {
    return scope == ClaimScope::pretraining ? f.pretraining : f.total;
}

run::Percentiles scaled(run::Percentiles p, double k) {
    p.p5 *= k;
    p.p50 *= k;
    p.p95 *= k;
    p.mean *= k;
    return p;
}

} // namespace

std::string_view to_string(Verdict verdict) {
    switch (verdict) {
    case Verdict::consistent: return "consistent";
    case Verdict::optimistic: return "optimistic";
    case Verdict::pessimistic: return "pessimistic";
    case Verdict::inconsistent: return "inconsistent";
    }
    return "?";
}

std::string_view to_string(ClaimedQuantity quantity) {
    switch (quantity) {
    case ClaimedQuantity::duration_days: return "duration_days";
    case ClaimedQuantity::gpu_hours: return "gpu_hours";
    case ClaimedQuantity::cost_usd: return "cost_usd";
    }
    return "?";
}

std::string_view to_string(ClaimScope scope) { return scope == ClaimScope::pretraining ? "pretraining" : "total"; }

std::string_view to_string(ClaimBound bound) {
    switch (bound) {
    case ClaimBound::about: return "about";
    case ClaimBound::at_most: return "at_most";
    case ClaimBound::at_least: return "at_least";
    }
    return "?";
}

std::string verdict_rule(double u) {
    const std::string f = units::printf_number("%.2f", 1.0 + u);
    return "consistent inside tcsim's band [p5 / " + f + ", p95 x " + f +
           "] (the Monte Carlo's p5-p95 widened by the " + percent(u) +
           " model uncertainty); optimistic up to a further factor " + f +
           " below it; inconsistent beyond that or above 100% MFU; pessimistic above the band";
}

ClaimCheck check_claim(const Claim& claim, const Assessment& a, const std::string& gpu,
                       const std::optional<MfuRecord>& best_mfu, double u) {
    if (!(u >= 0)) throw std::invalid_argument("check_claim: the model uncertainty must be >= 0");
    ClaimCheck out;
    out.claim = claim;
    out.best_mfu = best_mfu;
    out.gpu = gpu;
    out.gpus = a.gpus;
    const double price = (claim.price ? claim.price->per_gpu_hour : a.rental.per_gpu_hour).value();
    const double widen = 1.0 + u;
    for (const ClaimedFigure& c : claim.figures) {
        FigureCheck f;
        f.claimed = c;
        f.compared = c.value - c.unsimulated;
        double gpu_seconds = 0;
        switch (c.quantity) {
        case ClaimedQuantity::duration_days:
            f.simulated = pick(a.days, c.scope);
            gpu_seconds = f.compared * 86400.0 * a.gpus;
            break;
        case ClaimedQuantity::gpu_hours:
            f.simulated = pick(a.gpu_hours, c.scope);
            gpu_seconds = f.compared * 3600.0;
            break;
        case ClaimedQuantity::cost_usd:
            f.simulated = scaled(pick(a.gpu_hours, c.scope), price);
            gpu_seconds = price > 0 ? f.compared / price * 3600.0 : 0.0;
            break;
        }
        const double flops = c.scope == ClaimScope::pretraining ? a.model_flops_pretraining : a.model_flops_total;
        f.implied_mfu = gpu_seconds > 0 && a.peak_flops_per_gpu > 0 ? flops / (gpu_seconds * a.peak_flops_per_gpu)
                                                                    : std::numeric_limits<double>::infinity();
        f.simulated_mfu = c.scope == ClaimScope::pretraining ? a.run_mfu_pretraining : a.run_mfu_total;
        f.band_low = f.simulated.p5 / widen;
        f.band_high = f.simulated.p95 * widen;
        f.difference_pct = f.simulated.p50 > 0 ? (f.compared - f.simulated.p50) / f.simulated.p50 * 100.0 : 0.0;
        const bool beyond_peak = f.implied_mfu > 1.0;
        switch (c.bound) {
        case ClaimBound::about:
            if (beyond_peak || f.compared < f.band_low / widen)
                f.verdict = Verdict::inconsistent;
            else if (f.compared < f.band_low)
                f.verdict = Verdict::optimistic;
            else if (f.compared > f.band_high)
                f.verdict = Verdict::pessimistic;
            else
                f.verdict = Verdict::consistent;
            break;
        case ClaimBound::at_most:
            if (beyond_peak || f.compared < f.band_low / widen)
                f.verdict = Verdict::inconsistent;
            else if (f.compared < f.band_low)
                f.verdict = Verdict::optimistic;
            else
                f.verdict = Verdict::consistent;
            break;
        case ClaimBound::at_least:
            f.verdict = f.compared > f.band_high ? Verdict::pessimistic : Verdict::consistent;
            break;
        }
        if (c.quantity == ClaimedQuantity::duration_days && f.compared > 0)
            f.gpus_needed = a.gpus * f.simulated.p50 / f.compared;
        if (c.quantity == ClaimedQuantity::cost_usd) {
            const double hours = pick(a.gpu_hours, c.scope).p50;
            f.price_needed = hours > 0 ? f.compared / hours : 0.0;
        }

        // The sentences.
        const std::string bound_word =
            c.bound == ClaimBound::at_most ? "at most " : (c.bound == ClaimBound::at_least ? "at least " : "");
        std::string s = "Claimed " + bound_word + amount(c.quantity, c.value);
        if (c.unsimulated > 0)
            s += " (of which " + amount(c.quantity, c.unsimulated) + " " + (c.note.empty() ? "not simulated" : c.note) +
                 ")";
        s += "; tcsim: " + amount(c.quantity, f.simulated.p50) + " (p5-p95 " +
             range(c.quantity, f.simulated.p5, f.simulated.p95) + "), so the claim is " +
             units::printf_number("%+.0f%%", f.difference_pct) + " against tcsim's p50 and " +
             std::string(to_string(f.verdict)) + " (band " + range(c.quantity, f.band_low, f.band_high) + ").";
        const std::string best = best_mfu ? "the best published for the " + gpu + " is " + percent(best_mfu->mfu)
                                          : "no published MFU record for the " + gpu;
        const std::string mfu_context = "tcsim's run averages " + percent(f.simulated_mfu) + " with failures; " + best;
        switch (f.verdict) {
        case Verdict::consistent:
            s += (c.bound == ClaimBound::at_most ? " It needs at least " : " It implies ") + percent(f.implied_mfu) +
                 " MFU over the run (" + mfu_context + ").";
            break;
        case Verdict::pessimistic:
            s += " It allows only " + percent(f.implied_mfu) + " MFU over the run (" + mfu_context +
                 "): it spends more than the simulated run needs (slack, idle or evaluation time, failures beyond "
                 "the model, or a less efficient implementation).";
            break;
        case Verdict::optimistic:
        case Verdict::inconsistent:
            s += " To hold, it needs " + percent(f.implied_mfu) + " MFU over the run (" + mfu_context + ")";
            if (beyond_peak) s += ", more than the GPUs' peak";
            if (f.gpus_needed)
                s += ", or about " + units::with_thousands(*f.gpus_needed) + " GPUs at tcsim's per-GPU throughput";
            if (c.quantity == ClaimedQuantity::cost_usd)
                s += ", or a price of " + units::printf_number("$%.2f", f.price_needed) + " per GPU-hour";
            s += ".";
            break;
        }
        f.explanation = s;
        if (severity(f.verdict) > severity(out.verdict)) out.verdict = f.verdict;
        out.figures.push_back(std::move(f));
    }
    return out;
}

} // namespace tcsim::economics
