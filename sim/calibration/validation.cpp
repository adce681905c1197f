#include "calibration/validation.hpp"

#include "config/config_error.hpp"
#include "training/memory_model.hpp"
#include "workload/plan_check.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <functional>
#include <limits>
#include <thread>

namespace tcsim::calibration {

std::string_view to_string(RowStatus s) {
    switch (s) {
    case RowStatus::pass: return "pass";
    case RowStatus::fail: return "fail";
    case RowStatus::known_gap: return "known_gap";
    case RowStatus::gap_closed: return "gap_closed";
    case RowStatus::not_evaluated: return "not_evaluated";
    }
    return "fail";
}

RowStatus ValidationRow::status() const {
    if (!reason.empty())
        return memory_refusal && !published.known_gap.empty() ? RowStatus::known_gap : RowStatus::not_evaluated;
    if (published.known_gap.empty()) return pass ? RowStatus::pass : RowStatus::fail;
    return pass ? RowStatus::gap_closed : RowStatus::known_gap;
}

bool ValidationRow::as_expected() const {
    const RowStatus s = status();
    return s == RowStatus::pass || s == RowStatus::known_gap;
}

bool ValidationReport::all_pass() const {
    return failures.empty() && std::all_of(rows.begin(), rows.end(), [](const ValidationRow& r) { return r.pass; });
}

bool ValidationReport::as_expected() const {
    // A failed record's values are rows of their own (not_evaluated, or a known memory gap); a
    // set file that could not be read has none, and fails by itself.
    return std::none_of(failures.begin(), failures.end(), [](const RecordFailure& f) { return f.record.empty(); }) &&
           std::all_of(rows.begin(), rows.end(), [](const ValidationRow& r) { return r.as_expected(); });
}

int ValidationReport::count(RowStatus s) const {
    return static_cast<int>(
        std::count_if(rows.begin(), rows.end(), [s](const ValidationRow& r) { return r.status() == s; }));
}

void parallel_for(std::size_t tasks, int jobs, const std::function<void(std::size_t)>& run) {
    const std::size_t threads = std::min<std::size_t>(tasks, static_cast<std::size_t>(std::max(1, jobs)));
    if (threads <= 1) {
        for (std::size_t i = 0; i < tasks; ++i) run(i);
        return;
    }
    std::atomic<std::size_t> next{0};
    std::vector<std::exception_ptr> errors(threads);
    std::vector<std::thread> pool;
    pool.reserve(threads);
    for (std::size_t t = 0; t < threads; ++t) {
        pool.emplace_back([&, t] {
            try {
                for (std::size_t i = next++; i < tasks; i = next++) run(i);
            } catch (...) {
                errors[t] = std::current_exception();
                next = tasks;
            }
        });
    }
    for (auto& th : pool) th.join();
    for (const auto& e : errors)
        if (e) std::rethrow_exception(e);
}

std::vector<ValidationRow> validate_record(const CalibrationSet& set, const CalibrationRecord& record,
                                           const config::ConfigFiles& files) {
    const RecordPrediction prediction = predict(record, files);
    std::vector<ValidationRow> rows;
    for (std::size_t i = 0; i < record.published.size(); ++i) {
        ValidationRow row;
        row.set = set.name;
        row.record = record.id;
        row.kind = record.kind;
        row.published = record.published[i];
        row.prediction = classify(record.kind, row.published.metric, prediction.moe);
        row.in_sample = set.in_sample || row.published.in_sample;
        row.predicted = prediction.values.at(i);
        row.error = row.predicted / row.published.value - 1.0;
        row.pass = std::isfinite(row.error) && std::abs(row.error) <= row.published.tolerance;
        row.confidence = record.confidence;
        row.source = record.source;
        row.detail = prediction.summary;
        rows.push_back(std::move(row));
    }
    return rows;
}

ValidationReport validate(const std::vector<CalibrationSet>& sets, const config::ConfigFiles& files, int jobs) {
    struct Task {
        const CalibrationSet* set;
        const CalibrationRecord* record;
        std::vector<ValidationRow> rows;
        std::string failure;
        bool failed = false;
        bool memory = false;
    };
    std::vector<Task> tasks;
    for (const auto& s : sets)
        for (const auto& r : s.records) tasks.push_back(Task{&s, &r, {}, {}, false, false});
    parallel_for(tasks.size(), jobs, [&](std::size_t i) {
        Task& t = tasks[i];
        // A record's own problem (a file, a plan, a size its cluster cannot hold) fails that
        // record only; anything else is a bug and propagates.
        try {
            t.rows = validate_record(*t.set, *t.record, files);
        } catch (const training::MemoryError& e) {
            t.failed = true;
            t.memory = true;
            t.failure = e.what();
        } catch (const config::ConfigError& e) {
            t.failed = true;
            t.failure = e.what();
        } catch (const workload::PlanError& e) {
            t.failed = true;
            t.failure = e.what();
        } catch (const RecordError& e) {
            t.failed = true;
            t.failure = e.what();
        } catch (const std::invalid_argument& e) {
            t.failed = true;
            t.failure = e.what();
        }
    });

    ValidationReport report;
    for (auto& t : tasks) {
        if (t.failed) {
            report.failures.push_back(RecordFailure{t.set->name, t.record->id, t.failure, t.memory});
            // Each of the record's published values fails, carrying the reason.
            for (const PublishedValue& p : t.record->published) {
                ValidationRow row;
                row.set = t.set->name;
                row.record = t.record->id;
                row.kind = t.record->kind;
                row.published = p;
                row.prediction = classify(t.record->kind, p.metric, false);
                row.in_sample = t.set->in_sample || p.in_sample;
                row.predicted = std::numeric_limits<double>::quiet_NaN();
                row.error = std::numeric_limits<double>::quiet_NaN();
                row.confidence = t.record->confidence;
                row.source = t.record->source;
                row.reason = t.failure;
                row.memory_refusal = t.memory;
                report.rows.push_back(std::move(row));
            }
        }
        for (auto& row : t.rows) report.rows.push_back(std::move(row));
    }
    for (const auto& s : sets) {
        SetSummary summary;
        summary.name = s.name;
        summary.title = s.title;
        double sum = 0;
        for (const auto& row : report.rows) {
            if (row.set != s.name) continue;
            ++summary.rows;
            if (!row.reason.empty()) {
                ++summary.not_evaluated;
                continue;
            }
            if (row.pass) ++summary.passed;
            sum += std::abs(row.error);
            if (summary.worst_record.empty() || std::abs(row.error) > std::abs(summary.worst_error)) {
                summary.worst_error = row.error;
                summary.worst_record = row.record;
                summary.worst_metric = std::string(to_string(row.published.metric));
            }
        }
        const int evaluated = summary.rows - summary.not_evaluated;
        summary.mape = evaluated > 0 ? sum / evaluated : 0.0;
        report.sets.push_back(std::move(summary));
    }
    return report;
}

} // namespace tcsim::calibration
