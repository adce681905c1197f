#include "calibration/fit.hpp"

#include "calibration/overlay_files.hpp"
#include "calibration/parameter_file.hpp"
#include "calibration/validation_report.hpp"
#include "units/number_text.hpp"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>

namespace tcsim::calibration {
namespace {

struct TrainingRecord {
    const CalibrationSet* set;
    const CalibrationRecord* record;
};

/// Evaluates records at parameter vectors (in log space), memoised: cross-validation folds
/// start from the same point and revisit the same neighbours.
class Evaluator {
public:
    Evaluator(const config::ConfigFiles& files, std::string file, std::vector<std::string> names,
              std::vector<ParameterKind> kinds, std::vector<TrainingRecord> records, int jobs)
        : files_(files), file_(std::move(file)), text_(files.read(file_)), names_(std::move(names)),
          kinds_(std::move(kinds)), records_(std::move(records)), jobs_(jobs) {}

    /// Rows of records `which` at log-parameters `x`, in record order.
    std::vector<ValidationRow> rows(const Eigen::VectorXd& x, const std::vector<std::size_t>& which) {
        std::vector<std::size_t> missing;
        for (std::size_t r : which)
            if (cache_.find(key(x, r)) == cache_.end()) missing.push_back(r);
        if (!missing.empty()) {
            OverlayFiles overlay(files_);
            overlay.replace(file_, text_at(x));
            std::vector<std::vector<ValidationRow>> got(missing.size());
            parallel_for(missing.size(), jobs_, [&](std::size_t i) {
                const TrainingRecord& t = records_[missing[i]];
                got[i] = validate_record(*t.set, *t.record, overlay);
            });
            for (std::size_t i = 0; i < missing.size(); ++i) cache_[key(x, missing[i])] = std::move(got[i]);
        }
        std::vector<ValidationRow> out;
        for (std::size_t r : which) {
            const auto& rs = cache_.at(key(x, r));
            out.insert(out.end(), rs.begin(), rs.end());
        }
        return out;
    }

    Eigen::VectorXd residuals(const Eigen::VectorXd& x, const std::vector<std::size_t>& which) {
        const auto rs = rows(x, which);
        Eigen::VectorXd r(static_cast<Eigen::Index>(rs.size()));
        for (std::size_t i = 0; i < rs.size(); ++i)
            r(static_cast<Eigen::Index>(i)) = std::log(rs[i].predicted / rs[i].published.value);
        return r;
    }

    /// Rows per record, to tell which records a parameter moves.
    std::vector<std::size_t> row_owner(const std::vector<std::size_t>& which, const Eigen::VectorXd& x) {
        std::vector<std::size_t> owner;
        for (std::size_t r : which) {
            const auto rs = rows(x, {r});
            owner.insert(owner.end(), rs.size(), r);
        }
        return owner;
    }

    std::string text_at(const Eigen::VectorXd& x) const {
        std::string text = text_;
        for (std::size_t i = 0; i < names_.size(); ++i)
            text = write_parameter(file_, text, names_[i], std::exp(x(static_cast<Eigen::Index>(i))),
                                   "candidate of tcsim calibrate", Digits::exact);
        return text;
    }

    /// Keeps fractions at or below 1 (log <= 0).
    void project(Eigen::VectorXd& x) const {
        for (std::size_t i = 0; i < kinds_.size(); ++i)
            if (kinds_[i] == ParameterKind::fraction)
                x(static_cast<Eigen::Index>(i)) = std::min(0.0, x(static_cast<Eigen::Index>(i)));
    }

private:
    static std::string key(const Eigen::VectorXd& x, std::size_t record) {
        std::ostringstream out;
        out.precision(17);
        for (Eigen::Index i = 0; i < x.size(); ++i) out << x(i) << ',';
        out << '#' << record;
        return out.str();
    }

