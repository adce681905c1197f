#include "report/report_csv.hpp"

#include "report/csv_text.hpp"

#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace tcsim::report {
namespace {

constexpr double seconds_per_day = 86400.0;

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) out += (out.empty() ? "" : "; ") + item;
    return out;
}

std::string integer(long long n) { return std::to_string(n); }

} // namespace

std::string render_csv(const std::vector<const RunReport*>& reports) {
    std::string out = csv_record({"cluster",   "gpu",
                                  "gpus",      "workload",
                                  "overrides", "row",
                                  "extension", "layout",
                                  "seq_len",   "global_batch_sequences",
                                  "steps",     "tokens",
                                  "days",      "gpu_hours",
                                  "cost_usd",  "step_time_s",
                                  "mfu",       "tokens_per_s_per_gpu",
                                  "compute_s", "exposed_comm_s",
                                  "bubble_s"});
    for (const RunReport* r : reports) {
        const Scenario& s = r->scenario;
        const std::vector<std::string> who{s.cluster, s.gpu, integer(s.gpus), s.workload, joined(r->overrides)};
        const auto row = [&out, &who](const std::vector<std::string>& rest) {
            std::vector<std::string> fields = who;
            fields.insert(fields.end(), rest.begin(), rest.end());
            out += csv_record(fields);
        };
        for (const auto& p : r->run.phases) {
            const auto& b = p.step.breakdown;
            row({p.name, p.extension ? "true" : "false", run::layout_text(p.parallel), integer(p.seq_len),
                 integer(p.global_batch_sequences), csv_number(p.steps), csv_number(p.tokens),
                 csv_number(p.seconds / seconds_per_day), "", "", csv_number(p.step.step_seconds),
                 csv_number(p.step.mfu), csv_number(p.step.tokens_per_s_per_gpu), csv_number(b.compute_s),
                 csv_number(b.exposed_comm_s), csv_number(b.bubble_s)});
        }
        // Post-training stages: their failure-free phase, then their p50 with failures.
        for (const PostTrainingReport& pt : r->post_training) {
            const run::RunPhase& p = pt.result.run.phases.front();
            const auto& b = p.step.breakdown;
            const auto& a = pt.assessment;
            row({"post-training: " + p.name, "false", run::layout_text(p.parallel), integer(p.seq_len),
                 integer(p.global_batch_sequences), csv_number(p.steps), csv_number(p.tokens),
                 csv_number(a.days.pretraining.p50), csv_number(a.gpu_hours.pretraining.p50),
                 csv_number(a.rental_usd.pretraining.p50), csv_number(p.step.step_seconds), csv_number(p.step.mfu),
                 csv_number(p.step.tokens_per_s_per_gpu), csv_number(b.compute_s), csv_number(b.exposed_comm_s),
                 csv_number(b.bubble_s)});
        }
        row({"total (failure-free)", "", "", "", "", "", csv_number(total_tokens(r->run)),
             csv_number(r->run.seconds() / seconds_per_day), csv_number(r->total_cost.gpu_hours),
             csv_number(r->total_cost.dollars.value()), "", "", "", "", "", ""});
        if (r->assessment) {
            const auto& a = *r->assessment;
            row({"total with failures (p50)", "", "", "", "", "", csv_number(total_tokens(r->run)),
                 csv_number(a.days.total.p50), csv_number(a.gpu_hours.total.p50), csv_number(a.rental_usd.total.p50),
                 "", "", "", "", "", ""});
        }
        if (r->uncertainty) {
            // The spread the uncertain inputs cause, then each input's swing (sensitivity).
            const auto& u = *r->uncertainty;
            const std::vector<std::pair<std::string, double Spread::*>> at{
                {"p5", &Spread::p5}, {"p50", &Spread::p50}, {"p95", &Spread::p95}};
            for (const auto& [name, p] : at)
                row({"uncertain inputs " + name, "", "", "", "", "", "", csv_number(u.days.*p),
                     csv_number(u.gpu_hours.*p), csv_number(u.dollars.*p), "", "", "", "", "", ""});
            for (const auto& swing : u.sensitivity) {
                row({"sensitivity " + swing.key + " = " + csv_number(swing.input_low), "", "", "", "", "", "",
                     csv_number(swing.days_low), "", csv_number(swing.dollars_low), "", "", "", "", "", ""});
                row({"sensitivity " + swing.key + " = " + csv_number(swing.input_high), "", "", "", "", "", "",
                     csv_number(swing.days_high), "", csv_number(swing.dollars_high), "", "", "", "", "", ""});
            }
        }
    }
    return out;
}

