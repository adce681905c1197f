#include "calibration/validation_report.hpp"

#include "units/number_text.hpp"

#include "calibration/error_distribution.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace tcsim::calibration {
namespace {

std::string signed_percent(double fraction) { return units::printf_number("%+.1f %%", 100.0 * fraction); }
std::string plain_percent(double fraction) { return units::printf_number("%.1f %%", 100.0 * fraction); }

std::string pad(std::string s, std::size_t width, bool right = false) {
    if (s.size() >= width) return s;
    const std::string fill(width - s.size(), ' ');
    return right ? fill + s : s + fill;
}

std::size_t width_of(const std::vector<std::string>& column, std::size_t at_least) {
    std::size_t w = at_least;
    for (const auto& s : column) w = std::max(w, s.size());
    return w;
}

std::string metric_label(const PublishedValue& p) {
    std::string label(to_string(p.metric));
    if (p.metric == Metric::tflops_per_gpu || (p.metric == Metric::mfu && p.flops != FlopCount::model))
        label += " (" + std::string(to_string(p.flops)) + ")";
    return label;
}

} // namespace

std::string format_value(Metric metric, double value) {
    switch (metric) {
    case Metric::step_time: return units::printf_number(value < 10 ? "%.3f s" : "%.2f s", value);
    case Metric::tflops_per_gpu:
    case Metric::gemm_throughput: return units::printf_number("%.1f TFLOP/s", value);
    case Metric::mfu: return plain_percent(value);
    case Metric::tokens_per_s_per_gpu: return units::printf_number("%.0f tokens/s", value);
    case Metric::pretrain_gpu_hours:
    case Metric::extension_gpu_hours:
    case Metric::total_gpu_hours:
    case Metric::post_training_gpu_hours:
        return value >= 1e6 ? units::printf_number("%.3fM GPU-h", value / 1e6)
                            : units::printf_number("%.1fK GPU-h", value / 1e3);
    case Metric::pretrain_days: return units::printf_number("%.1f days", value);
    case Metric::bus_bandwidth:
    case Metric::rdma_bandwidth:
    case Metric::nvlink_bandwidth: return units::printf_number("%.1f GB/s", value);
    case Metric::expert_comm_to_compute: return units::printf_number("%.2f", value);
    case Metric::prefill_tokens_per_s_per_gpu:
    case Metric::decode_tokens_per_s_per_gpu:
    case Metric::output_tokens_per_s_per_request: return units::printf_number("%.0f tokens/s", value);
    }
    return units::printf_number("%g", value);
}

std::string_view result_text(RowStatus s) {
    switch (s) {
    case RowStatus::pass: return "pass";
    case RowStatus::fail: return "FAIL";
    case RowStatus::known_gap: return "known gap";
    case RowStatus::gap_closed: return "FAIL: passes, remove known_gap";
    case RowStatus::not_evaluated: return "FAIL: not evaluated";
    }
    return "FAIL";
}

