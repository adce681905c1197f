#include "report/report_html.hpp"

#include "report/claim_words.hpp"

#include "economics/cost_model.hpp"
#include "units/number_text.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstddef>
#include <set>
#include <string>
#include <vector>

namespace tcsim::report {
namespace {

constexpr double kSecondsPerDay = 86400.0;

using units::printf_number;

std::string esc(std::string_view text) { return html_escape(text); }

/// An SVG coordinate: one decimal, the same bytes on every platform.
std::string coord(double value) { return printf_number("%.1f", value); }

std::string money(double dollars) { return "$" + units::short_number(dollars); }

std::string days_text(double days) { return printf_number(days < 10 ? "%.1f" : "%.0f", days); }

std::string verdict_class(economics::Verdict v) {
    std::string text(economics::to_string(v));
    std::replace(text.begin(), text.end(), '_', '-');
    return text;
}

std::string run_title(const RunReport& r) {
    return r.scenario.workload + " on " + units::with_thousands(r.scenario.gpus) + " x " + r.scenario.gpu + " (" +
           r.scenario.cluster + ")";
}

// ---- verdicts ---------------------------------------------------------------------------------

/// The explanation of the figure that decided the claim's verdict (its first with that verdict).
std::string deciding_explanation(const economics::ClaimCheck& check) {
    for (const auto& f : check.figures)
        if (f.verdict == check.verdict && f.headline == check.headline) return f.explanation;
    for (const auto& f : check.figures)
        if (f.verdict == check.verdict) return f.explanation;
    return check.figures.empty() ? std::string() : check.figures.front().explanation;
}

/// The first sentence of `text`: up to the first ". " before a capital letter ("sec. 3.1" and
/// "arXiv:2412.19437" do not end one).
std::string first_sentence(const std::string& text) {
    for (std::size_t at = text.find(". "); at != std::string::npos; at = text.find(". ", at + 1))
        if (at + 2 < text.size() && text[at + 2] >= 'A' && text[at + 2] <= 'Z') return text.substr(0, at + 1);
    return text;
}

/// One sentence of why: the headline when it says more than the verdict word ("implausible: would
/// need ..."), else the first sentence of the deciding figure's explanation.
std::string why(const economics::ClaimCheck& check) {
    std::string word(economics::to_string(check.verdict));
    std::replace(word.begin(), word.end(), '_', ' '); // "out of scope: ..."
    const std::string prefix = word + ": ";
    if (check.headline.size() > prefix.size() && check.headline.compare(0, prefix.size(), prefix) == 0) {
        std::string rest = check.headline.substr(prefix.size());
        rest[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(rest[0])));
        return rest + ".";
    }
    if (check.headline.size() > word.size() + 1 && check.headline.compare(0, word.size(), word) != 0)
        return check.headline + ".";
    return first_sentence(deciding_explanation(check));
}

std::string scope_text(const economics::ClaimCheck& check) {
    std::string out;
    for (const auto& f : check.figures) {
        const std::string one =
            quantity_words(f.claimed.quantity) + (f.claimed.quantity == economics::ClaimedQuantity::hardware
                                                      ? ""
                                                      : " of " + economics::stage_words(f.claimed.scope));
        out += (out.empty() ? "" : "; ") + one;
    }
    return out;
}

std::string claim_card(const economics::ClaimCheck& check) {
    std::string out = "<div class=\"claim " + verdict_class(check.verdict) + "\">\n";
    out += "<p class=\"verdict\"><span class=\"word\">" + upper_verdict(check.verdict) + "</span> " +
           esc(check.claim.name) + "</p>\n";
    out += "<blockquote>&ldquo;" + esc(check.claim.statement) + "&rdquo; <cite>" + esc(check.claim.source) +
           "</cite></blockquote>\n";
    out += "<p class=\"why\">" + esc(why(check)) + "</p>\n";
    out += "<p class=\"scope\">Scope: " + esc(scope_text(check)) + ". Simulated on " +
           units::with_thousands(check.gpus) + " x " + esc(check.gpu) + ".</p>\n";
    out += "<details><summary>The numbers</summary>\n<ul class=\"figures\">\n";
    for (const auto& f : check.figures)
        out += "<li>" + esc(quantity_words(f.claimed.quantity)) + ": " + esc(f.explanation) + "</li>\n";
    out += "</ul>\n</details>\n";
    return out + "</div>\n";
}

std::string verdicts_section(const std::vector<const RunReport*>& reports) {
    std::string out = "<section id=\"verdicts\">\n<h2>Verdicts</h2>\n";
    bool any = false;
    for (const RunReport* r : reports) {
        if (reports.size() > 1) out += "<h3>" + esc(run_title(*r)) + "</h3>\n";
        for (const auto& check : r->claims) out += claim_card(check);
        any = any || !r->claims.empty();
        for (const RunReport& other : r->related) {
            if (other.claims.empty()) continue;
            out += "<p class=\"against\">Against another run: " + esc(run_title(other)) + "</p>\n";
            for (const auto& check : other.claims) out += claim_card(check);
            any = true;
        }
    }
    if (!any) out += "<p>No claims were checked: the figures below are tcsim's prediction of the run.</p>\n";
    for (const RunReport* r : reports) {
        if (!r->summary.empty())
            out += "<details class=\"summary\"><summary>In short: a paragraph to quote</summary>\n<p>" +
                   esc(r->summary) + "</p>\n</details>\n";
    }
    if (!reports.empty() && !reports.front()->verdict_rule.empty())
        out += "<p class=\"rule\">How the verdicts were decided: " + esc(reports.front()->verdict_rule) + ".</p>\n";
    return out + "</section>\n";
}

// ---- glossary ---------------------------------------------------------------------------------

std::string glossary_section() {
    return "<section id=\"glossary\">\n<h2>Words used here</h2>\n<dl>\n"
           "<dt>GPU-hour</dt><dd>One GPU busy for one hour. 2,048 GPUs for a day are 49,152 GPU-hours; rental "
           "dollars are GPU-hours times the price per GPU-hour.</dd>\n"
           "<dt>MFU</dt><dd>Model FLOPs utilisation: the arithmetic the model needs (its FLOPs per token times the "
           "tokens) divided by what the GPUs could do at their dense BF16 peak in the time taken. Well-run "
           "large training reaches roughly 30&ndash;50 %.</dd>\n"
           "<dt>p5&ndash;p95, p50</dt><dd>Of many simulated runs (each with its own random failures), 5 % "
           "finish faster than p5 and 5 % slower than p95; p50 is the middle one.</dd>\n"
           "<dt>PUE</dt><dd>Power usage effectiveness: the whole data centre's power (cooling, conversion) "
           "divided by the power of the computers; 1.0 would be no overhead.</dd>\n"
           "<dt>Failure-free vs with failures</dt><dd>Failure-free is the run if nothing ever broke. With failures "
           "adds what breakdowns cost: work redone since the last checkpoint, restarts and checkpoint "
           "writes, simulated many times with random failures.</dd>\n"
           "<dt>Stages</dt><dd>Pre-training (the bulk of the tokens), context extension (longer sequences), "
           "then post-training (SFT, RL). A claim's scope says which stages its figure covers.</dd>\n"
           "</dl>\n</section>\n";
}

// ---- charts -----------------------------------------------------------------------------------

constexpr double kWidth = 720;
constexpr double kLeft = 64;
constexpr double kRight = 24;

std::string svg_open(double height, const std::string& label) {
    return "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" + coord(kWidth) + "\" height=\"" +
           coord(height) + "\" viewBox=\"0 0 " + coord(kWidth) + " " + coord(height) + "\" role=\"img\" aria-label=\"" +
           esc(label) + "\">\n";
}

std::string text_at(double x, double y, const std::string& text, const std::string& cls, const char* anchor = "start") {
    return "<text x=\"" + coord(x) + "\" y=\"" + coord(y) + "\" class=\"" + cls + "\" text-anchor=\"" + anchor + "\">" +
           esc(text) + "</text>\n";
}

std::string line(double x1, double y1, double x2, double y2, const std::string& cls) {
    return "<line x1=\"" + coord(x1) + "\" y1=\"" + coord(y1) + "\" x2=\"" + coord(x2) + "\" y2=\"" + coord(y2) +
           "\" class=\"" + cls + "\"/>\n";
}

std::string rect(double x, double y, double w, double h, const std::string& cls, const std::string& title) {
    return "<rect x=\"" + coord(x) + "\" y=\"" + coord(y) + "\" width=\"" + coord(std::max(w, 0.5)) + "\" height=\"" +
           coord(std::max(h, 0.5)) + "\" class=\"" + cls + "\"><title>" + esc(title) + "</title></rect>\n";
}

std::string figure(const std::string& id, const std::string& title, const std::string& svg,
                   const std::string& caption) {
    return "<figure id=\"" + id + "\">\n<h4>" + esc(title) + "</h4>\n" + svg + "<figcaption>" + esc(caption) +
           "</figcaption>\n</figure>\n";
}

/// A claimed duration to mark on the histogram.
struct DayMark {
    double days = 0;
    std::string label;
};

std::vector<DayMark> day_marks(const RunReport& r) {
    std::vector<DayMark> marks;
    for (const auto& check : r.claims)
        for (const auto& f : check.figures) {
            if (f.claimed.quantity != economics::ClaimedQuantity::duration_days) continue;
            const std::string scope = " (" + economics::stage_words(f.claimed.scope) + ")";
            switch (f.claimed.bound) {
            case economics::ClaimBound::about:
                marks.push_back(
                    {f.claimed.value, check.claim.name + ": " + days_text(f.claimed.value) + " days" + scope});
                break;
            case economics::ClaimBound::at_most:
                marks.push_back(
                    {f.claimed.value, check.claim.name + ": at most " + days_text(f.claimed.value) + " days" + scope});
                break;
            case economics::ClaimBound::at_least:
                marks.push_back(
                    {f.claimed.value, check.claim.name + ": at least " + days_text(f.claimed.value) + " days" + scope});
                break;
            case economics::ClaimBound::between:
                marks.push_back(
                    {f.claimed.value, check.claim.name + ": from " + days_text(f.claimed.value) + " days" + scope});
                marks.push_back({f.claimed.value_high,
                                 check.claim.name + ": to " + days_text(f.claimed.value_high) + " days" + scope});
                break;
            }
        }
    return marks;
}

/// Four evenly spaced tick labels along [lo, hi] at pixel range [x0, x1] on the axis at `y`.
std::string x_ticks(double lo, double hi, double x0, double x1, double y, const std::string& unit) {
    std::string out = line(x0, y, x1, y, "axis");
    for (int i = 0; i <= 4; ++i) {
        const double v = lo + (hi - lo) * i / 4.0;
        const double x = x0 + (x1 - x0) * i / 4.0;
        out += line(x, y, x, y + 4, "axis");
        const std::string label = unit == "$" ? money(v) : printf_number(hi - lo < 10 ? "%.1f" : "%.0f", v);
        out += text_at(x, y + 16, label, "tick", "middle");
    }
    return out;
}

std::string duration_histogram(const RunReport& r, const std::string& id) {
    if (!r.assessment || r.assessment->failures.samples.empty()) return "";
    const std::vector<DayMark> marks = day_marks(r);
    // The stages the claimed durations cover: pre-training alone when every one says so (the
    // verdicts compare them with pre-training), else every simulated stage.
    bool pretraining_only = !marks.empty() && r.run.extension_seconds > 0;
    for (const auto& check : r.claims)
        for (const auto& f : check.figures)
            if (f.claimed.quantity == economics::ClaimedQuantity::duration_days)
                pretraining_only = pretraining_only && f.claimed.scope == economics::kPretraining;
    const auto& f = r.assessment->failures;
    std::vector<double> days;
    for (const auto& s : f.samples) days.push_back((pretraining_only ? s.pretrain_s : s.total_s()) / kSecondsPerDay);
    std::sort(days.begin(), days.end());
    const double smin = days.front();
    const double smax = days.back();
    double lo = smin;
    double hi = smax;
    for (const auto& m : marks) {
        lo = std::min(lo, m.days);
        hi = std::max(hi, m.days);
    }
    if (hi - lo < 1e-9) {
        lo -= 0.5;
        hi += 0.5;
    }
    const double pad = (hi - lo) * 0.04;
    lo = std::max(0.0, lo - pad);
    hi += pad;
    // Bins over the samples' range; one bin when every sample took the same time.
    const int bins = smax - smin > 1e-9 ? kHistogramBins : 1;
    const double bin_width = bins == 1 ? (hi - lo) / 40.0 : (smax - smin) / bins;
    std::vector<int> counts(static_cast<std::size_t>(bins), 0);
    for (const double d : days) {
        const int b = bins == 1 ? 0 : std::min(bins - 1, static_cast<int>((d - smin) / bin_width));
        ++counts[static_cast<std::size_t>(b)];
    }
    const int most = *std::max_element(counts.begin(), counts.end());
    const double top = 24 + 14.0 * static_cast<double>(std::min<std::size_t>(marks.size(), 4));
    const double bottom = top + 180;
    const double height = bottom + 40;
    const double x0 = kLeft;
    const double x1 = kWidth - kRight;
    const auto x_of = [&](double d) { return x0 + (d - lo) / (hi - lo) * (x1 - x0); };
    std::string svg = svg_open(height, "Histogram of days with failures");
    svg += line(x0, top, x0, bottom, "axis");
    svg += text_at(x0 - 6, top + 4, std::to_string(most), "tick", "end");
    svg += text_at(x0 - 6, bottom, "0", "tick", "end");
    svg += text_at(8, top - 8, "samples", "tick");
    for (int b = 0; b < bins; ++b) {
        const int n = counts[static_cast<std::size_t>(b)];
        if (n == 0) continue;
        const double from = bins == 1 ? smin - bin_width / 2 : smin + bin_width * b;
        const double h = (bottom - top) * n / most;
        svg += rect(x_of(from), bottom - h, x_of(from + bin_width) - x_of(from) - 1, h, "bar",
                    std::to_string(n) + (n == 1 ? " sample from " : " samples from ") + printf_number("%.2f", from) +
                        " to " + printf_number("%.2f", from + bin_width) + " days");
    }
    svg += x_ticks(lo, hi, x0, x1, bottom, "days");
    svg +=
        text_at((x0 + x1) / 2, bottom + 34,
                pretraining_only ? "days of pre-training, with failures" : "days, every simulated stage, with failures",
                "tick", "middle");
    for (std::size_t i = 0; i < marks.size(); ++i) {
        const double x = x_of(marks[i].days);
        const double label_y = 14 + 14.0 * static_cast<double>(i % 4);
        svg += line(x, label_y + 2, x, bottom, "mark");
        const bool right_half = x > (x0 + x1) / 2;
        svg += text_at(right_half ? x - 4 : x + 4, label_y, marks[i].label, "mark-label", right_half ? "end" : "start");
    }
    svg += "</svg>\n";
    const run::Percentiles& spread = pretraining_only ? f.pretrain_s : f.total_s;
    const std::string stages = pretraining_only ? "pre-training (the stage the claimed durations cover)"
                               : r.run.extension_seconds > 0
                                   ? "every simulated stage (pre-training and context extension)"
                                   : "every simulated stage (pre-training)";
    const std::string caption =
        "Covers " + stages + ", with failures, restarts and checkpoints: " + std::to_string(days.size()) +
        " Monte Carlo samples in " + std::to_string(bins) + (bins == 1 ? " bin" : " bins") + "; p5 " +
        days_text(spread.p5 / kSecondsPerDay) + ", p50 " + days_text(spread.p50 / kSecondsPerDay) + ", p95 " +
        days_text(spread.p95 / kSecondsPerDay) + " days; failure-free " +
        days_text((pretraining_only ? r.run.pretrain_seconds : r.run.seconds()) / kSecondsPerDay) + " days. " +
        (marks.empty() ? std::string("No claim states a duration for this run.")
                       : "Red lines: each claimed duration as stated, with the stages its words cover.");
    return figure(id, "How long the run takes", svg, caption);
}

struct Bar {
    std::string label;
    double dollars = 0;
    std::string cls;
};

std::string dollars_by_stage(const RunReport& r, const std::string& id) {
    std::vector<Bar> bars;
    const economics::RentalPrice price{r.total_cost.price, r.price_date, r.total_cost.price_source};
    for (const auto& phase : r.run.phases) {
        const double gpu_hours = phase.seconds / 3600.0 * r.run.gpus;
        bars.push_back({phase.name + (phase.extension ? " (context extension)" : " (pre-training)"),
                        economics::rental_cost(gpu_hours, price).dollars.value(),
                        phase.extension ? "bar stage-extension" : "bar stage-pretraining"});
    }
    // Stages after pre-training (SFT, RL), each on its own GPUs, failure-free like the phases.
    for (const auto& stage : r.post_training) {
        double seconds = 0;
        for (const auto& phase : stage.result.run.phases) seconds += phase.seconds;
        const double gpu_hours = seconds / 3600.0 * stage.result.run.gpus;
        bars.push_back({stage.result.name + (stage.result.kind == workload::PostTrainingKind::sft ? " (SFT)" : " (RL)"),
                        economics::rental_cost(gpu_hours, price).dollars.value(), "bar stage-post"});
    }
    bars.push_back({"total, failure-free", r.total_cost.dollars.value(), "bar total"});
    if (r.assessment)
        bars.push_back({"total with failures (p50)", r.assessment->rental_usd.total.p50, "bar total-failures"});
    double most = 0;
    for (const auto& b : bars) most = std::max(most, b.dollars);
    if (most <= 0) most = 1;
    constexpr double kRow = 22;
    constexpr double kLabel = 250;
    const double height = 16 + kRow * static_cast<double>(bars.size()) + 12;
    std::string svg = svg_open(height, "Rental dollars by phase");
    const double x0 = kLabel;
    const double x1 = kWidth - 90;
    for (std::size_t i = 0; i < bars.size(); ++i) {
        const double y = 12 + kRow * static_cast<double>(i);
        const double w = (x1 - x0) * bars[i].dollars / most;
        svg += text_at(x0 - 6, y + 14, bars[i].label, "tick", "end");
        svg += rect(x0, y + 2, w, kRow - 6, bars[i].cls, bars[i].label + ": " + money(bars[i].dollars));
        svg += text_at(x0 + w + 4, y + 14, money(bars[i].dollars), "tick");
    }
    svg += line(x0, 8, x0, height - 8, "axis");
    svg += "</svg>\n";
    const std::string caption =
        "Rental dollars: GPU time at " + printf_number("$%.2f", r.total_cost.price.value()) +
        " per GPU-hour, for the final training run only (no research, ablations, data, staff or buying the "
        "cluster). Each phase is failure-free; the last bar" +
        std::string(r.assessment ? " adds failures, restarts and checkpoints (p50)." : " is their sum.") +
        " Pre-training phases in blue, context extension in green, post-training stages (SFT, RL) in orange, totals "
        "in grey" +
        std::string(r.post_training.empty() ? "." : " (the totals are pre-training and context extension only).");
    return figure(id, "Dollars by stage", svg, caption);
}

std::string tornado(const RunReport& r, const std::string& id) {
    if (!r.uncertainty || r.uncertainty->sensitivity.empty()) return "";
    const UncertaintyReport& u = *r.uncertainty;
    double lo = u.dollars.p50;
    double hi = u.dollars.p50;
    for (const auto& row : u.sensitivity) {
        lo = std::min({lo, row.dollars_low, row.dollars_high});
        hi = std::max({hi, row.dollars_low, row.dollars_high});
    }
    if (hi - lo < 1e-9) {
        lo -= 1;
        hi += 1;
    }
    constexpr double kRow = 24;
    constexpr double kLabel = 250;
    const double x0 = kLabel;
    const double x1 = kWidth - kRight - 40;
    const auto x_of = [&](double v) { return x0 + (v - lo) / (hi - lo) * (x1 - x0); };
    const double bottom = 12 + kRow * static_cast<double>(u.sensitivity.size());
    const double height = bottom + 40;
    std::string svg = svg_open(height, "Which uncertain inputs move the dollars most");
    for (std::size_t i = 0; i < u.sensitivity.size(); ++i) {
        const auto& row = u.sensitivity[i];
        const double y = 12 + kRow * static_cast<double>(i);
        const double a = x_of(std::min(row.dollars_low, row.dollars_high));
        const double b = x_of(std::max(row.dollars_low, row.dollars_high));
        svg += text_at(x0 - 6, y + 15, row.key, "tick", "end");
        svg += rect(a, y + 3, b - a, kRow - 8, "tbar",
                    row.key + " from " + units::short_number(row.input_low) + " to " +
                        units::short_number(row.input_high) + ": " + money(row.dollars_low) + " to " +
                        money(row.dollars_high));
    }
    svg += line(x_of(u.dollars.p50), 6, x_of(u.dollars.p50), bottom, "center");
    svg += x_ticks(lo, hi, x0, x1, bottom, "$");
    svg += "</svg>\n";
    const std::string caption =
        "Rental dollars, every simulated stage, with failures (p50), as each uncertain input is swept from its low "
        "end to its high end with every other input at its median; widest swing first. The vertical line is the "
        "p50 over all " +
        std::to_string(u.samples) + " samples (" + money(u.dollars.p50) + "; p5 " + money(u.dollars.p5) + ", p95 " +
        money(u.dollars.p95) + ").";
    return figure(id, "Which inputs matter most", svg, caption);
}

/// One panel of the scaling chart: `value` of each point against GPUs (log scale).
std::string scaling_panel(const GpuScaling& s, bool dollars) {
    std::vector<const GpuScalingPoint*> shown;
    for (const auto& p : s.points)
        if (p.refused.empty()) shown.push_back(&p);
    const auto value = [dollars](const GpuScalingPoint& p) { return dollars ? p.p50_dollars : p.p50_days; };
    double most = 0;
    int gmin = 0;
    int gmax = 0;
    for (const auto* p : shown) {
        most = std::max(most, value(*p));
        gmin = gmin == 0 ? p->gpus : std::min(gmin, p->gpus);
        gmax = std::max(gmax, p->gpus);
    }
    if (most <= 0) most = 1;
    constexpr double kTop = 24;
    constexpr double kBottom = 184;
    const double x0 = kLeft + 16;
    const double x1 = kWidth - kRight - 40;
    const double span = gmax > gmin ? std::log2(static_cast<double>(gmax) / gmin) : 1.0;
    const auto x_of = [&](int g) {
        return gmax > gmin ? x0 + std::log2(static_cast<double>(g) / gmin) / span * (x1 - x0) : (x0 + x1) / 2;
    };
    const auto y_of = [&](double v) { return kBottom - (kBottom - kTop) * v / (most * 1.1); };
    std::string svg = svg_open(kBottom + 40, dollars ? "Rental dollars against GPU count" : "Days against GPU count");
    svg += line(x0, kTop, x0, kBottom, "axis");
    svg += line(x0, kBottom, x1, kBottom, "axis");
    svg += text_at(8, 14, dollars ? "rental dollars, p50 with failures" : "days, p50 with failures", "tick");
    std::string points;
    for (const auto* p : shown)
        points += (points.empty() ? "" : " ") + coord(x_of(p->gpus)) + "," + coord(y_of(value(*p)));
    if (shown.size() > 1) svg += "<polyline points=\"" + points + "\" class=\"trend\"/>\n";
    for (const auto* p : shown) {
        const double x = x_of(p->gpus);
        const double y = y_of(value(*p));
        const std::string v = dollars ? money(value(*p)) : days_text(value(*p)) + " days";
        svg += "<circle cx=\"" + coord(x) + "\" cy=\"" + coord(y) + "\" r=\"5\" class=\"point" +
               (p->is_report ? " this-run" : "") + "\"><title>" +
               esc(units::with_thousands(p->gpus) + " GPUs (" + p->layout + "): " + v) + "</title></circle>\n";
        svg += text_at(x, y - 9, v, "tick", "middle");
        svg += text_at(x, kBottom + 16, units::with_thousands(p->gpus), "tick", "middle");
    }
    svg += text_at((x0 + x1) / 2, kBottom + 34, "GPUs (log scale)", "tick", "middle");
    return svg + "</svg>\n";
}

std::string scaling(const RunReport& r, const std::string& id) {
    if (!r.gpu_scaling || r.gpu_scaling->points.empty()) return "";
    const GpuScaling& s = *r.gpu_scaling;
    std::string body = scaling_panel(s, false) + scaling_panel(s, true);
    std::string refused;
    for (const auto& p : s.points)
        if (!p.refused.empty())
            refused += "<li>" + units::with_thousands(p.gpus) + " GPUs: not simulated: " + esc(p.refused) + "</li>\n";
    if (!refused.empty()) body += "<ul class=\"refused\">\n" + refused + "</ul>\n";
    int report_samples = 0;
    if (r.assessment) report_samples = static_cast<int>(r.assessment->failures.samples.size());
    const std::string caption =
        "The same workload resized as --gpus does (same nodes, fabric, TP, PP, CP, EP and schedule; data "
        "parallelism re-derived; the batch unchanged), every simulated stage, with failures (p50), rental dollars. "
        "The filled point is this report's run (" +
        std::to_string(report_samples) + " failure samples); to keep the cost small, the other counts use " +
        std::to_string(s.samples) + " failure samples each.";
    return figure(id, "Days and dollars against GPU count", body, caption);
}

std::string charts_section(const std::vector<const RunReport*>& reports) {
    std::vector<const RunReport*> runs;
    for (const RunReport* r : reports) {
        runs.push_back(r);
        for (const RunReport& other : r->related) runs.push_back(&other);
    }
    std::string out = "<section id=\"charts\">\n<h2>Charts</h2>\n";
    for (std::size_t i = 0; i < runs.size(); ++i) {
        const RunReport& r = *runs[i];
        const std::string n = std::to_string(i + 1);
        out += "<h3>" + esc(run_title(r)) + "</h3>\n";
        out += duration_histogram(r, "duration-" + n);
        out += dollars_by_stage(r, "dollars-" + n);
        out += tornado(r, "tornado-" + n);
        out += scaling(r, "scaling-" + n);
        out += "<p class=\"covers\">Covers: " + esc(r.covers) + ".</p>\n";
    }
    return out + "</section>\n";
}

// ---- sources ----------------------------------------------------------------------------------

void add_source(std::vector<std::string>& list, std::set<std::string>& seen, const std::string& what,
                const std::string& source) {
    if (source.empty()) return;
    const std::string item = "<li><b>" + esc(what) + "</b>: " + esc(source) + "</li>\n";
    if (seen.insert(item).second) list.push_back(item);
}

void run_sources(const RunReport& r, std::vector<std::string>& list, std::set<std::string>& seen) {
    for (const auto& check : r.claims) {
        add_source(list, seen, "Claim \"" + check.claim.name + "\"", check.claim.source);
        if (check.best_mfu)
            add_source(list, seen, "Best published MFU for the " + check.gpu,
                       printf_number("%.1f %%: ", check.best_mfu->mfu * 100) + check.best_mfu->source);
    }
    if (r.published) {
        add_source(list, seen, "Published figures of " + r.scenario.workload, r.published->source);
        for (const auto& v : r.published->values)
            if (!v.note.empty())
                add_source(list, seen, std::string(label(v.figure)) + " " + units::short_number(v.value), v.note);
    }
    const std::string date = r.price_date.empty() ? "" : " (" + r.price_date + ")";
    add_source(list, seen,
               "Rental price of the " + r.scenario.gpu + ", " + printf_number("$%.2f", r.total_cost.price.value()) +
                   " per GPU-hour",
               r.total_cost.price_source + date);
    if (r.assessment) {
        const auto& a = *r.assessment;
        if (a.ownership_prices) {
            const auto& p = *a.ownership_prices;
            add_source(list, seen, "Purchase price per GPU with its server share, " + money(p.purchase.per_gpu.value()),
                       p.purchase.source);
            add_source(list, seen, "Network per endpoint, " + money(p.network.per_endpoint.value()), p.network.source);
            add_source(list, seen, "Electricity", p.electricity.source);
            add_source(list, seen, "Write-off lifetime", p.lifetime_source);
        }
        add_source(list, seen, "GPU idle power fraction", a.power.gpu_idle_fraction.source);
        add_source(list, seen, "Server power beyond the GPUs", a.power.non_gpu_server_fraction.source);
        add_source(list, seen, "Network power per endpoint", a.power.network_watts_per_endpoint.source);
        add_source(list, seen, printf_number("PUE %.2f", a.power.pue.value), a.power.pue.source);
        add_source(list, seen, "Failure rate per GPU-hour", a.reliability.failures_per_gpu_hour.source);
        add_source(list, seen, "Restart time", a.reliability.restart_seconds.source);
        add_source(list, seen, "Checkpoint storage bandwidth", a.reliability.storage_write_bytes_per_second.source);
    }
    if (r.uncertainty)
        for (const auto& in : r.uncertainty->inputs)
            add_source(list, seen, "Uncertain input " + in.key + " = " + in.range,
                       in.source.empty() ? "no source given" : in.source);
    if (!r.scenario.efficiency_warning.empty())
        add_source(list, seen, "Efficiency borrowed (a warning)", r.scenario.efficiency_warning);
    for (const auto& b : r.builtin_inputs) add_source(list, seen, "Built-in input", b);
    for (const auto& o : r.overrides) add_source(list, seen, "Overridden on the command line", o);
}

std::string sources_section(const std::vector<const RunReport*>& reports) {
    std::vector<std::string> list;
    std::set<std::string> seen;
    for (const RunReport* r : reports) {
        run_sources(*r, list, seen);
        for (const RunReport& other : r->related) run_sources(other, list, seen);
    }
    std::string out = "<section id=\"sources\">\n<h2>Sources</h2>\n<ul>\n";
    for (const auto& item : list) out += item;
    return out + "</ul>\n</section>\n";
}

constexpr const char* kStyle =
    R"(body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:960px;margin:2em auto;padding:0 1em;color:#1d2330;line-height:1.45}
h1{font-size:1.6em;margin-bottom:.2em}h2{border-bottom:2px solid #dde2ea;padding-bottom:.2em;margin-top:1.6em}
.subtitle{color:#55607a;margin-top:0}
.claim{border-left:6px solid #888;background:#f6f8fb;padding:.5em 1em;margin:.8em 0}
.claim .verdict{font-size:1.1em;margin:.2em 0}.claim .word{font-weight:700;letter-spacing:.04em;margin-right:.4em}
.claim blockquote{margin:.3em 0 .3em 1em;font-style:italic}.claim cite{font-style:normal;color:#55607a;font-size:.9em}
.claim .scope{color:#55607a;font-size:.9em;margin:.2em 0}.claim details{font-size:.9em;color:#333}
.plausible{border-color:#2e8b57}.plausible .word{color:#2e8b57}
.overstated{border-color:#c08a00}.overstated .word{color:#a07000}
.unlikely{border-color:#d9622b}.unlikely .word{color:#c0501f}
.implausible{border-color:#c62828}.implausible .word{color:#c62828}
.out-of-scope{border-color:#6a6f80}.out-of-scope .word{color:#4a5060}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.3em 1em}dt{font-weight:700}dd{margin:0}
figure{margin:1em 0}figure h4{margin:.2em 0}figcaption{color:#55607a;font-size:.9em;max-width:720px}
svg.chart{display:block;max-width:100%;height:auto;font-size:11px}
.axis{stroke:#555;stroke-width:1}.tick{fill:#333}.mark{stroke:#c62828;stroke-width:2;stroke-dasharray:5 3}.mark-label{fill:#c62828;font-weight:600}
.bar{fill:#4a78c2}.stage-extension{fill:#3f9e6b}.stage-post{fill:#d9822b}.total{fill:#8a93a6}.total-failures{fill:#5b6478}
.tbar{fill:#d08a3a}.center{stroke:#1d2330;stroke-width:1.5}
.trend{fill:none;stroke:#4a78c2;stroke-width:2}.point{fill:#fff;stroke:#4a78c2;stroke-width:2}.point.this-run{fill:#4a78c2}
.covers,.rule{color:#55607a;font-size:.9em}details.summary{margin:.8em 0}details.summary summary{font-weight:600}
)";

// Any script error on the page marks the document (the browser test refuses a page that has one).
constexpr const char* kErrorCatcher =
    R"(<script>
window.addEventListener("error", function (e) {
  document.documentElement.setAttribute("data-script-errors", String(e.message));
});
</script>
)";

// The page's self-check for the browser test: how many charts have drawn shapes with an area.
constexpr const char* kSelfCheck =
    R"(<script>
(function () {
  var charts = document.querySelectorAll("svg.chart"), drawn = 0;
  for (var i = 0; i < charts.length; i++) {
    var box = charts[i].getBBox();
    var shapes = charts[i].querySelectorAll("rect, circle, polyline, line").length;
    if (box.width > 0 && box.height > 0 && shapes > 0) drawn++;
  }
  document.body.setAttribute("data-charts", String(charts.length));
  document.body.setAttribute("data-charts-drawn", String(drawn));
})();
</script>
)";

} // namespace

std::string html_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default: out += c;
        }
    }
    return out;
}

std::string render_html(const std::vector<const RunReport*>& reports) {
    if (reports.empty()) return "";
    const RunReport& first = *reports.front();
    bool claims = false;
    for (const RunReport* r : reports) claims = claims || !r->claims.empty();
    const std::string title =
        std::string(claims ? "tcsim claim check: " : "tcsim prediction: ") + first.scenario.workload;
    std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
                      esc(title) + "</title>\n<style>\n" + kStyle + "</style>\n" + kErrorCatcher + "</head>\n<body>\n";
    out += "<h1>" + esc(title) + "</h1>\n<p class=\"subtitle\">Simulated: " + esc(run_title(first)) + ".</p>\n";
    out += verdicts_section(reports);
    out += glossary_section();
    out += charts_section(reports);
    out += sources_section(reports);
    out += std::string(kSelfCheck) + "</body>\n</html>\n";
    return out;
}

} // namespace tcsim::report
