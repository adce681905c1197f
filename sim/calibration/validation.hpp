// Validation: every record of some calibration sets predicted and compared with what was
// published.
//
// Contract
// - One row per published value: signed relative error e = predicted / published - 1; the row
//   passes when |e| <= its tolerance.
// - A record that cannot be evaluated (a file or plan error, a layout tcsim refuses for memory as
//   `tcsim run` would, a setup its cluster cannot provide) yields a failure that names it and, per
//   published value, a failing row (status not_evaluated, predicted and error NaN) carrying the
//   reason; the rest still run. Any other exception is a bug and propagates.
// - Per set: rows, rows passed, MAPE (mean |e| over its rows) and the row with the largest |e|.
// - Records are evaluated on up to `jobs` threads; the report is in file order whatever the
//   thread count, and every number is the same (each record is deterministic).
#pragma once

#include "calibration/calibration_record.hpp"
#include "calibration/evaluate_record.hpp"
#include "calibration/prediction_kind.hpp"
#include "config/config_files.hpp"

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace tcsim::calibration {

/// A row's outcome: within tolerance or not, beside whether the record marks a known gap.
enum class RowStatus {
    pass,          ///< within tolerance
    fail,          ///< outside tolerance: a regression, or a new gap nobody has explained
    known_gap,     ///< outside tolerance, as the record's known_gap says
    gap_closed,    ///< within tolerance although the record marks a known gap: remove the mark
    not_evaluated, ///< the record could not be evaluated (the row's reason says why): a failure
                   ///< (a memory refusal of a value marked known_gap is known_gap instead)
};

[[nodiscard]] std::string_view to_string(RowStatus s);

struct ValidationRow {
    std::string set;
    std::string record;
    RecordKind kind = RecordKind::step;
    PredictionKind prediction = PredictionKind::dense_step; ///< what the value predicts
    bool in_sample = false;                                 ///< its set is in-sample
    PublishedValue published;
    double predicted = 0;
    double error = 0; ///< predicted / published - 1
    bool pass = false;
    std::string confidence;
    std::string source;
    std::string detail; ///< the prediction's summary (where the time went)
    std::string reason; ///< why the record could not be evaluated (status not_evaluated); else empty
    /// The reason is tcsim's memory model refusing the published layout (as `tcsim run` would).
    /// Such a value marked known_gap is that known gap (open model work, the breakdown as its
    /// reason); every other reason is not_evaluated, known_gap or not.
    bool memory_refusal = false;
    [[nodiscard]] RowStatus status() const;
    /// True when this row lets validation succeed: pass, or a known gap still open.
    [[nodiscard]] bool as_expected() const;
};

struct RecordFailure {
    std::string set;
    std::string record;
    std::string message;
    bool memory_refusal = false; ///< tcsim's memory model refused the published layout
};

struct SetSummary {
    std::string name;
    std::string title;
    int rows = 0; ///< published values, evaluated or not
    int passed = 0;
    int not_evaluated = 0;  ///< rows whose record could not be evaluated
    double mape = 0;        ///< mean |error| over the set's evaluated rows
    double worst_error = 0; ///< signed error of the row with the largest |error|
    std::string worst_record;
    std::string worst_metric; ///< which of the worst record's values (a record may publish several)
};

struct ValidationReport {
    std::vector<ValidationRow> rows;
    std::vector<RecordFailure> failures;
    std::vector<SetSummary> sets;
    [[nodiscard]] bool all_pass() const; ///< every record evaluated and every value within tolerance
    /// Every set file read and every row as_expected() (a record that could not be evaluated
    /// fails through its rows).
    [[nodiscard]] bool as_expected() const;
    [[nodiscard]] int count(RowStatus s) const;
    /// Rows outside tolerance (known gaps included).
    [[nodiscard]] int outside_tolerance() const { return count(RowStatus::fail) + count(RowStatus::known_gap); }
    /// Rows that fail validation: outside tolerance unexplained, a known gap that closed, or a
    /// record that could not be evaluated.
    [[nodiscard]] int unexpected() const {
        return count(RowStatus::fail) + count(RowStatus::gap_closed) + count(RowStatus::not_evaluated);
    }
};

/// Evaluates one record on `files`; the predictions behind its rows, or throws (see predict()).
[[nodiscard]] std::vector<ValidationRow> validate_record(const CalibrationSet& set, const CalibrationRecord& record,
                                                         const config::ConfigFiles& files);

[[nodiscard]] ValidationReport validate(const std::vector<CalibrationSet>& sets, const config::ConfigFiles& files,
                                        int jobs = 1);

/// Evaluates `tasks` on up to `jobs` threads; `run(i)` must be safe to call concurrently.
void parallel_for(std::size_t tasks, int jobs, const std::function<void(std::size_t)>& run);

} // namespace tcsim::calibration