std::string render_validation_table(const ValidationReport& report) {
    std::ostringstream out;
    const int failed = report.outside_tolerance();
    const int gaps = report.count(RowStatus::known_gap);
    const int unexpected = report.unexpected();
    const int not_evaluated = report.count(RowStatus::not_evaluated);
    out << "tcsim validate: " << report.rows.size() << " published values in " << report.sets.size() << " sets\n";

    // One column layout for every set, so the tables line up.
    std::vector<std::string> ids, metrics, published, predicted;
    for (const auto& r : report.rows) {
        ids.push_back(r.record);
        metrics.push_back(metric_label(r.published));
        published.push_back(format_value(r.published.metric, r.published.value));
        predicted.push_back(r.status() == RowStatus::not_evaluated ? "-"
                                                                   : format_value(r.published.metric, r.predicted));
    }
    const std::size_t w_id = width_of(ids, 6), w_metric = width_of(metrics, 6);
    const std::size_t w_pub = width_of(published, 9), w_pred = width_of(predicted, 9);

    for (const auto& s : report.sets) {
        out << "\n" << s.name << ": " << s.title << "\n";
        out << "  " << pad("record", w_id) << "  " << pad("metric", w_metric) << "  " << pad("published", w_pub, true)
            << "  " << pad("predicted", w_pred, true) << "     error   tol.  result\n";
        for (std::size_t i = 0; i < report.rows.size(); ++i) {
            const auto& r = report.rows[i];
            if (r.set != s.name) continue;
            out << "  " << pad(ids[i], w_id) << "  " << pad(metrics[i], w_metric) << "  "
                << pad(published[i], w_pub, true) << "  " << pad(predicted[i], w_pred, true) << "  "
                << pad(!r.reason.empty() ? "-" : signed_percent(r.error), 8, true) << "  "
                << pad(units::printf_number("%.0f %%", 100.0 * r.published.tolerance), 5, true) << "  "
                << result_text(r.status()) << "\n";
        }
        for (const auto& f : report.failures)
            if (f.set == s.name) out << "  " << pad(f.record, w_id) << "  not evaluated: " << f.message << "\n";
        if (s.rows > 0)
            out << "  MAPE " << plain_percent(s.mape) << ", worst " << signed_percent(s.worst_error) << " ("
                << s.worst_record << ", " << s.worst_metric << "); " << s.passed << " of " << s.rows << " within tolerance\n";
    }

    std::vector<std::string> names;
    for (const auto& s : report.sets) names.push_back(s.name);
    const std::size_t w_set = width_of(names, 3);
    out << "\nSummary\n  " << pad("set", w_set) << "  values  passed     MAPE     worst\n";
    for (const auto& s : report.sets)
        out << "  " << pad(s.name, w_set) << "  " << pad(std::to_string(s.rows), 6, true) << "  "
            << pad(std::to_string(s.passed), 6, true) << "  " << pad(plain_percent(s.mape), 7, true) << "  "
            << pad(signed_percent(s.worst_error), 8, true) << "\n";
    if (!report.failures.empty()) {
        out << "\nNot evaluated (" << report.failures.size() << "):\n";
        for (const auto& f : report.failures)
            out << "  " << f.set << (f.record.empty() ? "" : " / " + f.record) << ": " << f.message << "\n";
    }
    if (gaps > 0) {
        out << "\nKnown gaps (outside tolerance for the reason each record gives; open model work):\n";
        for (const auto& r : report.rows)
            if (r.status() == RowStatus::known_gap)
                out << "  " << r.record << " (" << metric_label(r.published) << ", "
                    << (r.reason.empty() ? signed_percent(r.error) : "not evaluated") << "): " << r.published.known_gap
                    << "\n";
    }
    out << "\n";
    if (report.all_pass()) {
        out << "All " << report.rows.size() << " values within tolerance.\n";
    } else {
        out << failed << " of " << report.rows.size() << " values outside tolerance (" << gaps
            << (gaps == 1 ? " known gap, " : " known gaps, ") << unexpected - not_evaluated << " unexpected)";
        if (!report.failures.empty())
            out << "; " << report.failures.size() << " records or files not evaluated (" << not_evaluated
                << " of their values failing)";
        out << ".\n";
    }
    return out.str();
}

