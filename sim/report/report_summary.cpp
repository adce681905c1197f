#include "report/report_summary.hpp"

#include "units/number_text.hpp"

#include <cmath>
#include <cstdio>

namespace tcsim::report {
namespace {

std::string days(double d) { return units::printf_number(d < 100 ? "%.1f" : "%.0f", d); }
std::string pct(double fraction) { return units::printf_number("%.0f%%", fraction * 100.0); }

std::string money(double usd) {
    if (usd >= 1e9) return units::printf_number("$%.2fB", usd / 1e9);
    if (usd >= 1e6) return units::printf_number("$%.2fM", usd / 1e6);
    if (usd >= 1e3) return units::printf_number("$%.0fK", usd / 1e3);
    return units::printf_number("$%.0f", usd);
}

std::string millions(double v) {
    return v >= 1e6 ? units::printf_number("%.2fM", v / 1e6) : units::printf_number("%.0fK", v / 1e3);
}

/// Facility power: "2.5 MW", or "62 kW" below a megawatt.
std::string power(double watts) {
    return watts >= 1e6 ? units::printf_number("%.1f MW", watts / 1e6) : units::printf_number("%.0f kW", watts / 1e3);
}

/// "The claim "X" is plausible: tcsim's p50 is ..., implying 38% MFU ...".
std::string claim_sentence(const economics::ClaimCheck& check) {
    std::string s = "The claim \"" + check.claim.name + "\" is " + check.headline;
    if (check.figures.empty()) return s + ".";
    // The figure that decided the verdict (the first of the worst).
    const economics::FigureCheck* decisive = &check.figures.front();
    for (const auto& f : check.figures)
        if (f.verdict == check.verdict) {
            decisive = &f;
            break;
        }
    const auto& f = *decisive;
    const auto q = f.claimed.quantity;
    if (q == economics::ClaimedQuantity::hardware || q == economics::ClaimedQuantity::gpu_count ||
        q == economics::ClaimedQuantity::mfu || f.simulated.p50 <= 0)
        return s + ".";
    if (f.verdict == economics::Verdict::unlikely || f.verdict == economics::Verdict::implausible) return s + ".";
    switch (f.claimed.bound) {
    case economics::ClaimBound::at_most:
    case economics::ClaimBound::at_least:
    case economics::ClaimBound::between: {
        const char* unit = q == economics::ClaimedQuantity::duration_days ? " days"
                           : q == economics::ClaimedQuantity::gpu_hours   ? " GPU-hours"
                                                                          : "";
        const std::string p50 = q == economics::ClaimedQuantity::duration_days ? days(f.simulated.p50)
                                : q == economics::ClaimedQuantity::gpu_hours   ? millions(f.simulated.p50)
                                                                               : money(f.simulated.p50);
        s += " (tcsim's p50: " + p50 + unit + " for " + economics::stage_words(f.simulated_stages) + ")";
        break;
    }
    case economics::ClaimBound::about: {
        const double d = f.difference_pct;
        s += " (" + units::printf_number("%.0f%%", std::fabs(d)) + (d >= 0 ? " above" : " below") +
             " tcsim's p50 for " + economics::stage_words(f.simulated_stages) + ", implying " + pct(f.implied_mfu) +
             " MFU against tcsim's " + pct(f.simulated_mfu);
        if (check.best_mfu) s += " and the best published " + pct(check.best_mfu->mfu) + " for the " + check.gpu;
        s += ")";
        break;
    }
    }
    return s + ".";
}

} // namespace

std::string summary_paragraph(const RunReport& report) {
    if (!report.assessment) return {};
    const auto& a = *report.assessment;
    const auto& s = report.scenario;
    const bool extension = a.failures.failure_free_extension_s > 0;
    std::string p = "tcsim simulates the training of " + (s.model.empty() ? s.workload : s.model) + " on " +
                    units::with_thousands(s.gpus) + " " + s.gpu +
                    " GPUs from its published architecture, recipe and layout: pre-training takes " +
                    days(a.days.pretraining.p50) + " days (5-95%: " + days(a.days.pretraining.p5) + "-" +
                    days(a.days.pretraining.p95) + ")";
    if (extension) p += " and context extension " + days(a.days.extension.p50) + " more";
    p += ", including about " + units::printf_number("%.0f", a.failures.failures.p50) +
         " simulated failures and restarts: " + millions(a.gpu_hours.total.p50) + " GPU-hours, " +
         money(a.rental_usd.total.p50) + " at " + units::printf_number("$%.2f", a.rental.per_gpu_hour.value()) +
         " per GPU-hour, and " + units::with_thousands(a.energy_mwh.total.p50) + " MWh drawing " +
         power(a.energy.facility_power.value()) + " at the facility.";
    if (!report.post_training.empty()) {
        // The stages after pre-training (SFT, RL), each a run of its own GPUs: their p50s summed.
        double stage_days = 0, stage_hours = 0, stage_usd = 0;
        std::string names;
        for (std::size_t i = 0; i < report.post_training.size(); ++i) {
            const PostTrainingReport& pt = report.post_training[i];
            stage_days += pt.assessment.days.total.p50;
            stage_hours += pt.assessment.gpu_hours.total.p50;
            stage_usd += pt.assessment.rental_usd.total.p50;
            names += (i == 0                                 ? ""
                      : i + 1 == report.post_training.size() ? " and "
                                                             : ", ") +
                     pt.result.name + " on " + units::with_thousands(pt.result.run.gpus) + " GPUs";
        }
        p += " Then the post-training (" + names + "), each with its own failures, takes " + days(stage_days) +
             " days more: " + millions(stage_hours) + " GPU-hours, " + money(stage_usd) + " (p50 of each, summed).";
    }
    if (const auto& u = report.uncertainty) {
        std::string keys;
        for (const auto& input : u->inputs) keys += (keys.empty() ? "" : ", ") + input.key;
        p += " With its uncertain inputs (" + keys + ") drawn as well, the whole run takes " + days(u->days.p50) +
             " days (5-95%: " + days(u->days.p5) + "-" + days(u->days.p95) + "), " + millions(u->gpu_hours.p50) +
             " GPU-hours and " + money(u->dollars.p50) + " at p50; the claims are checked against that spread.";
    }
    for (const auto& check : report.claims) p += " " + claim_sentence(check);
    for (const auto& other : report.related) {
        if (!other.assessment) continue;
        p += " Against " + (other.scenario.model.empty() ? other.scenario.workload : other.scenario.model) + " on " +
             units::with_thousands(other.scenario.gpus) + " " + other.scenario.gpu +
             " GPUs (tcsim: " + days(other.assessment->days.total.p50) + " days, " +
             money(other.assessment->rental_usd.total.p50) + " at p50):";
        for (const auto& check : other.claims) p += " " + claim_sentence(check);
    }
    p += " In these words, MFU (model FLOPs utilisation) is the share of the GPUs' peak arithmetic that the model's "
         "own computation uses over the run; p5-p95 is the range that holds 90 of every 100 simulated runs, which "
         "differ by their failures" +
         std::string(report.uncertainty ? " (and, in the spread with uncertain inputs, by their draws of those)" : "") +
         "; PUE is the facility's power over the IT equipment's (cooling and power losses)";
    if (!report.post_training.empty())
        p += "; SFT (supervised fine-tuning) trains the model on example answers, RL (reinforcement learning) on "
             "answers it generates itself and that are then scored";
    p += ".";
    p += " These dollars are GPU time for the final training run only" +
         std::string(report.post_training.empty() ? "" : " (and the post-training after it)") +
         ": they leave out research and ablations, data, staff and the cluster itself";
    if (a.cluster_purchase)
        p += ", which would cost about " + money(a.cluster_purchase->value()) +
             " to buy (owning it for this run: about " + money(a.ownership_usd->total.p50) + ")";
    return p + ".";
}

} // namespace tcsim::report
