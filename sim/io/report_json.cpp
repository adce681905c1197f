// JSON report. ordered_json keeps the keys in the documented order (stable and readable);
// numbers are rounded to 9 significant digits before nlohmann writes them, so that the text
// does not show the last bits of floating-point sums.
#include "io/report_json.hpp"

#include <cmath>

namespace tcsim::io {
namespace {

using Json = nlohmann::ordered_json;

constexpr double seconds_per_day = 86400.0;

/// `value` to 9 significant digits; non-finite values become null.
Json number(double value) {
    if (!std::isfinite(value)) {
        return nullptr;
    }
    if (value == 0.0) {
        return 0.0;
    }
    constexpr int significant = 9;
    const int magnitude = static_cast<int>(std::floor(std::log10(std::fabs(value))));
    // Scale by an exact power of ten (multiplying by 1e-5 would not be exact): the rounded
    // value is then the double nearest to its 9-digit decimal, which nlohmann writes as such.
    const int decimals = significant - 1 - magnitude;
    if (decimals >= 0) {
        const double scale = std::pow(10.0, decimals);
        return std::round(value * scale) / scale;
    }
    const double unit = std::pow(10.0, -decimals);
    return std::round(value / unit) * unit;
}

Json costs(double seconds, double gpu_hours, double dollars) {
    return Json{{"duration_days", number(seconds / seconds_per_day)},
                {"gpu_hours", number(gpu_hours)},
                {"cost_usd", number(dollars)}};
}

Json breakdown(const replay::StepBreakdown& b) {
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
                {"bubble_pct", pct(step.breakdown.bubble_s)}};
}

Json phase_json(const run::RunPhase& phase) {
    return Json{{"name", phase.name},
                {"extension", phase.extension},
                {"seq_len", phase.seq_len},
                {"global_batch_sequences", phase.global_batch_sequences},
                {"simulated_batch_sequences", phase.simulated_batch_sequences},
                {"steps", number(phase.steps)},
                {"tokens", number(phase.tokens)},
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

} // namespace

nlohmann::ordered_json report_json(const RunReport& report) {
    const auto& run = report.run;
    const run::RunPhase* steady = steady_phase(run);
    const replay::StepResult no_step;
    const replay::StepResult& step = steady != nullptr ? steady->step : no_step;

    Json phases = Json::array();
    for (const auto& phase : run.phases) {
        phases.push_back(phase_json(phase));
    }

    Json out;
    out["cluster"] = report.scenario.cluster;
    out["gpu"] = report.scenario.gpu;
    out["workload"] = report.scenario.workload;
    out["gpus"] = report.scenario.gpus;
    out["step_time_s"] = number(step.step_seconds);
    out["mfu"] = number(step.mfu);
    out["mfu_gemm_dtype"] = number(step.mfu_gemm_dtype);
    out["tokens_per_s_per_gpu"] = number(step.tokens_per_s_per_gpu);
    out["tflops_per_gpu"] = number(step.tflops_per_gpu);
    out["tokens"] = number(total_tokens(run));
    out["pretrain_tokens"] = number(run.pretrain_tokens);
    out["duration_days"] = number(run.seconds() / seconds_per_day);
    out["gpu_hours"] = number(report.total_cost.gpu_hours);
    out["cost_usd"] = number(report.total_cost.dollars.value());
    out["pretraining"] = costs(run.pretrain_seconds, report.pretrain_cost.gpu_hours,
                               report.pretrain_cost.dollars.value());
    out["extension"] = costs(run.extension_seconds, report.total_cost.gpu_hours - report.pretrain_cost.gpu_hours,
                             report.total_cost.dollars.value() - report.pretrain_cost.dollars.value());
    out["breakdown"] = steady_breakdown(steady);
    out["phases"] = std::move(phases);
    out["price"] = Json{{"usd_per_gpu_hour", number(report.total_cost.price.value())},
                        {"source", report.total_cost.price_source},
                        {"date", report.price_date}};
    out["covers"] = report.covers;
    if (report.published) {
        out["published"] = published_json(report);
    }
    return out;
}

std::string render_json(const RunReport& report) {
    return report_json(report).dump(2, ' ', false, Json::error_handler_t::replace) + '\n';
}

} // namespace tcsim::io
