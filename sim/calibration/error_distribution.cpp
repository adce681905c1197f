#include "calibration/error_distribution.hpp"

#include "units/number_text.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace tcsim::calibration {

double percentile_type7(const std::vector<double>& sorted, double q) {
    if (sorted.empty()) throw std::invalid_argument("percentile_type7: no values");
    const double h = (static_cast<double>(sorted.size()) - 1.0) * std::clamp(q, 0.0, 1.0);
    const auto lower = static_cast<std::size_t>(std::floor(h));
    const std::size_t upper = std::min(lower + 1, sorted.size() - 1);
    return sorted[lower] + (h - static_cast<double>(lower)) * (sorted[upper] - sorted[lower]);
}

std::vector<ErrorDistribution> error_distributions(const ValidationReport& report) {
    std::vector<ErrorDistribution> out;
    for (const PredictionKind kind : kPredictionKinds) {
        for (const bool in_sample : {false, true}) {
            ErrorDistribution d;
            d.kind = kind;
            d.in_sample = in_sample;
            std::vector<double> ratios;
            double abs_sum = 0;
            for (const ValidationRow& row : report.rows) {
                if (row.prediction != kind || row.in_sample != in_sample) continue;
                if (!row.reason.empty() || !std::isfinite(row.error) || !(row.predicted > 0)) continue;
                ratios.push_back(row.published.value / row.predicted);
                abs_sum += std::abs(row.error);
                if (std::find(d.sets.begin(), d.sets.end(), row.set) == d.sets.end()) d.sets.push_back(row.set);
            }
            if (ratios.empty()) continue;
            std::sort(ratios.begin(), ratios.end());
            d.values = static_cast<int>(ratios.size());
            d.mean_abs_error = abs_sum / static_cast<double>(ratios.size());
            d.ratio_p10 = percentile_type7(ratios, 0.10);
            d.ratio_p50 = percentile_type7(ratios, 0.50);
            d.ratio_p90 = percentile_type7(ratios, 0.90);
            d.ratio_min = ratios.front();
            d.ratio_max = ratios.back();
            out.push_back(std::move(d));
        }
    }
    return out;
}

std::optional<ErrorDistribution> predicted(const std::vector<ErrorDistribution>& all, PredictionKind kind) {
    for (const auto& d : all)
        if (d.kind == kind && !d.in_sample) return d;
    return std::nullopt;
}

namespace {

std::string joined(const std::vector<std::string>& names, const std::string& separator) {
    std::string out;
    for (std::size_t i = 0; i < names.size(); ++i) out += (i == 0 ? "" : separator) + names[i];
    return out;
}

std::string padded(std::string text, std::size_t width, bool right) {
    if (text.size() >= width) return text;
    const std::string pad(width - text.size(), ' ');
    return right ? pad + text : text + pad;
}

} // namespace

std::string render_error_table(const std::vector<ErrorDistribution>& all) {
    std::string out =
        "How far published values fall from tcsim's predictions, by kind (published / tcsim; in-sample: "
        "from sets a parameter was fitted on, whose leave-one-out errors the fitted parameter's source gives in "
        "topologies/efficiency/)\n";
    out += "  " + padded("kind", 18, false) + padded("basis", 12, false) + padded("n", 4, true) +
           padded("mean error", 12, true) + padded("p10", 8, true) + padded("p50", 8, true) + padded("p90", 8, true) +
           padded("min", 8, true) + padded("max", 8, true) + "  sets\n";
    for (const auto& d : all) {
        out += "  " + padded(std::string(to_string(d.kind)), 18, false) +
               padded(d.in_sample ? "in-sample" : "predicted", 12, false) + padded(std::to_string(d.values), 4, true) +
               padded(units::printf_number("%.1f %%", 100.0 * d.mean_abs_error), 12, true) +
               padded(units::printf_number("%.2f", d.ratio_p10), 8, true) +
               padded(units::printf_number("%.2f", d.ratio_p50), 8, true) +
               padded(units::printf_number("%.2f", d.ratio_p90), 8, true) +
               padded(units::printf_number("%.2f", d.ratio_min), 8, true) +
               padded(units::printf_number("%.2f", d.ratio_max), 8, true) + "  " + joined(d.sets, ", ") + "\n";
    }
    return out;
}

std::string render_uncertainty_toml(const std::vector<ErrorDistribution>& all) {
    std::string out =
        "# tcsim's measured model uncertainty: how far published values fall from tcsim's predictions, per\n"
        "# kind of prediction, over the predicted (not in-sample) values of calibrations/, known gaps included.\n"
        "# Written by `tcsim validate --write-uncertainty topologies/model_uncertainty.toml` (all of\n"
        "# calibrations/); a test fails when it differs from what validation measures today. Do not edit.\n"
        "# The claim verdicts read the whole_run kind: their band is [p5 x ratio_p10, p95 x ratio_p90]\n"
        "# (sim/economics/claim_check.hpp). Ratios are published / tcsim at p10, p50, p90 (type 7).\n";
    out += "source = \"tcsim validate on calibrations/ (predicted values only)\"\n";
    for (const auto& d : all) {
        if (d.in_sample) continue;
        std::string sets;
        for (std::size_t i = 0; i < d.sets.size(); ++i) sets += (i == 0 ? "\"" : ", \"") + d.sets[i] + "\"";
        out += "\n[[kind]]\n";
        out += "name = \"" + std::string(to_string(d.kind)) + "\"\n";
        out += "values = " + std::to_string(d.values) + "\n";
        out += "sets = [" + sets + "]\n";
        out += "mean_abs_error = " + units::printf_number("%.4f", d.mean_abs_error) + "\n";
        out += "ratio_p10 = " + units::printf_number("%.4f", d.ratio_p10) + "\n";
        out += "ratio_p50 = " + units::printf_number("%.4f", d.ratio_p50) + "\n";
        out += "ratio_p90 = " + units::printf_number("%.4f", d.ratio_p90) + "\n";
        out += "ratio_min = " + units::printf_number("%.4f", d.ratio_min) + "\n";
        out += "ratio_max = " + units::printf_number("%.4f", d.ratio_max) + "\n";
    }
    return out;
}

} // namespace tcsim::calibration