std::string render_claims_csv(const std::vector<const RunReport*>& reports) {
    std::string out =
        csv_record({"claim", "figure", "scope", "bound", "claimed", "compared", "simulated_p5", "simulated_p50",
                    "simulated_p95", "band_low", "band_high", "verdict", "headline", "gpu", "gpus", "overrides"});
    for (const RunReport* r : reports)
        for (const auto& c : r->claims)
            for (const auto& f : c.figures)
                out += csv_record({c.claim.name, std::string(economics::to_string(f.claimed.quantity)),
                                   economics::to_string(f.claimed.scope),
                                   std::string(economics::to_string(f.claimed.bound)), csv_number(f.claimed.value),
                                   csv_number(f.compared), csv_number(f.simulated.p5), csv_number(f.simulated.p50),
                                   csv_number(f.simulated.p95), csv_number(f.band_low), csv_number(f.band_high),
                                   std::string(economics::to_string(f.verdict)), f.headline, c.gpu, integer(c.gpus),
                                   joined(r->overrides)});
    // The spread uncertain inputs cause and each input's swing, as rows of the same columns (the
    // claim column names the row as `tcsim run --csv` does; the rest of a claim's fields empty).
    for (const RunReport* r : reports) {
        if (!r->uncertainty) continue;
        const auto& u = *r->uncertainty;
        const Scenario& s = r->scenario;
        std::string sampled;
        for (const auto& in : u.inputs) sampled += (sampled.empty() ? "" : "; ") + in.key + " " + in.range;
        const auto row = [&](const std::string& name, economics::ClaimedQuantity q, const std::string& p5,
                             const std::string& p50, const std::string& p95, const std::string& headline) {
            out += csv_record({name, std::string(economics::to_string(q)), "all", "", "", "", p5, p50, p95, "", "", "",
                               headline, s.gpu, integer(s.gpus), joined(r->overrides)});
        };
        const std::string covers =
            "whole run, every stage, with failures; " + integer(u.samples) + " Monte Carlo samples drawing " + sampled;
        const std::vector<std::pair<economics::ClaimedQuantity, const Spread*>> spreads{
            {economics::ClaimedQuantity::duration_days, &u.days},
            {economics::ClaimedQuantity::gpu_hours, &u.gpu_hours},
            {economics::ClaimedQuantity::cost_usd, &u.dollars}};
        for (const auto& [q, spread] : spreads)
            row("uncertain inputs", q, csv_number(spread->p5), csv_number(spread->p50), csv_number(spread->p95),
                covers);
        for (const auto& swing : u.sensitivity) {
            const std::string why = "p50 with failures, the other inputs at their medians";
            for (const auto& [value, days, dollars] :
                 {std::tuple{swing.input_low, swing.days_low, swing.dollars_low},
                  std::tuple{swing.input_high, swing.days_high, swing.dollars_high}}) {
                const std::string name = "sensitivity " + swing.key + " = " + csv_number(value);
                row(name, economics::ClaimedQuantity::duration_days, "", csv_number(days), "", why);
                row(name, economics::ClaimedQuantity::cost_usd, "", csv_number(dollars), "", why);
            }
        }
    }
    return out;
}

} // namespace tcsim::report
