// Plain-text report. Formatting goes through snprintf with fixed precision (GCC 12 has no
// std::format); the program never calls setlocale, so the "C" conventions hold and the same
// report gives the same bytes.
#include "io/report_table.hpp"

#include <algorithm>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

namespace tcsim::io {
namespace {

constexpr double seconds_per_day = 86400.0;

#if defined(__GNUC__)
__attribute__((format(printf, 1, 2)))
#endif
std::string format(const char* pattern, ...) {
    va_list args;
    va_start(args, pattern);
    va_list copy;
    va_copy(copy, args);
    const int size = std::vsnprintf(nullptr, 0, pattern, copy);
    va_end(copy);
    std::string text(static_cast<std::size_t>(std::max(size, 0)) + 1, '\0');
    std::vsnprintf(text.data(), text.size(), pattern, args);
    va_end(args);
    text.resize(static_cast<std::size_t>(std::max(size, 0)));
    return text;
}

/// Rounds to an integer and writes it with thousands separators: 2663912.4 -> "2,663,912".
std::string grouped(double value) {
    if (!std::isfinite(value)) {
        return "n/a";
    }
    const double rounded = std::round(value);
    std::string digits = format("%.0f", std::fabs(rounded));
    std::string out;
    const std::size_t n = digits.size();
    for (std::size_t i = 0; i < n; ++i) {
        out += digits[i];
        const std::size_t left = n - 1 - i;
        if (left > 0 && left % 3 == 0) {
            out += ',';
        }
    }
    return (rounded < 0 ? "-" : "") + out;
}

/// Fixed-point with `decimals`, never "-0.0".
std::string fixed(double value, int decimals) {
    if (!std::isfinite(value)) {
        return "n/a";
    }
    std::string text = format("%.*f", decimals, value);
    if (text.front() == '-' && text.find_first_not_of("-0.") == std::string::npos) {
        text.erase(0, 1);
    }
    return text;
}

std::string percent(double fraction) { return fixed(fraction * 100.0, 1) + " %"; }

std::string signed_percent(double pct) {
    // Built by appending: GCC 12 at -O3 warns falsely (-Wrestrict, GCC bug 105329) on
    // std::string insert/operator+ with a short literal in front.
    const std::string number = fixed(pct, 1);
    std::string text;
    if (number.front() != '-') text.push_back('+');
    text.append(number).append(" %");
    return text;
}

std::string pad_left(const std::string& text, std::size_t width) {
    return text.size() >= width ? text : std::string(width - text.size(), ' ') + text;
}

std::string pad_right(const std::string& text, std::size_t width) {
    return text.size() >= width ? text : text + std::string(width - text.size(), ' ');
}

/// A table of left-aligned first column and right-aligned others, two spaces between columns,
/// indented by two spaces.
class TextTable {
public:
    explicit TextTable(std::vector<std::string> header) { rows_.push_back(std::move(header)); }
    void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }

