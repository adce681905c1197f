#include "sweep/sweep_report.hpp"

#include "report/csv_text.hpp"
#include "report/json_number.hpp"
#include "units/number_text.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <functional>
#include <string_view>
#include <utility>

namespace tcsim::sweep {

namespace {

using Json = nlohmann::ordered_json;
using units::printf_number;
using units::with_thousands;

Json number(double value) { return report::json_number(value); }

std::string combine_text(const SweepSpec& spec) {
    std::string out;
    for (std::size_t a = 0; a < spec.axes.size(); ++a) {
        const Axis& axis = spec.axes[a];
        if (axis.zip_with || (spec.combine == Combine::zip && a > 0)) continue;
        std::string group = axis.key;
        for (std::size_t b = a + 1; b < spec.axes.size(); ++b)
            if (spec.combine == Combine::zip || spec.axes[b].zip_with == a) group += " + " + spec.axes[b].key;
        out += (out.empty() ? "" : " x ") + group + " (" + std::to_string(axis.values.size()) + ")";
    }
    return out;
}

constexpr std::string_view kCovers =
    "each point is the whole run (pre-training + context extension) as tcsim run assesses it: failure-free figures, "
    "and the run with simulated failures (p5/p50/p95 days, p50 GPU-hours, rental and ownership dollars, facility "
    "energy)";

/// The figures of a row by their CSV/JSON names, in column order.
std::vector<std::pair<std::string_view, double>> figures(const SweepRow& r) {
    return {{"price_usd_per_gpu_hour", r.price_per_gpu_hour},
            {"step_time_s", r.step_time_s},
            {"mfu", r.mfu},
            {"days_failure_free", r.days_failure_free},
            {"gpu_hours_failure_free", r.gpu_hours_failure_free},
            {"rental_usd_failure_free", r.rental_usd_failure_free},
            {"days_p5", r.days_p5},
            {"days_p50", r.days_p50},
            {"days_p95", r.days_p95},
            {"gpu_hours_p50", r.gpu_hours_p50},
            {"rental_usd_p50", r.rental_usd_p50},
            {"ownership_usd_p50", r.ownership_usd_p50},
            {"energy_mwh_p50", r.energy_mwh_p50}};
}

std::string money(double x) { return std::isfinite(x) ? "$" + with_thousands(x) : "n/a"; }
std::string fixed(const char* pattern, double x) { return std::isfinite(x) ? printf_number(pattern, x) : "n/a"; }

} // namespace

std::string render_sweep_table(const SweepSpec& spec, const std::vector<SweepRow>& rows) {
    std::string out = "tcsim sweep" + (spec.name.empty() ? std::string() : ": " + spec.name) + "\n";
    out += "  file:    " + spec.path + " (" + std::to_string(rows.size()) + " points: " + combine_text(spec) + ")\n";
    if (!spec.cluster.empty()) out += "  cluster: " + spec.cluster + "\n";
    if (!spec.workload.empty()) out += "  workload: " + spec.workload + "\n";
    out += "  covers:  " + std::string(kCovers) + "\n\n";

    std::vector<std::string> head{"point"};
    for (const Axis& axis : spec.axes) head.push_back(axis.key);
    const std::size_t fixed_columns = head.size();
    for (const char* h :
         {"layout", "step time", "MFU", "days", "days p50", "(p5-p95)", "GPU-hours p50", "rental p50", "ownership p50"})
        head.emplace_back(h);
    std::vector<std::vector<std::string>> cells;
    for (const SweepRow& r : rows) {
        std::vector<std::string> c{std::to_string(r.point)};
        for (const std::string& v : r.values) c.push_back(v);
        if (r.status == RowStatus::ok) {
            c.push_back(r.layout);
            c.push_back(fixed("%.3f s", r.step_time_s));
            c.push_back(fixed("%.1f %%", r.mfu * 100));
            c.push_back(fixed("%.1f", r.days_failure_free));
            c.push_back(fixed("%.1f", r.days_p50));
            c.push_back(std::isfinite(r.days_p5)
                            ? printf_number("%.1f", r.days_p5) + "-" + printf_number("%.1f", r.days_p95)
                            : "n/a");
            c.push_back(std::isfinite(r.gpu_hours_p50) ? with_thousands(r.gpu_hours_p50) : "n/a");
            c.push_back(money(r.rental_usd_p50));
            c.push_back(money(r.ownership_usd_p50));
        } else {
            c.push_back(std::string(r.status == RowStatus::refused ? "refused: " : "internal error: ") + r.reason);
        }
        cells.push_back(std::move(c));
    }
    std::vector<std::size_t> width(head.size(), 0);
    for (std::size_t k = 0; k < head.size(); ++k) width[k] = head[k].size();
    for (const auto& c : cells)
        for (std::size_t k = 0; k < c.size() && (c.size() == head.size() || k < fixed_columns); ++k)
            width[k] = std::max(width[k], c[k].size());
    auto line = [&](const std::vector<std::string>& c) {
        std::string text;
        for (std::size_t k = 0; k < c.size(); ++k) {
            // Text columns to the left, numbers (after the layout) to the right.
            const bool left = k < fixed_columns + 1 || c.size() != head.size();
            std::string cell = c[k];
            if (k + 1 < c.size() || !left) {
                const std::string pad(width[k] > cell.size() ? width[k] - cell.size() : 0, ' ');
                cell = left ? cell + pad : pad + cell;
            }
            text += (k == 0 ? "" : "  ") + cell;
        }
        while (!text.empty() && text.back() == ' ') text.pop_back();
        return text + "\n";
    };
    out += line(head);
    for (const auto& c : cells) out += line(c);
    return out;
}

std::string render_sweep_csv(const SweepSpec& spec, const std::vector<SweepRow>& rows) {
    std::vector<std::string> head{"point"};
    for (const Axis& axis : spec.axes) head.push_back(axis.key);
    for (const char* h : {"status", "cluster", "gpu", "gpus", "layout"}) head.emplace_back(h);
    for (const auto& [name, value] : figures(SweepRow{})) head.emplace_back(name);
    head.emplace_back("reason");
    std::string out = report::csv_record(head);
    for (const SweepRow& r : rows) {
        std::vector<std::string> f{std::to_string(r.point)};
        for (const std::string& v : r.values) f.push_back(v);
        const bool ok = r.status == RowStatus::ok;
        f.emplace_back(to_string(r.status));
        f.push_back(r.cluster);
        f.push_back(r.gpu);
        f.push_back(ok ? std::to_string(r.gpus) : std::string());
        f.push_back(r.layout);
        for (const auto& [name, value] : figures(r)) f.push_back(report::csv_number(value));
        f.push_back(r.reason);
        out += report::csv_record(f);
    }
    return out;
}

std::string render_sweep_json(const SweepSpec& spec, const std::vector<SweepRow>& rows) {
    Json j;
    j["schema"] = kSweepSchema;
    j["sweep"] = spec.path;
    j["name"] = spec.name;
    j["combine"] = spec.combine == Combine::product ? "product" : "zip";
    Json axes = Json::array();
    for (const Axis& axis : spec.axes) {
        Json values = Json::array();
        for (const AxisValue& v : axis.values) values.push_back(v.plain);
        axes.push_back(Json{{"key", axis.key},
                            {"values", values},
                            {"zip", axis.zip_with ? Json(spec.axes[*axis.zip_with].key) : Json(nullptr)}});
    }
    j["axes"] = axes;
    j["covers"] = kCovers;
    Json points = Json::array();
    for (const SweepRow& r : rows) {
        Json p;
        p["point"] = r.point;
        Json values = Json::object();
        for (std::size_t a = 0; a < spec.axes.size() && a < r.values.size(); ++a)
            values[spec.axes[a].key] = r.values[a];
        p["values"] = values;
        p["status"] = to_string(r.status);
        const bool ok = r.status == RowStatus::ok;
        p["cluster"] = ok ? Json(r.cluster) : Json(nullptr);
        p["gpu"] = ok ? Json(r.gpu) : Json(nullptr);
        p["gpus"] = ok ? Json(r.gpus) : Json(nullptr);
        p["layout"] = ok ? Json(r.layout) : Json(nullptr);
        for (const auto& [name, value] : figures(r)) p[std::string(name)] = number(value);
        p["reason"] = r.reason.empty() ? Json(nullptr) : Json(r.reason);
        points.push_back(std::move(p));
    }
    j["points"] = points;
    return j.dump(2) + "\n";
}

} // namespace tcsim::sweep
