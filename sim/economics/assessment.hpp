// A simulated run priced every way: its duration with failures as a distribution, GPU-hours,
// rental dollars, energy and facility power, and the total cost of ownership.
//
// Contract: assess() takes the failure-free RunResult (run/run_model.hpp), samples failures,
// restarts and checkpoints (run/failure_simulation.hpp; the checkpoint write time is the
// model's checkpoint size over the storage write bandwidth), estimates energy
// (energy_model.hpp) and prices the run both ways. GPU-hours, dollars and energy all grow with
// a stage's wall-clock time, so their percentiles are the stage's duration percentiles mapped
// through those monotone functions: within one stage (pre-training, extension or both), every
// figure's p50 comes from the same sample. Deterministic for a given seed.
#pragma once

#include "economics/energy_model.hpp"
#include "economics/ownership.hpp"
#include "economics/price.hpp"
#include "run/failure_simulation.hpp"
#include "run/run_result.hpp"
#include "topology/cluster.hpp"
#include "workload/workload.hpp"

#include <optional>
#include <string>
#include <vector>

namespace tcsim::economics {

struct ReliabilityInputs {
    Cited failures_per_gpu_hour;
    std::optional<run::Range> failures_per_gpu_hour_range; ///< sampled per Monte Carlo sample
    Cited restart_seconds;
    std::optional<run::Range> restart_seconds_range;
    Cited storage_write_bytes_per_second;
    std::optional<double> checkpoint_interval_seconds; ///< nullopt: Young/Daly
};

struct AssessmentInputs {
    RentalPrice rental;
    std::optional<OwnershipPrices> ownership; ///< nullopt: no TCO (no purchase price known)
    PowerParameters power;
    ReliabilityInputs reliability;
    run::MonteCarloOptions monte_carlo;
};

/// p5 / p50 / p95 of one figure for pre-training, extension and both.
struct StageFigures {
    run::Percentiles pretraining;
    run::Percentiles extension;
    run::Percentiles total;
};

/// Post-training stages of one kind (SFT or RL), each assessed on its own (its GPUs, failures,
/// checkpoints, energy), summed for the claims about them. Percentiles add as if the stages'
/// draws moved together (p50 + p50, p95 + p95): the sum's median exactly when one stage
/// dominates, a slightly wider p5-p95 than independent stages would give otherwise.
struct PostTrainingSum {
    run::Percentiles days;
    run::Percentiles gpu_hours;
    run::Percentiles rental_usd;
    run::Percentiles energy_mwh;
    double model_flops = 0;
    double gpu_seconds_p50 = 0; ///< GPUs held x p50 seconds, summed over the stages
};

struct Assessment;

/// One post-training stage's p50 figures, for the lines a claim's check shows stage by stage.
struct PostTrainingStageLine {
    std::string name;
    bool rl = false;
    double gpu_hours_p50 = 0;
    double rental_usd_p50 = 0;
};

/// The SFT and RL stages' sums; a kind without stages is nullopt.
struct PostTrainingFigures {
    std::optional<PostTrainingSum> sft;
    std::optional<PostTrainingSum> rl;
    std::vector<PostTrainingStageLine> stages; ///< in order
};

/// Sums stage assessments (`rl[i]` says whether stage i, named names[i], is RL) into
/// PostTrainingFigures.
PostTrainingFigures sum_post_training(const std::vector<Assessment>& stages, const std::vector<bool>& rl,
                                      const std::vector<std::string>& names);

struct Assessment {
    run::RunDistribution failures;
    double checkpoint_bytes = 0;
    int gpus = 0;
    int network_endpoints = 0;
    StageFigures days;
    StageFigures gpu_hours;
    StageFigures rental_usd;
    StageFigures energy_mwh; ///< facility energy
    std::optional<StageFigures> ownership_usd;
    std::optional<OwnershipCost> ownership_p50;     ///< breakdown at the p50 total duration
    std::optional<units::Dollars> cluster_purchase; ///< buying the whole cluster
    EnergyEstimate energy;
    double model_flops_pretraining = 0;
    double model_flops_total = 0;
    double peak_flops_per_gpu = 0; ///< dense BF16, the MFU denominator
    /// Model FLOPs / (GPU-seconds at p50 x peak): MFU averaged over the run with failures.
    double run_mfu_pretraining = 0;
    double run_mfu_total = 0;
    RentalPrice rental;
    std::optional<OwnershipPrices> ownership_prices;
    ReliabilityInputs reliability;
    PowerParameters power;
    /// The workload's post-training stages, each assessed on its own and summed by kind;
    /// absent when it has none (scenario/evaluate.cpp fills it).
    std::optional<PostTrainingFigures> post_training;
};

Assessment assess(const run::RunResult& run, const topology::ClusterSpec& cluster, const workload::Workload& workload,
                  const AssessmentInputs& inputs);

} // namespace tcsim::economics