    [[nodiscard]] std::string render() const {
        std::vector<std::size_t> widths;
        for (const auto& row : rows_) {
            widths.resize(std::max(widths.size(), row.size()), 0);
            for (std::size_t c = 0; c < row.size(); ++c) {
                widths[c] = std::max(widths[c], row[c].size());
            }
        }
        std::string out;
        for (const auto& row : rows_) {
            std::string line = " ";
            for (std::size_t c = 0; c < row.size(); ++c) {
                line += ' ';
                line += c == 0 ? pad_right(row[c], widths[c]) : pad_left(row[c], widths[c]);
                if (c + 1 < row.size()) {
                    line += ' ';
                }
            }
            while (!line.empty() && line.back() == ' ') {
                line.pop_back();
            }
            out += line + '\n';
        }
        return out;
    }

private:
    std::vector<std::vector<std::string>> rows_;
};

std::string phases_section(const RunReport& report) {
    TextTable table({"phase", "seq len", "batch", "simulated at", "steps", "step time", "MFU", "tokens/s/GPU", "days"});
    bool rounded = false;
    for (const auto& phase : report.run.phases) {
        const bool differs = phase.simulated_batch_sequences != phase.global_batch_sequences;
        rounded = rounded || differs;
        table.add({phase.name, std::to_string(phase.seq_len), grouped(phase.global_batch_sequences),
                   grouped(phase.simulated_batch_sequences) + (differs ? "*" : ""), grouped(phase.steps),
                   fixed(phase.step.step_seconds, 3) + " s", percent(phase.step.mfu),
                   grouped(phase.step.tokens_per_s_per_gpu), fixed(phase.seconds / seconds_per_day, 2)});
    }
    table.add({"total", "", "", "", "", "", "", "", fixed(report.run.seconds() / seconds_per_day, 2)});
    std::string out = "Phases\n" + table.render();
    if (rounded)
        out += "  * the layout cannot run this batch (too few or indivisible micro-batches per pipeline); the step\n"
               "    is simulated at the nearest batch it can run and the phase is priced at that step's tokens/s\n";
    return out;
}

std::string breakdown_section(const RunReport& report) {
    const run::RunPhase* steady = steady_phase(report.run);
    if (steady == nullptr) {
        return "Step breakdown\n  (no phases simulated)\n";
    }
    const auto& step = steady->step;
    const double total = step.step_seconds;
    auto share = [total](double seconds) { return total > 0 ? percent(seconds / total) : std::string("n/a"); };
    TextTable table({"part", "time", "of step"});
    table.add({"compute", fixed(step.breakdown.compute_s, 3) + " s", share(step.breakdown.compute_s)});
    table.add({"exposed communication", fixed(step.breakdown.exposed_comm_s, 3) + " s",
               share(step.breakdown.exposed_comm_s)});
    table.add({"pipeline bubble", fixed(step.breakdown.bubble_s, 3) + " s", share(step.breakdown.bubble_s)});
    table.add({"step", fixed(total, 3) + " s", share(total)});
    return "Step breakdown (" + steady->name + " phase)\n" + table.render();
}

std::optional<PublishedValue> published_value(const RunReport& report, Figure figure) {
    if (!report.published) {
        return std::nullopt;
    }
    for (const auto& value : report.published->values) {
        if (value.figure == figure) {
            return value;
        }
    }
    return std::nullopt;
}

std::string money(double dollars) {
    std::string text(1, '$');  // appended, not "$" + ...: see signed_percent
    text.append(grouped(dollars));
    return text;
}

std::string totals_section(const RunReport& report) {
    const bool compare = report.published.has_value() && !report.published->values.empty();
    std::vector<std::string> header{"figure", "tcsim"};
    if (compare) {
        header.insert(header.end(), {"published", "difference"});
    }
    TextTable table(std::move(header));
    auto row = [&](const std::string& label, const std::string& tcsim, std::optional<Figure> figure,
                   std::string (*as_text)(double)) {
        std::vector<std::string> cells{label, tcsim};
        if (compare) {
            std::optional<PublishedValue> published;
            if (figure) {
                published = published_value(report, *figure);
            }
            if (published) {
                cells.push_back(as_text(published->value));
                cells.push_back(signed_percent(difference_percent(predicted(report, *figure), published->value)));
            } else {
                cells.insert(cells.end(), {"-", "-"});
            }
        }
        table.add(std::move(cells));
    };
    auto days_text = [](double days) { return fixed(days, 1); };
    const auto& run = report.run;
    const double extension_gpu_hours = report.total_cost.gpu_hours - report.pretrain_cost.gpu_hours;
    const double extension_dollars = report.total_cost.dollars.value() - report.pretrain_cost.dollars.value();
    auto figure_row = [&](Figure figure, std::string (*as_text)(double)) {
        row(std::string(label(figure)), as_text(predicted(report, figure)), figure, as_text);
    };
    // Extension rows only when the run has context-extension phases.
    const bool extension = std::any_of(run.phases.begin(), run.phases.end(),
                                       [](const run::RunPhase& phase) { return phase.extension; });
    figure_row(Figure::pretrain_days, days_text);
    if (extension) {
        row("days, extension", days_text(run.extension_seconds / seconds_per_day), std::nullopt, days_text);
    }
    figure_row(Figure::total_days, days_text);
    figure_row(Figure::pretrain_gpu_hours, grouped);
    if (extension) {
        row("GPU-hours, extension", grouped(extension_gpu_hours), std::nullopt, grouped);
    }
    figure_row(Figure::total_gpu_hours, grouped);
    figure_row(Figure::pretrain_cost_usd, money);
    if (extension) {
        row("dollars, extension", money(extension_dollars), std::nullopt, money);
    }
    figure_row(Figure::total_cost_usd, money);

    std::string price = "  dollars at $" + fixed(report.total_cost.price.value(), 2) + " per GPU-hour";
    if (!report.price_date.empty()) {
        price += ", quoted " + report.price_date;
    }
    if (!report.total_cost.price_source.empty()) {
        price += "; price source: " + report.total_cost.price_source;
    }
    return "Totals\n" + table.render() + price + '\n';
}

} // namespace

std::string render_table(const RunReport& report) {
    const auto& s = report.scenario;
    std::string out = "tcsim prediction\n  workload: " + s.workload + "\n  cluster:  " + s.cluster + ", " +
                      grouped(s.gpus) + " x " + s.gpu + "\n\n";
    out += phases_section(report) + '\n';
    out += breakdown_section(report) + '\n';
    out += totals_section(report) + '\n';
    if (report.published) {
        out += "Published: " + report.published->source + '\n';
        for (const auto& value : report.published->values) {
            if (!value.note.empty()) {
                out += "  " + std::string(label(value.figure)) + ": " + value.note + '\n';
            }
        }
    }
    out += "Covers: " + report.covers + '\n';
    return out;
}

} // namespace tcsim::io