std::string render_validation_json(const ValidationReport& report) {
    using nlohmann::json;
    json out;
    out["schema"] = "tcsim.validate/1"; // name/version of this document's layout (README, "Output formats")
    out["passed"] = report.all_pass();
    out["as_expected"] = report.as_expected();
    out["known_gaps"] = report.count(RowStatus::known_gap);
    out["unexpected"] = report.unexpected();
    out["values"] = report.rows.size();
    out["failed_values"] = report.outside_tolerance();
    out["records_not_evaluated"] = report.failures.size();
    out["values_not_evaluated"] = report.count(RowStatus::not_evaluated);
    out["sets"] = json::array();
    for (const auto& s : report.sets)
        out["sets"].push_back({{"set", s.name},
                               {"title", s.title},
                               {"values", s.rows},
                               {"passed", s.passed},
                               {"mape", s.mape},
                               {"worst_error", s.worst_error},
                               {"worst_record", s.worst_record},
                               {"worst_metric", s.worst_metric}});
    out["rows"] = json::array();
    for (const auto& r : report.rows) {
        json row{{"set", r.set},
                 {"record", r.record},
                 {"kind", std::string(to_string(r.kind))},
                 {"prediction", std::string(to_string(r.prediction))},
                 {"in_sample", r.in_sample},
                 {"metric", std::string(to_string(r.published.metric))},
                 {"unit", std::string(unit_of(r.published.metric))},
                 {"published", r.published.value},
                 {"predicted", nullptr},
                 {"published_text", format_value(r.published.metric, r.published.value)},
                 {"predicted_text", nullptr},
                 {"error", nullptr},
                 {"tolerance", r.published.tolerance},
                 {"pass", r.pass},
                 {"status", std::string(to_string(r.status()))},
                 {"known_gap", r.published.known_gap},
                 {"confidence", r.confidence},
                 {"source", r.source},
                 {"note", r.published.note},
                 {"detail", r.detail}};
        if (!r.reason.empty()) {
            row["reason"] = r.reason;
        } else {
            row["predicted"] = r.predicted;
            row["predicted_text"] = format_value(r.published.metric, r.predicted);
            row["error"] = r.error;
        }
        if (r.published.metric == Metric::tflops_per_gpu || r.published.metric == Metric::mfu)
            row["flops"] = std::string(to_string(r.published.flops));
        out["rows"].push_back(std::move(row));
    }
    out["failures"] = json::array();
    for (const auto& f : report.failures)
        out["failures"].push_back({{"set", f.set}, {"record", f.record}, {"message", f.message}});
    out["error_distributions"] = json::array();
    for (const auto& d : error_distributions(report))
        out["error_distributions"].push_back({{"prediction", std::string(to_string(d.kind))},
                                              {"in_sample", d.in_sample},
                                              {"values", d.values},
                                              {"mean_abs_error", d.mean_abs_error},
                                              {"ratio_p10", d.ratio_p10},
                                              {"ratio_p50", d.ratio_p50},
                                              {"ratio_p90", d.ratio_p90},
                                              {"ratio_min", d.ratio_min},
                                              {"ratio_max", d.ratio_max},
                                              {"sets", d.sets}});
    return out.dump(2) + "\n";
}

namespace {

/// One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break.
std::string csv_field(const std::string& s) {
    if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
    std::string out = "\"";
    for (const char c : s) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

std::string csv_number(double x) { return std::isfinite(x) ? units::printf_number("%.15g", x) : std::string(); }

} // namespace

std::string render_validation_csv(const ValidationReport& report) {
    std::ostringstream out;
    out << "set,record,kind,metric,unit,published,predicted,error,tolerance,status,reason\r\n";
    const auto line = [&out](const std::vector<std::string>& fields) {
        for (std::size_t i = 0; i < fields.size(); ++i) out << (i > 0 ? "," : "") << csv_field(fields[i]);
        out << "\r\n";
    };
    for (const auto& r : report.rows) {
        const bool evaluated = r.reason.empty();
        line({r.set, r.record, std::string(to_string(r.kind)), std::string(to_string(r.published.metric)),
              std::string(unit_of(r.published.metric)), csv_number(r.published.value),
              evaluated ? csv_number(r.predicted) : "", evaluated ? csv_number(r.error) : "",
              csv_number(r.published.tolerance), std::string(to_string(r.status())), r.reason});
    }
    // A set file that could not be read has no values to list: one line says so.
    for (const auto& f : report.failures)
        if (f.record.empty()) line({f.set, "", "", "", "", "", "", "", "", "not_evaluated", f.message});
    return out.str();
}

} // namespace tcsim::calibration