    const config::ConfigFiles& files_;
    std::string file_;
    std::string text_;
    std::vector<std::string> names_;
    std::vector<ParameterKind> kinds_;
    std::vector<TrainingRecord> records_;
    int jobs_;
    std::map<std::string, std::vector<ValidationRow>> cache_;
};

struct Solution {
    Eigen::VectorXd x;
    int iterations = 0;
    bool converged = false;
};

/// Levenberg-Marquardt on log-parameters from `x0` over records `which`.
Solution levenberg_marquardt(Evaluator& eval, Eigen::VectorXd x0, const std::vector<std::size_t>& which,
                             int max_iterations, double step,
                             const std::function<void(int, double)>& on_iteration = {}) {
    const Eigen::Index p = x0.size();
    Solution s{std::move(x0), 0, false};
    eval.project(s.x);
    Eigen::VectorXd r = eval.residuals(s.x, which);
    double cost = r.squaredNorm();
    double lambda = 1e-2;
    for (int it = 0; it < max_iterations; ++it) {
        s.iterations = it + 1;
        if (on_iteration) on_iteration(s.iterations, cost);
        Eigen::MatrixXd J(r.size(), p);
        for (Eigen::Index j = 0; j < p; ++j) {
            Eigen::VectorXd xj = s.x;
            // Step away from the fraction bound at 1 (log 0) rather than across it.
            const double h = (xj(j) + step > 0.0 && xj(j) >= -step) ? -step : step;
            xj(j) += h;
            J.col(j) = (eval.residuals(xj, which) - r) / h;
        }
        const Eigen::MatrixXd A = J.transpose() * J;
        const Eigen::VectorXd g = J.transpose() * r;
        bool improved = false;
        for (int tries = 0; tries < 8 && !improved; ++tries) {
            Eigen::MatrixXd D = A.diagonal().asDiagonal();
            D += 1e-12 * Eigen::MatrixXd::Identity(p, p);
            const Eigen::VectorXd delta = (A + lambda * D).ldlt().solve(-g);
            Eigen::VectorXd candidate = s.x + delta;
            eval.project(candidate);
            const Eigen::VectorXd rc = eval.residuals(candidate, which);
            const double c = rc.squaredNorm();
            if (c < cost) {
                const double gain = cost - c;
                const double moved = (candidate - s.x).cwiseAbs().maxCoeff();
                s.x = candidate;
                r = rc;
                cost = c;
                lambda = std::max(lambda / 3.0, 1e-7);
                improved = true;
                if (gain < 1e-9 * std::max(cost, 1e-12) || moved < 1e-5) {
                    s.converged = true;
                    return s;
                }
            } else {
                lambda *= 4.0;
            }
        }
        if (!improved) {
            s.converged = true; // no descent direction left at this resolution: a minimum
            return s;
        }
    }
    return s;
}

std::string join(const std::vector<std::string>& words) {
    std::string out;
    for (const auto& w : words) out += (out.empty() ? "" : ", ") + w;
    return out;
}

std::string percent(double x) { return units::printf_number("%.1f %%", 100.0 * x); }
std::string signed_percent(double x) { return units::printf_number("%+.1f %%", 100.0 * x); }

} // namespace

double FitResult::mape(const std::vector<ValidationRow>& rows) {
    if (rows.empty()) return 0;
    double sum = 0;
    for (const auto& r : rows) sum += std::abs(r.error);
    return sum / static_cast<double>(rows.size());
}

double FitResult::worst(const std::vector<ValidationRow>& rows) {
    double w = 0;
    for (const auto& r : rows)
        if (std::abs(r.error) > std::abs(w)) w = r.error;
    return w;
}

FitResult fit_parameters(const std::vector<CalibrationSet>& training, const config::ConfigFiles& files,
                         const std::string& parameter_file, const std::vector<std::string>& names,
                         const FitOptions& options) {
    if (names.empty()) throw std::invalid_argument("name at least one parameter to fit");
    std::set<std::string> unique(names.begin(), names.end());
    if (unique.size() != names.size()) throw std::invalid_argument("a parameter is named twice");

    FitResult result;
    result.file = parameter_file;
    const std::string target = OverlayFiles::normal(parameter_file);
    std::vector<TrainingRecord> records;
    for (const auto& s : training) {
        bool used = false;
        for (const auto& r : s.records) {
            if (OverlayFiles::normal(efficiency_file_of(files, r.cluster)) != target) continue;
            records.push_back({&s, &r});
            result.records.push_back(r.id);
            used = true;
        }
        if (used) result.sets.push_back(s.name);
    }
    if (records.size() < names.size() + 1)
        throw std::invalid_argument(std::to_string(records.size()) + " training records use " + parameter_file +
                                    ": a fit of " + std::to_string(names.size()) +
                                    " parameters needs more records than parameters");

    const std::string text = files.read(parameter_file);
    std::vector<ParameterKind> kinds;
    Eigen::VectorXd x0(static_cast<Eigen::Index>(names.size()));
    for (std::size_t i = 0; i < names.size(); ++i) {
        kinds.push_back(parameter_kind(parameter_file, names[i]));
        const double v = read_parameter(parameter_file, text, names[i]);
        // log space needs a positive start; a size of 0 (no shape penalty) starts at 1.
        x0(static_cast<Eigen::Index>(i)) = std::log(std::max(v, kinds.back() == ParameterKind::fraction ? 1e-3 : 1e-9));
        result.parameters.push_back({names[i], v, v});
    }

    Evaluator eval(files, parameter_file, names, kinds, records, options.jobs);
    std::vector<std::size_t> all(records.size());
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;

    // Which records each parameter moves. A parameter must move records of at least two
    // workloads (component records, which have none, count one each): otherwise it would be
    // one record's or one workload's own knob.
    result.initial_rows = eval.rows(x0, all);
    {
        const std::vector<std::size_t> owner = eval.row_owner(all, x0);
        const Eigen::VectorXd r0 = eval.residuals(x0, all);
        for (std::size_t j = 0; j < names.size(); ++j) {
            Eigen::VectorXd xj = x0;
            const auto jj = static_cast<Eigen::Index>(j);
            xj(jj) += kinds[j] == ParameterKind::fraction && x0(jj) > -0.05 ? -0.05 : 0.05;
            const Eigen::VectorXd rj = eval.residuals(xj, all);
            std::set<std::string> moved;
            for (Eigen::Index i = 0; i < r0.size(); ++i) {
                if (std::abs(rj(i) - r0(i)) <= 1e-6) continue;
                const CalibrationRecord& r = *records[owner[static_cast<std::size_t>(i)]].record;
                moved.insert(r.workload.empty() ? "record " + r.id : r.workload);
            }
            if (moved.size() < 2)
                throw std::invalid_argument(
                    "parameter " + names[j] + " moves the predictions of " +
                    (moved.empty() ? std::string("no training record") : "only " + *moved.begin()) +
                    ": a parameter fitted to one record or one workload would be its own knob; train on records of "
                    "more workloads or leave the parameter out");
        }
    }

    const auto say = [&options](const std::string& line) {
        if (options.progress) options.progress(line);
    };
    say("fitting " + std::to_string(names.size()) + " parameter(s) on " + std::to_string(records.size()) + " records");
    const Solution full =
        levenberg_marquardt(eval, x0, all, options.max_iterations, options.step, [&](int it, double cost) {
            say("  iteration " + std::to_string(it) + ": sum of squared log errors " + std::to_string(cost));
        });
    result.iterations = full.iterations;
    result.converged = full.converged;
    for (std::size_t i = 0; i < names.size(); ++i)
        result.parameters[i].value = std::exp(full.x(static_cast<Eigen::Index>(i)));
    result.training_rows = eval.rows(full.x, all);

    if (options.cross_validate) {
        for (std::size_t left = 0; left < records.size(); ++left) {
            say("leave-one-out " + std::to_string(left + 1) + "/" + std::to_string(records.size()) + ": without " +
                records[left].record->id);
            std::vector<std::size_t> rest;
            for (std::size_t i : all)
                if (i != left) rest.push_back(i);
            const Solution fold =
                levenberg_marquardt(eval, full.x, rest, options.cross_validation_iterations, options.step);
            const auto rows = eval.rows(fold.x, {left});
            result.held_out_rows.insert(result.held_out_rows.end(), rows.begin(), rows.end());
        }
    }
    return result;
}

std::string fitted_parameter_file(const FitResult& fit, const config::ConfigFiles& files) {
    std::string text = files.read(fit.file);
    std::vector<std::string> names;
    for (const auto& p : fit.parameters) names.push_back(p.name);
    std::string sets;
    for (const auto& s : fit.sets) sets += (sets.empty() ? "" : " ") + s;
    std::string params;
    for (const auto& n : names) params += (params.empty() ? "" : ",") + n;
    std::string provenance = "fitted by `tcsim calibrate --train " + sets + " --params " + params +
                             "` (least squares on log error) on records " + join(fit.records) + ": training MAPE " +
                             percent(FitResult::mape(fit.training_rows));
    if (!fit.held_out_rows.empty())
        provenance += ", leave-one-out MAPE " + percent(FitResult::mape(fit.held_out_rows)) + " (worst " +
                      signed_percent(FitResult::worst(fit.held_out_rows)) + ")";
    for (const auto& p : fit.parameters) text = write_parameter(fit.file, text, p.name, p.value, provenance);
    return text;
}

std::string render_fit(const FitResult& fit) {
    std::ostringstream out;
    out << "tcsim calibrate: " << fit.file << "\n";
    out << "  training: " << fit.records.size() << " records (" << join(fit.sets) << ")\n";
    out << "  iterations: " << fit.iterations << (fit.converged ? " (converged)" : " (iteration limit)") << "\n\n";
    out << "Parameters\n";
    for (const auto& p : fit.parameters) {
        char buffer[160];
        std::snprintf(buffer, sizeof buffer, "  %-24s %12.5g -> %12.5g\n", p.name.c_str(), p.initial, p.value);
        out << buffer;
    }
    out << "\nErrors per published value\n";
    out << "  record                                metric                 before     fitted   held out\n";
    for (std::size_t i = 0; i < fit.training_rows.size(); ++i) {
        const auto& r = fit.training_rows[i];
        char buffer[200];
        const std::string held = i < fit.held_out_rows.size() ? signed_percent(fit.held_out_rows[i].error) : "-";
        std::snprintf(buffer, sizeof buffer, "  %-37s %-20s %9s  %9s  %9s\n", r.record.c_str(),
                      std::string(to_string(r.published.metric)).c_str(),
                      signed_percent(fit.initial_rows[i].error).c_str(), signed_percent(r.error).c_str(), held.c_str());
        out << buffer;
    }
    out << "\n  MAPE before " << percent(FitResult::mape(fit.initial_rows)) << " (worst "
        << signed_percent(FitResult::worst(fit.initial_rows)) << "), fitted "
        << percent(FitResult::mape(fit.training_rows)) << " (worst "
        << signed_percent(FitResult::worst(fit.training_rows)) << ")";
    if (!fit.held_out_rows.empty())
        out << ", leave-one-out " << percent(FitResult::mape(fit.held_out_rows)) << " (worst "
            << signed_percent(FitResult::worst(fit.held_out_rows)) << ")";
    out << "\n";
    return out.str();
}

} // namespace tcsim::calibration
