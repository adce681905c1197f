// Failures, restarts and checkpoints over a whole run: a run-level discrete-event simulation on
// the engine, the job a process that failures interrupt, sampled many times with seeds
// (DESIGN.md, "Run level").
//
// Model of one sample
// - The run is a sequence of stages (pre-training, then context extension when there is any),
//   each a fixed amount W of failure-free training time taken from simulate_run.
// - Training proceeds in segments of the checkpoint interval tau; after each segment, and at the
//   end of each stage, the job writes a checkpoint that blocks training for C seconds.
// - Failures arrive as a Poisson process in wall-clock time with rate lambda = (failures per GPU
//   per hour) x GPUs, whatever the job is doing. A failure loses every second of training since
//   the last completed checkpoint (a checkpoint being written is lost too) and costs the
//   restart time R before training resumes; a failure during a restart starts it over.
// - What is not known about reliability is sampled too: when a range is given, each sample
//   draws its failure rate and its restart time from it (the published spread of interruption
//   rates, an assumed spread of restart times), so p5-p95 covers that uncertainty as well as the
//   Poisson noise. The draw is log-uniform on each side of the nominal value, half the samples
//   below it and half above, so the nominal (the cited figure) is the median of the draws
//   whatever the range's ends (a plain log-uniform draw would centre on sqrt(low x high)). The
//   checkpoint interval is the one the operator would choose from the nominal rate, the same for
//   every sample.
// - tau is given, or Young's first-order optimum sqrt(2 C M) (Young 1974; Daly 2006), M = 1 /
//   lambda the job's mean time between failures, never shorter than one step of the stage
//   (checkpoints are taken between steps). Without failures and without a given interval there
//   are no intermediate checkpoints, only one at the end of each stage.
//
// Contract
// - Exactness: the engine counts integer nanoseconds. A stage's reported duration is its W plus
//   (its wall-clock ns - its work ns) / 1e9, so with a zero failure rate and free checkpoints
//   the overhead is exactly zero and every sample reproduces simulate_run's durations bit for bit.
// - Determinism: sample i draws from its own std::mt19937_64 seeded from (seed, i) through
//   SplitMix64 (its rate and restart time, then the seed of its failures); exponential gaps by
//   inversion of 53-bit uniforms, two-sided log-uniform draws from 53-bit uniforms. The same
//   seed gives the same samples (and the same report bytes) on every run. (The direct walk
//   reads those sequences from run/mersenne_twister.hpp, which computes std::mt19937_64's
//   numbers only as far as they are read.)
// - Speed: by default a sample is priced without the engine (its timeline walked segment by
//   segment, no events), giving the engine's samples bit for bit; MonteCarloOptions::engine runs
//   the DES itself. Whole runs of checkpoints between two failures are summed in closed form
//   (run/repeated_addition.hpp), so a sample costs a few tens of nanoseconds per failure, and
//   10^6 samples take seconds.
// - Percentiles interpolate linearly between order statistics (type 7 of Hyndman & Fan 1996).
// - A run that cannot finish (failures faster than checkpoints can keep up with: the wall clock
//   passes 1,000 x the failure-free time, or one sample sees more than 200,000 failures) throws
//   UnfinishableRun saying so (the inputs' fault, not the program's). A range that does not hold
//   its nominal value (0 < low <= nominal <= high) throws std::invalid_argument; with a zero
//   failure rate the ranges are ignored.
#pragma once

#include "run/run_result.hpp"
#include "units/quantity.hpp"

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <vector>

namespace tcsim::run {

/// Failures come faster than checkpoints can keep up with: the run never ends.
class UnfinishableRun : public std::domain_error {
public:
    using std::domain_error::domain_error;
};

/// A range [low, high] around a nominal value, sampled per sample: log-uniform on [low, nominal]
/// with probability 1/2, on [nominal, high] otherwise.
struct Range {
    double low = 0;
    double high = 0;
};

struct ReliabilityParameters {
    double failures_per_gpu_hour = 0;                  ///< Poisson rate of job-interrupting failures per GPU (nominal)
    std::optional<Range> failures_per_gpu_hour_range;  ///< sampled per sample when given
    units::Seconds restart{0.0};                       ///< from a failure to training again (detect, replace, reload)
    std::optional<Range> restart_seconds_range;        ///< sampled per sample when given
    units::Seconds checkpoint_write{0.0};              ///< training blocked per checkpoint
    std::optional<units::Seconds> checkpoint_interval; ///< training between checkpoints; nullopt: Young/Daly
};

struct MonteCarloOptions {
    int samples = 1000;
    std::uint64_t seed = 1;
    /// Each sample on the engine, event by event (the reference); otherwise its timeline walked
    /// directly in the same nanoseconds with the same draws, the same samples bit for bit at a
    /// few nanoseconds per checkpoint interval (10^6 samples in seconds).
    bool engine = false;
    /// Threads for the samples: each sample draws from its own seed, so the samples, and every
    /// figure taken from them, are the same bits for any count.
    int threads = 1;
};

struct Percentiles {
    double p5 = 0;
    double p50 = 0;
    double p95 = 0;
    double mean = 0;
};

/// Percentiles of `values` (any order; empty gives zeros).
Percentiles percentiles(std::vector<double> values);

/// One sampled run: wall-clock seconds per stage and where the extra time went.
struct RunSample {
    double failure_rate_per_gpu_hour = 0; ///< the rate this sample drew
    double restart_time_s = 0;            ///< the restart time this sample drew
    double pretrain_s = 0;
    double extension_s = 0;
    int failures = 0;
    double lost_work_s = 0;  ///< training redone after failures
    double restart_s = 0;    ///< restarting (including restarts cut short by a failure)
    double checkpoint_s = 0; ///< writing checkpoints (including ones cut short by a failure)
    [[nodiscard]] double total_s() const { return pretrain_s + extension_s; }
};

struct RunDistribution {
    std::vector<RunSample> samples;
    Percentiles pretrain_s;
    Percentiles extension_s;
    Percentiles total_s;
    Percentiles failures;
    Percentiles lost_work_s;
    Percentiles restart_s;
    Percentiles checkpoint_s;
    double failure_free_pretrain_s = 0; ///< simulate_run's durations
    double failure_free_extension_s = 0;
    double job_mtbf_s = 0; ///< 1 / lambda; +infinity without failures
    /// Interval used per stage (pre-training, extension); +infinity: no intermediate checkpoints.
    std::vector<double> checkpoint_interval_s;
    double checkpoint_write_s = 0;
    ReliabilityParameters parameters;
    MonteCarloOptions options;
};

/// Young/Daly's interval sqrt(2 C M); +infinity when M is infinite, 0 when C is 0.
double young_daly_interval(double checkpoint_write_s, double job_mtbf_s);

RunDistribution simulate_failures(const RunResult& run, const ReliabilityParameters& reliability,
                                  const MonteCarloOptions& options = {});

} // namespace tcsim::run
