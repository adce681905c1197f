// Fitting efficiency parameters to calibration records, honestly.
//
// The fit minimises sum_i (log(predicted_i / published_i))^2 over the published values of the
// training records (log error: a 10 % miss weighs the same on a GEMM and on a 54-day run), with
// Levenberg-Marquardt on forward finite differences (Eigen), in the log of each parameter so
// that sizes stay positive; fractions are kept at or below 1.
//
// Honesty rules (SimGrid's: calibration factors are a type of their own, apart from the model;
// DESIGN.md: fitting to end-to-end runs only with a held-out split):
// - Parameters belong to one efficiency file, i.e. to a GPU family and fabric, never to a
//   record or a workload. A parameter that moves the predictions of only one workload's
//   records (or of one component record) is refused: it would be that workload's private knob.
//   So is a training set with no more records than parameters.
// - Leave-one-out cross-validation: every training record is predicted by a fit made without
//   it (warm-started from the full fit); that error, not the training error, is what the fit
//   can claim.
// - The written file says, for every fitted value, which records it was fitted on and the
//   training and cross-validated errors.
#pragma once

#include "calibration/calibration_record.hpp"
#include "calibration/validation.hpp"
#include "config/config_files.hpp"

#include <functional>
#include <string>
#include <vector>

namespace tcsim::calibration {

struct FitOptions {
    int max_iterations = 25;
    int cross_validation_iterations = 8; ///< per left-out record, from the full fit's values
    double step = 0.01;                  ///< finite-difference step in log(parameter)
    bool cross_validate = true;
    int jobs = 1;
    /// Called with one line per stage of the work (each fit iteration, each left-out record),
    /// for progress on a long fit; not called when empty.
    std::function<void(const std::string&)> progress;
};

struct FittedParameter {
    std::string name;
    double initial = 0;
    double value = 0;
};

struct FitResult {
    std::string file; ///< the efficiency file fitted
    std::vector<FittedParameter> parameters;
    std::vector<std::string> records;         ///< training records (ids)
    std::vector<std::string> sets;            ///< training sets (names)
    std::vector<ValidationRow> initial_rows;  ///< training rows before the fit
    std::vector<ValidationRow> training_rows; ///< at the fitted values
    std::vector<ValidationRow> held_out_rows; ///< each record predicted by the fit without it
    int iterations = 0;
    bool converged = false;
    [[nodiscard]] static double mape(const std::vector<ValidationRow>& rows);
    [[nodiscard]] static double worst(const std::vector<ValidationRow>& rows); ///< signed error of the largest |error|
};

/// Fits `names` (parameter_file.hpp) of `parameter_file` to every record of `training` that
/// uses that file (through its cluster). Throws std::invalid_argument for a fit the honesty
/// rules refuse, and whatever a record's evaluation throws.
[[nodiscard]] FitResult fit_parameters(const std::vector<CalibrationSet>& training, const config::ConfigFiles& files,
                                       const std::string& parameter_file, const std::vector<std::string>& names,
                                       const FitOptions& options = {});

/// The parameter file's text with the fitted values written in and their provenance as source.
[[nodiscard]] std::string fitted_parameter_file(const FitResult& fit, const config::ConfigFiles& files);

/// A table of the fit: parameters (before, after), training and held-out errors per record.
[[nodiscard]] std::string render_fit(const FitResult& fit);

} // namespace tcsim::calibration
