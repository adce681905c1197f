// JSON report. ordered_json keeps the keys in the documented order (stable and readable);
// numbers are rounded to 9 significant digits before nlohmann writes them, so that the text
// does not show the last bits of floating-point sums.
#include "report/report_json.hpp"
#include "report/json_number.hpp"

#include <cmath>

namespace tcsim::report {
namespace {

using Json = nlohmann::ordered_json;

constexpr double seconds_per_day = 86400.0;

Json number(double value) { return json_number(value); }

Json costs(double seconds, double gpu_hours, double dollars) {
    return Json{{"duration_days", number(seconds / seconds_per_day)},
                {"gpu_hours", number(gpu_hours)},
                {"cost_usd", number(dollars)}};
}

Json breakdown(const training::StepBreakdown& b) {
    return Json{{"compute_s", number(b.compute_s)},
                {"exposed_comm_s", number(b.exposed_comm_s)},
                {"bubble_s", number(b.bubble_s)}};
}

Json steady_breakdown(const run::RunPhase* steady) {
    if (steady == nullptr) {
        return nullptr;
    }
    const auto& step = steady->step;
    const double total = step.step_seconds;
    auto pct = [total](double seconds) { return total > 0 ? number(seconds / total * 100.0) : Json(nullptr); };
    return Json{{"phase", steady->name},
                {"step_time_s", number(total)},
                {"compute_s", number(step.breakdown.compute_s)},
                {"exposed_comm_s", number(step.breakdown.exposed_comm_s)},
                {"bubble_s", number(step.breakdown.bubble_s)},
                {"compute_pct", pct(step.breakdown.compute_s)},
                {"exposed_comm_pct", pct(step.breakdown.exposed_comm_s)},
                {"bubble_pct", pct(step.breakdown.bubble_s)},
                {"rank", step.ranks.empty() ? Json(nullptr) : Json(step.slowest_rank)},
                {"ranks", step.ranks.size()},
                {"ranks_are", step.ranks_are_gpus ? "gpus" : "pipeline_ranks"},
                {"busiest_rank", step.ranks.empty() ? Json(nullptr) : Json(step.busiest_rank)},
                {"busiest_compute_s",
                 step.ranks.empty()
                     ? Json(nullptr)
                     : number(step.ranks[static_cast<std::size_t>(step.busiest_rank)].breakdown.compute_s)}};
}

Json phase_json(const run::RunPhase& phase) {
    return Json{{"name", phase.name},
                {"extension", phase.extension},
                {"layout", run::layout_text(phase.parallel)},
                {"own_layout", phase.own_layout},
                {"seq_len", phase.seq_len},
                {"global_batch_sequences", phase.global_batch_sequences},
                {"simulated_batch_sequences", phase.simulated_batch_sequences},
                {"steps", number(phase.steps)},
                {"tokens", number(phase.tokens)},
                {"model_flops", number(phase.model_flops)},
                {"seconds", number(phase.seconds)},
                {"days", number(phase.seconds / seconds_per_day)},
                {"step_time_s", number(phase.step.step_seconds)},
                {"mfu", number(phase.step.mfu)},
                {"tokens_per_s_per_gpu", number(phase.step.tokens_per_s_per_gpu)},
                {"breakdown", breakdown(phase.step.breakdown)}};
}

Json published_json(const RunReport& report) {
    Json figures = Json::array();
    for (const auto& value : report.published->values) {
        const double tcsim = predicted(report, value.figure);
        figures.push_back(Json{{"figure", std::string(to_string(value.figure))},
                               {"published", number(value.value)},
                               {"tcsim", number(tcsim)},
                               {"difference_pct", number(difference_percent(tcsim, value.value))},
                               {"note", value.note}});
    }
    return Json{{"source", report.published->source}, {"figures", std::move(figures)}};
}

Json percentiles_json(const run::Percentiles& p) {
    return Json{{"p5", number(p.p5)}, {"p50", number(p.p50)}, {"p95", number(p.p95)}, {"mean", number(p.mean)}};
}

Json range_json(const std::optional<run::Range>& r) {
    return r ? Json{{"low", number(r->low)}, {"high", number(r->high)}} : Json(nullptr);
}

Json cited_json(const economics::Cited& c) { return Json{{"value", number(c.value)}, {"source", c.source}}; }

Json stage_json(const economics::Assessment& a, int stage) {
    auto pick = [stage](const economics::StageFigures& f) -> const run::Percentiles& {
        return stage == 0 ? f.pretraining : (stage == 1 ? f.extension : f.total);
    };
    Json out{{"days", percentiles_json(pick(a.days))},
             {"gpu_hours", percentiles_json(pick(a.gpu_hours))},
             {"rental_usd", percentiles_json(pick(a.rental_usd))},
             {"energy_mwh", percentiles_json(pick(a.energy_mwh))}};
    out["ownership_usd"] = a.ownership_usd ? percentiles_json(pick(*a.ownership_usd)) : Json(nullptr);
    return out;
}

Json failures_json(const economics::Assessment& a) {
    const run::RunDistribution& d = a.failures;
    Json intervals = Json::array();
    for (double s : d.checkpoint_interval_s) intervals.push_back(number(s));
    Json samples = Json::array();
    for (const auto& sample : d.samples) samples.push_back(number(sample.total_s() / seconds_per_day));
    return Json{
        {"samples", d.options.samples},
        {"seed", d.options.seed},
        {"failures_per_gpu_hour", cited_json(a.reliability.failures_per_gpu_hour)},
        {"failures_per_gpu_hour_range", range_json(d.parameters.failures_per_gpu_hour_range)},
        {"job_mtbf_hours", number(d.job_mtbf_s / 3600.0)},
        {"restart_s", cited_json(a.reliability.restart_seconds)},
        {"restart_s_range", range_json(d.parameters.restart_seconds_range)},
        {"storage_write_bytes_per_s", cited_json(a.reliability.storage_write_bytes_per_second)},
        {"checkpoint_bytes", number(a.checkpoint_bytes)},
        {"checkpoint_write_s", number(d.checkpoint_write_s)},
        {"checkpoint_interval_s", std::move(intervals)},
        {"checkpoint_interval_rule", d.parameters.checkpoint_interval ? "given" : "young-daly"},
        {"failure_free_days",
         Json{{"pretraining", number(d.failure_free_pretrain_s / seconds_per_day)},
              {"extension", number(d.failure_free_extension_s / seconds_per_day)},
              {"total", number((d.failure_free_pretrain_s + d.failure_free_extension_s) / seconds_per_day)}}},
        {"failures", percentiles_json(d.failures)},
        {"lost_work_hours", percentiles_json(run::Percentiles{d.lost_work_s.p5 / 3600, d.lost_work_s.p50 / 3600,
                                                              d.lost_work_s.p95 / 3600, d.lost_work_s.mean / 3600})},
        {"restart_hours", percentiles_json(run::Percentiles{d.restart_s.p5 / 3600, d.restart_s.p50 / 3600,
                                                            d.restart_s.p95 / 3600, d.restart_s.mean / 3600})},
        {"checkpoint_hours", percentiles_json(run::Percentiles{d.checkpoint_s.p5 / 3600, d.checkpoint_s.p50 / 3600,
                                                               d.checkpoint_s.p95 / 3600, d.checkpoint_s.mean / 3600})},
        {"run_mfu", Json{{"pretraining", number(a.run_mfu_pretraining)}, {"total", number(a.run_mfu_total)}}},
        {"pretraining", stage_json(a, 0)},
        {"extension", stage_json(a, 1)},
        {"total", stage_json(a, 2)},
        {"samples_total_days", std::move(samples)}};
}

Json energy_json(const economics::Assessment& a) {
    const auto& e = a.energy;
    return Json{{"busy_fraction", number(e.busy_fraction)},
                {"gpu_mw", number(e.gpu_power.value() / 1e6)},
                {"server_mw", number(e.server_power.value() / 1e6)},
                {"network_mw", number(e.network_power.value() / 1e6)},
                {"it_mw", number(e.it_power.value() / 1e6)},
                {"facility_mw", number(e.facility_power.value() / 1e6)},
                {"pue", number(e.pue)},
                {"mwh", percentiles_json(a.energy_mwh.total)},
                {"assumptions", Json{{"gpu_idle_fraction", cited_json(a.power.gpu_idle_fraction)},
                                     {"non_gpu_server_fraction", cited_json(a.power.non_gpu_server_fraction)},
                                     {"network_watts_per_endpoint", cited_json(a.power.network_watts_per_endpoint)},
                                     {"pue", cited_json(a.power.pue)}}}};
}

Json ownership_json(const economics::Assessment& a) {
    if (!a.ownership_p50 || !a.ownership_prices || !a.cluster_purchase) return nullptr;
    const auto& o = *a.ownership_p50;
    const auto& p = *a.ownership_prices;
    return Json{{"covers", economics::kOwnershipCovers},
                {"hardware_usd", number(o.hardware.value())},
                {"network_usd", number(o.network.value())},
                {"electricity_usd", number(o.electricity.value())},
                {"total_usd", number(o.total().value())},
                {"cluster_purchase_usd", number(a.cluster_purchase->value())},
                {"network_endpoints", a.network_endpoints},
                {"prices", Json{{"per_gpu_usd", number(p.purchase.per_gpu.value())},
                                {"per_gpu_source", p.purchase.source},
                                {"per_endpoint_usd", number(p.network.per_endpoint.value())},
                                {"per_endpoint_source", p.network.source},
                                {"usd_per_kwh", number(p.electricity.price.value() * 3.6e6)},
                                {"electricity_source", p.electricity.source},
                                {"lifetime_years", number(p.lifetime.count() / 86400.0 / 365.25)},
                                {"lifetime_source", p.lifetime_source}}}};
}

Json claims_json(const RunReport& report) {
    Json claims = Json::array();
    for (const auto& check : report.claims) {
        Json figures = Json::array();
        for (const auto& f : check.figures) {
            figures.push_back(Json{
                {"quantity", std::string(economics::to_string(f.claimed.quantity))},
                {"scope", std::string(economics::to_string(f.claimed.scope))},
                {"bound", std::string(economics::to_string(f.claimed.bound))},
                {"claimed", number(f.claimed.value)},
                {"claimed_high",
                 f.claimed.bound == economics::ClaimBound::between ? number(f.claimed.value_high) : Json(nullptr)},
                {"gpu_vendor", f.claimed.vendor},
                {"gpu_model", f.claimed.model},
                {"without", f.claimed.negated},
                {"covers", f.claimed.covers},
                {"simulated_stages", economics::to_string(f.simulated_stages)},
                {"unsimulated", number(f.claimed.unsimulated)},
                {"note", f.claimed.note},
                {"compared", number(f.compared)},
                {"simulated", percentiles_json(f.simulated)},
                {"band_low", number(f.band_low)},
                {"band_high", number(f.band_high)},
                {"difference_pct", number(f.difference_pct)},
                {"verdict", std::string(economics::to_string(f.verdict))},
                {"headline", f.headline},
                {"implied_mfu", number(f.implied_mfu)},
                {"simulated_mfu", number(f.simulated_mfu)},
                {"gpus_needed", f.gpus_needed ? number(*f.gpus_needed) : Json(nullptr)},
                {"price_needed_usd_per_gpu_hour",
                 f.claimed.quantity == economics::ClaimedQuantity::cost_usd ? number(f.price_needed) : Json(nullptr)},
                {"explanation", f.explanation}});
            if (!f.stage_lines.empty()) figures.back()["stages"] = f.stage_lines;
        }
        Json best = check.best_mfu ? Json{{"mfu", number(check.best_mfu->mfu)}, {"source", check.best_mfu->source}}
                                   : Json(nullptr);
        claims.push_back(Json{{"name", check.claim.name},
                              {"statement", check.claim.statement},
                              {"source", check.claim.source},
                              {"gpu", check.gpu},
                              {"gpus", check.gpus},
                              {"gpu_vendor", check.gpu_vendor},
                              {"verdict", std::string(economics::to_string(check.verdict))},
                              {"headline", check.headline},
                              {"best_published_mfu", std::move(best)},
                              {"figures", std::move(figures)}});
    }
    return claims;
}
} // namespace

Json spread_json(const Spread& s) { return Json{{"p5", number(s.p5)}, {"p50", number(s.p50)}, {"p95", number(s.p95)}}; }

Json uncertainty_json(const UncertaintyReport& u) {
    Json inputs = Json::array();
    for (const auto& i : u.inputs) inputs.push_back(Json{{"key", i.key}, {"range", i.range}, {"source", i.source}});
    Json days = Json::array();
    for (const double d : u.days_samples) days.push_back(number(d));
    Json sensitivity = Json::array();
    for (const auto& r : u.sensitivity)
        sensitivity.push_back(Json{{"key", r.key},
                                   {"input_low", number(r.input_low)},
                                   {"input_high", number(r.input_high)},
                                   {"p50_duration_days_low", number(r.days_low)},
                                   {"p50_duration_days_high", number(r.days_high)},
                                   {"p50_cost_usd_low", number(r.dollars_low)},
                                   {"p50_cost_usd_high", number(r.dollars_high)}});
    return Json{{"inputs", std::move(inputs)},
                {"samples", u.samples},
                {"duration_days", spread_json(u.days)},
                {"gpu_hours", spread_json(u.gpu_hours)},
                {"cost_usd", spread_json(u.dollars)},
                {"duration_days_samples", std::move(days)},
                {"sensitivity", std::move(sensitivity)},
                {"interpolation_checks", u.interpolation_checks},
                {"interpolation_error", u.interpolation_error ? number(*u.interpolation_error) : Json(nullptr)}};
}

nlohmann::ordered_json report_json(const RunReport& report) {
    const auto& run = report.run;
    const run::RunPhase* steady = steady_phase(run);
    const training::StepResult no_step;
    const training::StepResult& step = steady != nullptr ? steady->step : no_step;

    Json phases = Json::array();
    for (const auto& phase : run.phases) {
        phases.push_back(phase_json(phase));
    }

    Json out;
    out["schema"] = "tcsim.run/2"; // name/version of this document's layout (README, "Output formats")
    out["schema_version"] = 2;
    out["tcsim_version"] = TCSIM_VERSION;
    out["cluster"] = report.scenario.cluster;
    out["gpu"] = report.scenario.gpu;
    out["gpu_vendor"] = report.scenario.gpu_vendor;
    if (!report.scenario.efficiency_warning.empty())
        out["warnings"] = Json::array({"efficiency borrowed: " + report.scenario.efficiency_warning});
    out["workload"] = report.scenario.workload;
    out["gpus"] = report.scenario.gpus;
    if (!report.overrides.empty()) out["overrides"] = report.overrides;
    if (!report.builtin_inputs.empty()) out["builtin_inputs"] = report.builtin_inputs;
    out["step_time_s"] = number(step.step_seconds);
    out["mfu"] = number(step.mfu);
    out["mfu_gemm_dtype"] = number(step.mfu_gemm_dtype);
    out["tokens_per_s_per_gpu"] = number(step.tokens_per_s_per_gpu);
    out["tflops_per_gpu"] = number(step.tflops_per_gpu);
    out["tokens"] = number(total_tokens(run));
    out["pretrain_tokens"] = number(run.pretrain_tokens);
    // Failure-free and with-failures (p50) figures under names that say which (schema 2; schema
    // 1's duration_days, gpu_hours and cost_usd were the failure-free ones).
    out["failure_free_duration_days"] = number(run.seconds() / seconds_per_day);
    out["failure_free_gpu_hours"] = number(report.total_cost.gpu_hours);
    out["failure_free_cost_usd"] = number(report.total_cost.dollars.value());
    if (report.assessment) {
        out["p50_duration_days"] = number(report.assessment->days.total.p50);
        out["p50_gpu_hours"] = number(report.assessment->gpu_hours.total.p50);
        out["p50_cost_usd"] = number(report.assessment->rental_usd.total.p50);
    }
    out["pretraining"] =
        costs(run.pretrain_seconds, report.pretrain_cost.gpu_hours, report.pretrain_cost.dollars.value());
    out["extension"] = costs(run.extension_seconds, report.total_cost.gpu_hours - report.pretrain_cost.gpu_hours,
                             report.total_cost.dollars.value() - report.pretrain_cost.dollars.value());
    out["breakdown"] = steady_breakdown(steady);
    out["phases"] = std::move(phases);
    if (!report.post_training.empty()) {
        Json stages = Json::array();
        for (const PostTrainingReport& p : report.post_training) {
            const economics::Assessment& a = p.assessment;
            const run::RunPhase& ph = p.result.run.phases.front();
            Json stage{{"name", p.result.name},
                       {"kind", std::string(workload::to_string(p.result.kind))},
                       {"gpus", p.result.run.gpus},
                       {"layout", run::layout_text(ph.parallel)},
                       {"seq_len", ph.seq_len},
                       {"steps", number(ph.steps)},
                       {"tokens", number(ph.tokens)},
                       {"step_time_s", number(ph.steps > 0 ? ph.seconds / ph.steps : ph.step.step_seconds)},
                       {"failure_free_days", number(ph.seconds / seconds_per_day)},
                       {"model_flops", number(ph.model_flops)},
                       {"days", percentiles_json(a.days.pretraining)},
                       {"gpu_hours", percentiles_json(a.gpu_hours.pretraining)},
                       {"rental_usd", percentiles_json(a.rental_usd.pretraining)},
                       {"energy_mwh", percentiles_json(a.energy_mwh.pretraining)},
                       {"failures", percentiles_json(a.failures.failures)}};
            if (p.result.rl) {
                const run::RlStepDetail& r = *p.result.rl;
                stage["rl_step"] = Json{{"rollout_s", number(r.rollout_s)},
                                        {"weight_sync_s", number(r.weight_sync_s)},
                                        {"scoring_s", number(r.scoring_s)},
                                        {"update_s", number(r.update_s)},
                                        {"step_s", number(r.step_s)},
                                        {"trainer_gpus", r.trainer_gpus},
                                        {"rollout_gpus", r.rollout_gpus},
                                        {"engines", r.engines},
                                        {"slots", r.slots},
                                        {"samples", r.samples},
                                        {"updates_per_rollout", r.updates_per_rollout},
                                        {"mean_response_tokens", number(r.mean_response)},
                                        {"longest_response_tokens", r.longest_response},
                                        {"slot_utilisation", number(r.slot_utilisation)},
                                        {"forward_passes", r.forward_passes},
                                        {"update_seq_len", r.update_seq_len}};
            }
            stages.push_back(std::move(stage));
        }
        out["post_training"] = std::move(stages);
    }
    out["price"] = Json{{"usd_per_gpu_hour", number(report.total_cost.price.value())},
                        {"source", report.total_cost.price_source},
                        {"date", report.price_date}};
    out["covers"] = report.covers;
    if (report.published) {
        out["published"] = published_json(report);
    }
    if (report.assessment) {
        out["run_with_failures"] = failures_json(*report.assessment);
        out["energy"] = energy_json(*report.assessment);
        out["ownership"] = ownership_json(*report.assessment);
    }
    if (report.uncertainty) out["uncertainty"] = uncertainty_json(*report.uncertainty);
    if (!report.claims.empty()) {
        out["claims"] = claims_json(report);
        out["verdict_rule"] = report.verdict_rule;
    }
    if (!report.related.empty()) {
        Json related = Json::array();
        for (const RunReport& other : report.related) related.push_back(report_json(other));
        out["related_runs"] = std::move(related);
    }
    if (!report.summary.empty()) out["summary"] = report.summary;
    return out;
}

std::string render_json(const RunReport& report) {
    return report_json(report).dump(2, ' ', false, Json::error_handler_t::replace) + '\n';
}

} // namespace tcsim::report
