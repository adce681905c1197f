// Plain-text report. Formatting goes through snprintf with fixed precision (GCC 12 has no
// std::format); the program never calls setlocale, so the "C" conventions hold and the same
// report gives the same bytes.
#include "report/report_table.hpp"

#include "report/claim_words.hpp"
#include "units/number_text.hpp"

#include <algorithm>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

namespace tcsim::report {
namespace {

constexpr double seconds_per_day = 86400.0;

#if defined(__GNUC__)
__attribute__((format(printf, 1, 2)))
#endif
std::string
format(const char* pattern, ...) {
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
    /// Left-aligns column `c` (text rather than numbers).
    void align_left(std::size_t c) {
        left_.resize(std::max(left_.size(), c + 1), false);
        left_[c] = true;
    }

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
                const bool left = c == 0 || (c < left_.size() && left_[c]);
                line += left ? pad_right(row[c], widths[c]) : pad_left(row[c], widths[c]);
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
    std::vector<bool> left_;
};

std::string phases_section(const RunReport& report) {
    const bool layouts = std::any_of(report.run.phases.begin(), report.run.phases.end(),
                                     [](const run::RunPhase& phase) { return phase.own_layout; });
    std::vector<std::string> header{"phase",     "seq len", "batch",        "simulated at", "steps",
                                    "step time", "MFU",     "tokens/s/GPU", "days"};
    if (layouts) header.push_back("layout");
    TextTable table(std::move(header));
    if (layouts) table.align_left(9);
    bool rounded = false;
    for (const auto& phase : report.run.phases) {
        const bool differs = phase.simulated_batch_sequences != phase.global_batch_sequences;
        rounded = rounded || differs;
        std::vector<std::string> row{phase.name, std::to_string(phase.seq_len),
                                     units::with_thousands(phase.global_batch_sequences),
                                     units::with_thousands(phase.simulated_batch_sequences) + (differs ? "*" : ""),
                                     units::with_thousands(phase.steps),
                                     // The phase's own step: at a rounded batch, its tokens at the simulated tokens/s.
                                     fixed(phase.steps > 0 ? phase.seconds / phase.steps : phase.step.step_seconds, 3) +
                                         " s" + (differs ? "*" : ""),
                                     percent(phase.step.mfu), units::with_thousands(phase.step.tokens_per_s_per_gpu),
                                     fixed(phase.seconds / seconds_per_day, 2)};
        if (layouts) row.push_back(run::layout_text(phase.parallel));
        table.add(std::move(row));
    }
    table.add({"total", "", "", "", "", "", "", "", fixed(report.run.seconds() / seconds_per_day, 2)});
    std::string out = "Phases (failure-free)\n" + table.render();
    if (layouts)
        out += "  layout: the pre-training layout, and each extension stage's own (assumed where the source does not\n"
               "    publish it; see the workload file)\n";
    if (rounded)
        out += "  * the layout cannot run this batch (too few or indivisible micro-batches per pipeline); the step\n"
               "    is simulated at the nearest batch it can run and the phase is priced at that step's tokens/s\n"
               "    (the step time shown is the phase's batch at that rate)\n";
    return out;
}

std::string money(double dollars);

/// The post-training stages: each priced with failures on its own GPUs, and each RL step apart.
std::string post_training_section(const RunReport& report) {
    TextTable table({"stage", "kind", "GPUs", "seq len", "steps", "step time", "days (p50)", "GPU-hours (p50)",
                     "dollars (p50)", "MWh (p50)", "layout"});
    table.align_left(10);
    double gpu_hours = 0;
    double dollars = 0;
    for (const PostTrainingReport& p : report.post_training) {
        const run::RunPhase& ph = p.result.run.phases.front();
        const economics::Assessment& a = p.assessment;
        gpu_hours += a.gpu_hours.pretraining.p50;
        dollars += a.rental_usd.pretraining.p50;
        table.add({p.result.name, std::string(workload::to_string(p.result.kind)),
                   units::with_thousands(p.result.run.gpus), units::with_thousands(ph.seq_len),
                   units::with_thousands(ph.steps),
                   fixed(ph.steps > 0 ? ph.seconds / ph.steps : ph.step.step_seconds, 1) + " s",
                   fixed(a.days.pretraining.p50, 2), units::with_thousands(a.gpu_hours.pretraining.p50),
                   money(a.rental_usd.pretraining.p50), fixed(a.energy_mwh.pretraining.p50, 1),
                   run::layout_text(ph.parallel)});
    }
    table.add({"total", "", "", "", "", "", "", units::with_thousands(gpu_hours), money(dollars), "", ""});
    std::string out = "Post-training stages (each on its own GPUs, with failures and checkpoints)\n" + table.render();
    for (const PostTrainingReport& p : report.post_training) {
        if (!p.result.rl) continue;
        const run::RlStepDetail& r = *p.result.rl;
        if (r.asynchronous)
            out += "  " + p.result.name + ": one RL step " + fixed(r.step_s, 1) + " s = the longer of weight sync " +
                   fixed(r.weight_sync_s, 2) + " s + rollout " + fixed(r.rollout_s, 1) + " s (the next step's, " +
                   "asynchronous) and scoring (" + std::to_string(r.forward_passes) + " forward passes) " +
                   fixed(r.scoring_s, 1) + " s + update " + fixed(r.update_s, 1) + " s\n";
        else
            out += "  " + p.result.name + ": one RL step " + fixed(r.step_s, 1) + " s = rollout " +
                   fixed(r.rollout_s, 1) + " s + weight sync " + fixed(r.weight_sync_s, 2) + " s + scoring (" +
                   std::to_string(r.forward_passes) + " forward passes) " + fixed(r.scoring_s, 1) + " s + update " +
                   fixed(r.update_s, 1) + " s\n";
        out += "    " + units::with_thousands(r.samples * r.updates_per_rollout) + " samples per rollout (" +
               std::to_string(r.updates_per_rollout) + " updates of " + units::with_thousands(r.samples) + ") on " +
               units::with_thousands(r.engines) + " engines x " + units::with_thousands(r.slots) + " slots (" +
               (r.rollout_gpus > 0 ? units::with_thousands(r.rollout_gpus) + " rollout GPUs apart from " +
                                         units::with_thousands(r.trainer_gpus) + " trainers"
                                   : "colocated on the " + units::with_thousands(r.trainer_gpus) + " trainers") +
               "); responses: mean " + units::with_thousands(r.mean_response) + ", longest " +
               units::with_thousands(r.longest_response) + " tokens; slots busy " + percent(r.slot_utilisation) +
               " of the rollout\n";
    }
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
    std::string out = "Step breakdown (" + steady->name + " phase)";
    if (step.ranks.size() > 1) {
        // Say whose step it is: the rank that finishes last is often not the one that computes
        // most (under 1F1B the first stage runs the last backward).
        auto rank_name = [&step](int r) {
            return (step.ranks_are_gpus ? "GPU " : "pipeline rank ") + std::to_string(r) + " of " +
                   std::to_string(step.ranks.size());
        };
        out += ": " + rank_name(step.slowest_rank) + ", the last to finish\n" + table.render();
        if (step.busiest_rank != step.slowest_rank) {
            const double busiest = step.ranks[static_cast<std::size_t>(step.busiest_rank)].breakdown.compute_s;
            out += "  busiest: " + rank_name(step.busiest_rank) + ", compute " + fixed(busiest, 3) + " s (" +
                   share(busiest) + " of the step)\n";
        }
        return out;
    }
    return out + "\n" + table.render();
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
    std::string text(1, '$'); // appended, not "$" + ...: see signed_percent
    text.append(units::with_thousands(dollars));
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
    const bool extension =
        std::any_of(run.phases.begin(), run.phases.end(), [](const run::RunPhase& phase) { return phase.extension; });
    figure_row(Figure::pretrain_days, days_text);
    if (extension) {
        row("days, extension", days_text(run.extension_seconds / seconds_per_day), std::nullopt, days_text);
    }
    figure_row(Figure::total_days, days_text);
    figure_row(Figure::pretrain_gpu_hours, units::with_thousands);
    if (extension) {
        row("GPU-hours, extension", units::with_thousands(extension_gpu_hours), std::nullopt, units::with_thousands);
    }
    figure_row(Figure::total_gpu_hours, units::with_thousands);
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
    return std::string(report.assessment ? "Totals (failure-free)\n" : "Totals\n") + table.render() + price + '\n';
}

/// Durations for humans: "15.3 min", "24.7 h", "4.7 s".
std::string duration_text(double seconds) {
    if (std::isinf(seconds)) return "never";
    if (seconds >= 2 * 86400.0) return fixed(seconds / 86400.0, 1) + " days";
    if (seconds >= 2 * 3600.0) return fixed(seconds / 3600.0, 1) + " h";
    if (seconds >= 120.0) return fixed(seconds / 60.0, 1) + " min";
    return fixed(seconds, 1) + " s";
}

std::string megawatts(units::Watts w) { return fixed(w.value() / 1e6, 2) + " MW"; }

/// Wraps `text` at `width` columns: `first` before the first line, `rest` before the others.
std::string wrapped(const std::string& text, std::size_t width, const std::string& first, const std::string& rest) {
    std::string out;
    std::string line;
    const std::string* indent = &first;
    std::size_t at = 0;
    while (at < text.size()) {
        std::size_t end = text.find(' ', at);
        if (end == std::string::npos) end = text.size();
        const std::string word = text.substr(at, end - at);
        if (!line.empty() && indent->size() + line.size() + 1 + word.size() > width) {
            out += *indent + line + '\n';
            line.clear();
            indent = &rest;
        }
        line += (line.empty() ? "" : " ") + word;
        at = end + 1;
    }
    if (!line.empty()) out += *indent + line + '\n';
    return out;
}

std::string wrapped(const std::string& text, std::size_t width, const std::string& indent) {
    return wrapped(text, width, indent, indent);
}

std::string failures_section(const RunReport& report) {
    const economics::Assessment& a = *report.assessment;
    const run::RunDistribution& d = a.failures;
    const bool extension = d.failure_free_extension_s > 0;
    std::string out = "Run with failures, restarts and checkpoints (" + units::with_thousands(d.options.samples) +
                      " samples, seed " + std::to_string(d.options.seed) + ")\n";
    std::string intervals;
    for (double interval : d.checkpoint_interval_s)
        intervals += (intervals.empty() ? "" : " / ") + duration_text(interval);
    const bool given = d.parameters.checkpoint_interval.has_value();
    const bool never =
        !d.checkpoint_interval_s.empty() && std::all_of(d.checkpoint_interval_s.begin(), d.checkpoint_interval_s.end(),
                                                        [](double s) { return std::isinf(s); });
    const double mtbf_gpu_h = d.parameters.failures_per_gpu_hour > 0 ? 1.0 / d.parameters.failures_per_gpu_hour : 0.0;
    const auto& rate_range = d.parameters.failures_per_gpu_hour_range;
    const auto& restart_range = d.parameters.restart_seconds_range;
    std::string assumptions =
        (d.parameters.failures_per_gpu_hour > 0
             ? "one failure per " + units::with_thousands(mtbf_gpu_h) + " GPU-hours per GPU (this job: one every " +
                   duration_text(d.job_mtbf_s) +
                   (rate_range ? "; each sample draws from " + units::with_thousands(1.0 / rate_range->high) + " to " +
                                     units::with_thousands(1.0 / rate_range->low) +
                                     " GPU-hours, half of them above this median"
                               : std::string()) +
                   ")"
             : std::string("no failures")) +
        "; restart " + duration_text(d.parameters.restart.count()) +
        (restart_range ? " (median; drawn from " + duration_text(restart_range->low) + " to " +
                             duration_text(restart_range->high) + ")"
                       : std::string()) +
        "; checkpoint " + units::short_number(a.checkpoint_bytes / 1e12) + " TB written in " +
        duration_text(d.checkpoint_write_s) +
        (never ? std::string(", never (Young/Daly: without failures there is nothing to recover)")
               : ", every " + intervals + (given ? "" : " of training (Young/Daly") +
                     (given ? "" : (extension ? ", pre-training / extension)" : ")"))) +
        ".";
    out += wrapped(assumptions, 100, "  ");
    TextTable table({"figure", "failure-free", "p5", "p50", "p95"});
    auto row = [&](const std::string& label, double failure_free, const run::Percentiles& p,
                   std::string (*text)(double)) {
        table.add({label, text(failure_free), text(p.p5), text(p.p50), text(p.p95)});
    };
    auto days1 = [](double v) { return fixed(v, 1); };
    const double ff_pre = d.failure_free_pretrain_s;
    const double ff_ext = d.failure_free_extension_s;
    const double ff_all = ff_pre + ff_ext;
    const double gpus = a.gpus;
    row("days, pre-training", ff_pre / seconds_per_day, a.days.pretraining, days1);
    if (extension) row("days, extension", ff_ext / seconds_per_day, a.days.extension, days1);
    row("days, total", ff_all / seconds_per_day, a.days.total, days1);
    row("GPU-hours, pre-training", ff_pre / 3600 * gpus, a.gpu_hours.pretraining, units::with_thousands);
    if (extension) row("GPU-hours, total", ff_all / 3600 * gpus, a.gpu_hours.total, units::with_thousands);
    const double price = a.rental.per_gpu_hour.value();
    row("rental dollars, total", ff_all / 3600 * gpus * price, a.rental_usd.total, money);
    const double ff_mwh = (a.energy.pretrain_energy + a.energy.extension_energy).value() / 3.6e9;
    row("energy, total (MWh)", ff_mwh, a.energy_mwh.total, units::with_thousands);
    table.add({"failures", "0", fixed(d.failures.p5, 0), fixed(d.failures.p50, 0), fixed(d.failures.p95, 0)});
    auto hours = [](double v) { return fixed(v / 3600.0, 1); };
    table.add(
        {"  hours of work redone", "0", hours(d.lost_work_s.p5), hours(d.lost_work_s.p50), hours(d.lost_work_s.p95)});
    table.add({"  hours restarting", "0", hours(d.restart_s.p5), hours(d.restart_s.p50), hours(d.restart_s.p95)});
    table.add(
        {"  hours checkpointing", "0", hours(d.checkpoint_s.p5), hours(d.checkpoint_s.p50), hours(d.checkpoint_s.p95)});
    out += table.render();
    const double goodput = d.total_s.p50 > 0 ? ff_all / d.total_s.p50 : 0.0;
    out += "  effective training time " + percent(goodput) + " of the wall clock at p50; MFU over the whole run " +
           percent(a.run_mfu_total) + " (model FLOPs / GPU-seconds at p50 / dense BF16 peak)\n";
    out += wrapped("Sources: failures: " + a.reliability.failures_per_gpu_hour.source +
                       "; restart: " + a.reliability.restart_seconds.source +
                       "; storage: " + a.reliability.storage_write_bytes_per_second.source,
                   100, "  ");
    return out;
}

std::string energy_section(const RunReport& report) {
    const economics::Assessment& a = *report.assessment;
    const economics::EnergyEstimate& e = a.energy;
    std::string out = "Energy\n";
    TextTable table({"part", "average power", "how"});
    table.align_left(2);
    table.add({"GPUs", megawatts(e.gpu_power),
               "TDP x (" + fixed(a.power.gpu_idle_fraction.value, 2) + " + " +
                   fixed(1 - a.power.gpu_idle_fraction.value, 2) + " x busy); compute stream busy " +
                   percent(e.busy_fraction) + " of the time"});
    table.add({"rest of the servers", megawatts(e.server_power),
               fixed(a.power.non_gpu_server_fraction.value, 2) + " x GPU TDP per GPU"});
    table.add({"network", megawatts(e.network_power),
               fixed(a.power.network_watts_per_endpoint.value, 0) + " W x " +
                   units::with_thousands(a.network_endpoints) + " endpoints"});
    table.add({"IT load", megawatts(e.it_power), ""});
    table.add({"facility", megawatts(e.facility_power), "IT load x PUE " + fixed(e.pue, 2)});
    out += table.render();
    const auto& mwh = a.energy_mwh.total;
    out += "  energy for the run: " + units::with_thousands(mwh.p50) + " MWh at p50 (p5-p95 " +
           units::with_thousands(mwh.p5) + " to " + units::with_thousands(mwh.p95) +
           "); failure time is charged at the average facility power\n";
    out += wrapped("Sources: GPU idle: " + a.power.gpu_idle_fraction.source +
                       "; servers: " + a.power.non_gpu_server_fraction.source +
                       "; network: " + a.power.network_watts_per_endpoint.source + "; PUE: " + a.power.pue.source,
                   100, "  ");
    return out;
}

std::string costs_section(const RunReport& report) {
    const economics::Assessment& a = *report.assessment;
    std::string out = "Dollars two ways (p50 run with failures)\n";
    TextTable table({"way", "pre-training", "total", "covers"});
    table.align_left(3);
    table.add({"rental at $" + fixed(a.rental.per_gpu_hour.value(), 2) + "/GPU-hour",
               money(a.rental_usd.pretraining.p50), money(a.rental_usd.total.p50),
               "GPU time at the rental price, nothing else"});
    if (a.ownership_usd && a.ownership_p50 && a.ownership_prices) {
        const auto& o = *a.ownership_p50;
        table.add({"ownership (TCO)", money(a.ownership_usd->pretraining.p50), money(a.ownership_usd->total.p50),
                   "hardware " + money(o.hardware.value()) + " + network " + money(o.network.value()) +
                       " + electricity " + money(o.electricity.value())});
    }
    out += table.render();
    if (a.ownership_prices && a.cluster_purchase) {
        const auto& p = *a.ownership_prices;
        out += "  rental: " + a.rental.source + (a.rental.date.empty() ? "" : " (" + a.rental.date + ")") + "\n";
        out += wrapped("ownership: " + std::string(economics::kOwnershipCovers) + "; " +
                           money(p.purchase.per_gpu.value()) + " per GPU with its server share (" + p.purchase.source +
                           "), " + money(p.network.per_endpoint.value()) + " per network endpoint (" +
                           p.network.source + "), " + format("$%.4f", p.electricity.price.value() * 3.6e6) +
                           " per kWh (" + p.electricity.source + "), written off over " +
                           fixed(p.lifetime.count() / 86400.0 / 365.25, 1) + " years (" + p.lifetime_source + ")",
                       100, "  ");
        out += "  buying the cluster outright: " + money(a.cluster_purchase->value()) + " (" +
               units::with_thousands(a.gpus) + " GPUs x " + money(p.purchase.per_gpu.value()) + " + " +
               units::with_thousands(a.network_endpoints) + " endpoints x " + money(p.network.per_endpoint.value()) +
               ")\n";
    } else {
        out +=
            "  ownership (TCO): not shown, the price list has no purchase, network, electricity or lifetime entry for "
            "this cluster\n";
    }
    return out;
}

/// "PLAUSIBLE", "OUT OF SCOPE".
/// A number as an input file would write it, to 4 significant digits ("2.5e+11", "1.5").
std::string input_number(double x) { return format("%.4g", x); }

std::string uncertainty_section(const UncertaintyReport& u) {
    std::string out = "Uncertain inputs (" + units::with_thousands(u.samples) +
                      " Monte Carlo samples, each drawing the inputs and its failures)\n";
    TextTable inputs({"input", "range or distribution", "source"});
    inputs.align_left(1);
    inputs.align_left(2);
    for (const auto& i : u.inputs) inputs.add({i.key, i.range, i.source.empty() ? "(none given)" : i.source});
    out += inputs.render();
    TextTable spread({"whole run, with failures", "p5", "p50", "p95"});
    spread.add({"days", fixed(u.days.p5, 1), fixed(u.days.p50, 1), fixed(u.days.p95, 1)});
    spread.add({"GPU-hours", units::with_thousands(u.gpu_hours.p5), units::with_thousands(u.gpu_hours.p50),
                units::with_thousands(u.gpu_hours.p95)});
    spread.add({"dollars (rental)", money(u.dollars.p5), money(u.dollars.p50), money(u.dollars.p95)});
    out += spread.render();
    out += "Sensitivity (each input from its low to its high end, the others at their medians; p50 with "
           "failures; widest dollars swing first)\n";
    TextTable sens({"input", "low", "high", "days at low", "days at high", "dollars at low", "dollars at high"});
    for (const auto& r : u.sensitivity)
        sens.add({r.key, input_number(r.input_low), input_number(r.input_high), fixed(r.days_low, 1),
                  fixed(r.days_high, 1), money(r.dollars_low), money(r.dollars_high)});
    out += sens.render();
    out += wrapped("How: the step is simulated at the inputs' medians and at each input's low and high end (the "
                   "others at their medians); each sample's failure-free time is interpolated between those in "
                   "log space (one additive effect per input: interactions are not modelled), its GPU count, prices "
                   "and failure rate are its own draws exactly, and it draws its own failures." +
                       (u.interpolation_error
                            ? " Checked at " + std::to_string(u.interpolation_checks) +
                                  " points moving every input at once: the interpolated failure-free time is within " +
                                  fixed(*u.interpolation_error * 100.0, 2) + " % of the simulated one."
                            : std::string()),
                   100, "  ");
    return out;
}

std::string claim_lines(const economics::ClaimCheck& check) {
    std::string out =
        wrapped(upper_verdict(check.verdict) + ": " + check.claim.name + " -- " + check.headline, 100, "  ", "    ");
    out += wrapped("\"" + check.claim.statement + "\" (" + check.claim.source + ")", 100, "    ");
    for (const auto& f : check.figures) {
        const std::string what =
            quantity_words(f.claimed.quantity) + (f.claimed.quantity == economics::ClaimedQuantity::hardware
                                                      ? ""
                                                      : ", " + economics::stage_words(f.claimed.scope));
        out += wrapped("- " + what + ": " + f.explanation, 100, "    ", "      ");
        for (const std::string& line : f.stage_lines) out += wrapped(line, 100, "        ", "          ");
    }
    if (check.best_mfu)
        out += wrapped("best published MFU for the " + check.gpu + ": " + check.best_mfu->source, 100, "    ");
    return out;
}

std::string claims_section(const RunReport& report) {
    std::string out = "Claims\n";
    for (const auto& check : report.claims) out += claim_lines(check);
    for (const RunReport& other : report.related) {
        out += wrapped("Against another run: " + other.scenario.workload + " on " +
                           units::with_thousands(other.scenario.gpus) + " x " + other.scenario.gpu + " (" +
                           other.scenario.cluster + ")",
                       100, "  ", "    ");
        for (const auto& check : other.claims) out += claim_lines(check);
    }
    if (!report.verdict_rule.empty()) out += wrapped("Verdicts: " + report.verdict_rule + ".", 100, "  ");
    return out;
}
} // namespace

/// "a, b, c".
std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
    return out;
}

