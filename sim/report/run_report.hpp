// What a report shows: one simulated run, what it costs, and the published figures beside it;
// optionally the run with failures, its energy and ownership cost (an economics::Assessment)
// and verdicts on claims about it.
//
// Contract: a RunReport is a plain summary handed from scenario::evaluate (which simulated and priced the
// run) to the writers (report_table.hpp, report_json.hpp); the writers compute nothing physical,
// they only pick, divide into days and compare. Every report states what its figures cover.
#pragma once

#include "economics/assessment.hpp"
#include "economics/claim_check.hpp"
#include "economics/cost_model.hpp"
#include "report/gpu_scaling.hpp"
#include "report/uncertainty.hpp"
#include "run/post_training.hpp"
#include "run/run_result.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tcsim::report {

/// The figures a published claim can state, each matched by one tcsim figure.
enum class Figure {
    pretrain_days, ///< wall-clock days of main pre-training
    total_days,    ///< pre-training + context extension
    pretrain_gpu_hours,
    total_gpu_hours,
    pretrain_cost_usd, ///< rental dollars of pre-training
    total_cost_usd,    ///< rental dollars of pre-training + context extension
};

/// One published number, e.g. {pretrain_gpu_hours, 2.664e6, "Table 1"}.
struct PublishedValue {
    Figure figure = Figure::pretrain_gpu_hours;
    double value = 0;
    std::string note; ///< where in the source, or how it was derived
};

/// What the operator of the run published about it, with the source.
struct PublishedFigures {
    std::string source;
    std::vector<PublishedValue> values;
};

/// The names of what was simulated.
struct Scenario {
    std::string cluster;
    std::string gpu;
    std::string gpu_vendor; ///< the catalog's vendor of `gpu`
    std::string workload;
    int gpus = 0;
    std::string model; ///< the model's name, e.g. "DeepSeek-V3 (671B total, 37B active)"
    /// Non-empty when the GPU's efficiency is borrowed from another family (the efficiency
    /// file's `assumed_from`): printed as a warning by the table and JSON.
    std::string efficiency_warning;
};

/// One post-training stage (SFT or RL), simulated and priced on its own GPUs like a run.
struct PostTrainingReport {
    run::PostTrainingResult result;
    economics::Assessment assessment; ///< its failures, checkpoints, energy and dollars
};

struct RunReport {
    Scenario scenario;
    std::vector<std::string> overrides;      ///< what the command line overrode, as written ("--tp 4")
    std::vector<std::string> builtin_inputs; ///< input files read from built-in copies ("PATH (built-in NAME)")
    run::RunResult run;
    economics::RentalCost pretrain_cost; ///< pre-training phases only
    economics::RentalCost total_cost;    ///< every simulated phase (pre-training + extension)
    std::string price_date;              ///< when the price was quoted; empty if not known
    std::string covers;                  ///< what the figures cover, in words (see covers_text)
    std::optional<PublishedFigures> published;
    /// The run with failures, energy and ownership cost; absent: failure-free figures only.
    std::optional<economics::Assessment> assessment;
    /// The workload's stages after pre-training, in order; empty when it has none.
    std::vector<PostTrainingReport> post_training;
    std::vector<economics::ClaimCheck> claims; ///< verdicts on claims about this run
    std::string verdict_rule;                  ///< how the verdicts were decided (claim_check.hpp)
    std::string summary;                       ///< a paragraph to quote; empty: none
    /// Ranges and distributions among the inputs, and what they do to the result; absent when
    /// every input is a point.
    std::optional<UncertaintyReport> uncertainty;
    /// The same run at other GPU counts (scenario/gpu_scaling.hpp); absent unless asked for
    /// (the HTML report's scaling chart).
    std::optional<GpuScaling> gpu_scaling;
    /// Other runs whose claims this report checks (the built-in story's GPT-4 estimate), each
    /// a whole report of its own with an empty summary and no `related`.
    std::vector<RunReport> related;
};

enum class Failures { none, simulated };

/// The standard "Covers:" sentence: a failure-free run priced by rental alone, or a run with
/// simulated failures priced both ways (the assessment).
inline std::string covers_text(bool includes_extension, Failures failures = Failures::none) {
    const std::string run =
        includes_extension ? "final pre-training run (+ context extension) only" : "final pre-training run only";
    if (failures == Failures::none)
        return run + ", failure-free, GPU rental only: excludes research, ablations, data, staff and the "
                     "cluster's purchase";
    return run + ", with simulated failures (the failure-free figures say so): excludes research, ablations, data "
                 "and staff; rental dollars are GPU time only, ownership dollars the hardware's write-off, network "
                 "and electricity for the run's duration";
}

/// The phase whose step stands for the run: the one named "steady"; else the last pre-training
/// phase; else the first phase; nullptr when there are no phases.
inline const run::RunPhase* steady_phase(const run::RunResult& run) {
    const run::RunPhase* last_pretrain = nullptr;
    for (const auto& phase : run.phases) {
        if (phase.name == "steady") {
            return &phase;
        }
        if (!phase.extension) {
            last_pretrain = &phase;
        }
    }
    if (last_pretrain != nullptr) {
        return last_pretrain;
    }
    return run.phases.empty() ? nullptr : &run.phases.front();
}

/// Tokens of every phase (pre-training + extension).
inline double total_tokens(const run::RunResult& run) {
    double tokens = 0;
    for (const auto& phase : run.phases) {
        tokens += phase.tokens;
    }
    return tokens;
}

/// The key used in JSON, e.g. "pretrain_gpu_hours".
inline std::string_view to_string(Figure figure) {
    switch (figure) {
    case Figure::pretrain_days: return "pretrain_days";
    case Figure::total_days: return "total_days";
    case Figure::pretrain_gpu_hours: return "pretrain_gpu_hours";
    case Figure::total_gpu_hours: return "total_gpu_hours";
    case Figure::pretrain_cost_usd: return "pretrain_cost_usd";
    case Figure::total_cost_usd: return "total_cost_usd";
    }
    return "unknown";
}

/// The row label in the terminal table, e.g. "GPU-hours, pre-training".
inline std::string_view label(Figure figure) {
    switch (figure) {
    case Figure::pretrain_days: return "days, pre-training";
    case Figure::total_days: return "days, total";
    case Figure::pretrain_gpu_hours: return "GPU-hours, pre-training";
    case Figure::total_gpu_hours: return "GPU-hours, total";
    case Figure::pretrain_cost_usd: return "dollars, pre-training";
    case Figure::total_cost_usd: return "dollars, total";
    }
    return "unknown";
}

/// tcsim's value of `figure` in `report`.
inline double predicted(const RunReport& report, Figure figure) {
    constexpr double seconds_per_day = 86400.0;
    switch (figure) {
    case Figure::pretrain_days: return report.run.pretrain_seconds / seconds_per_day;
    case Figure::total_days: return report.run.seconds() / seconds_per_day;
    case Figure::pretrain_gpu_hours: return report.pretrain_cost.gpu_hours;
    case Figure::total_gpu_hours: return report.total_cost.gpu_hours;
    case Figure::pretrain_cost_usd: return report.pretrain_cost.dollars.value();
    case Figure::total_cost_usd: return report.total_cost.dollars.value();
    }
    return 0;
}

/// (tcsim - published) / published, in percent: positive when tcsim predicts more.
inline double difference_percent(double tcsim, double published) { return (tcsim - published) / published * 100.0; }

} // namespace tcsim::report