std::string render_table(const RunReport& report) {
    const auto& s = report.scenario;
    std::string out = std::string(report.claims.empty() ? "tcsim prediction" : "tcsim claim check") +
                      "\n  workload: " + s.workload + "\n  cluster:  " + s.cluster + ", " +
                      units::with_thousands(s.gpus) + " x " + s.gpu +
                      (s.gpu_vendor.empty() ? "" : " (" + s.gpu_vendor + ")") + "\n";
    if (!s.efficiency_warning.empty())
        out += wrapped("WARNING: efficiency borrowed: " + s.efficiency_warning, 100, "  ", "    ");
    if (!report.overrides.empty()) out += wrapped("overrides: " + joined(report.overrides), 100, "  ", "             ");
    if (!report.builtin_inputs.empty())
        out += wrapped("built-in (not found on disk): " + joined(report.builtin_inputs), 100, "  ", "    ");
    out += '\n';
    if (!report.summary.empty()) out += "In short\n" + wrapped(report.summary, 100, "  ") + '\n';
    if (!report.claims.empty()) out += claims_section(report) + '\n';
    out += phases_section(report) + '\n';
    if (!report.post_training.empty()) out += post_training_section(report) + '\n';
    out += breakdown_section(report) + '\n';
    if (report.assessment) {
        out += failures_section(report) + '\n';
        out += energy_section(report) + '\n';
        out += costs_section(report) + '\n';
    }
    out += totals_section(report) + '\n';
    if (report.uncertainty) out += uncertainty_section(*report.uncertainty) + '\n';
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

} // namespace tcsim::report
