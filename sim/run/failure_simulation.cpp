// The run-level DES. One Simulation per sample, and on it one process, the job: it trains a
// segment, writes a checkpoint, and so on, each activity a Timeout raced (any_of) against the
// next failure. The failures are a Poisson stream held as one pending Timeout, redrawn after
// each failure, rather than a process of their own: a process would reach the job through one
// more queue entry, and a failure landing on the very nanosecond an activity ends would then
// resolve differently from the callback state machine this replaced, whose results (and every
// RNG draw, in order) this one reproduces bit for bit. A sample costs about two events per
// checkpoint interval plus two per failure, as before, plus a few to start the job and to
// signal its end. DirectSample below prices the same sample without the engine, bit for bit,
// and is what runs unless MonteCarloOptions::engine asks for this one.
#include "run/failure_simulation.hpp"

#include "engine/any_of.hpp"
#include "engine/event.hpp"
#include "engine/process.hpp"
#include "engine/sim_time.hpp"
#include "engine/simulation.hpp"
#include "run/mersenne_twister.hpp"
#include "run/parallel_map.hpp"
#include "run/repeated_addition.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>

namespace tcsim::run {

namespace {

/// A mean interval as a person reads it: "3.2 h", "14 min", "0.0036 s".
std::string interval_text(double seconds) {
    char buffer[64];
    if (seconds >= 3600.0)
        std::snprintf(buffer, sizeof buffer, "%.3g h", seconds / 3600.0);
    else if (seconds >= 60.0)
        std::snprintf(buffer, sizeof buffer, "%.3g min", seconds / 60.0);
    else
        std::snprintf(buffer, sizeof buffer, "%.3g s", seconds);
    return buffer;
}

using engine::Duration;
using engine::Rounding;
using engine::SimTime;

constexpr double kInfinity = std::numeric_limits<double>::infinity();
/// More failures than any real run has (16,384 GPUs for a year at Llama 3's rate: ~2,800).
constexpr int kMaxFailures = 200'000;

/// SplitMix64 (Steele, Lea & Flood 2014): decorrelates the seeds of consecutive samples.
std::uint64_t splitmix64(std::uint64_t x) {
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

struct Stage {
    Duration work{};
    Duration interval{}; ///< Duration::max(): no intermediate checkpoints
};

/// One sampled run on its own engine: the job is a process, failures a Poisson stream it races.
class SampleRun {
public:
    SampleRun(const std::vector<Stage>& stages, double failures_per_second, Duration restart, Duration checkpoint,
              std::uint64_t seed)
        : stages_(stages), rate_(failures_per_second), restart_(restart), checkpoint_(checkpoint), rng_(seed) {}

    /// Wall-clock ns at which each stage ended; fills `sample`'s counters.
    std::vector<Duration> run(RunSample& sample, Duration limit) {
        sample_ = &sample;
        if (stages_.empty()) return ends_;
        engine::start(sim_, job());
        sim_.run_until(SimTime{} + limit);
        if (ends_.size() < stages_.size())
            throw UnfinishableRun("the run does not finish: a failure every " + interval_text(1.0 / rate_) +
                                  " on average (the whole job) undoes the work faster than checkpoints save it");
        return ends_;
    }

private:
    /// The job: per stage, train a segment, write a checkpoint, again until the stage's work is
    /// saved. Each activity races the next failure; a failure sends the job into a restart, which
    /// a further failure starts over.
    engine::Process job() {
        arm_failure();
        for (const Stage& stage : stages_) {
            Duration committed{}; // training saved by the last checkpoint of this stage
            while (committed < stage.work) {
                const Duration segment = std::min(stage.interval, stage.work - committed);
                SimTime started = sim_.now();
                bool failed = false;
                {
                    engine::Timeout trained(sim_, segment);
                    failed = co_await engine::any_of(trained, failure()) == 1;
                }
                if (failed) {
                    count_failure();
                    sample_->lost_work_s += since(started);
                } else {
                    started = sim_.now();
                    {
                        engine::Timeout written(sim_, checkpoint_);
                        failed = co_await engine::any_of(written, failure()) == 1;
                    }
                    if (!failed) {
                        sample_->checkpoint_s += engine::to_seconds(checkpoint_);
                        committed += segment;
                        continue;
                    }
                    // The checkpoint being written is lost with the segment it would have saved.
                    count_failure();
                    sample_->lost_work_s += engine::to_seconds(segment);
                    sample_->checkpoint_s += since(started);
                }
                for (;;) {
                    started = sim_.now();
                    engine::Timeout restarted(sim_, restart_);
                    arm_failure();
                    if (co_await engine::any_of(restarted, failure()) == 0) break;
                    count_failure();
                    sample_->restart_s += since(started);
                }
                sample_->restart_s += engine::to_seconds(restart_);
            }
            ends_.push_back(sim_.now() - SimTime{});
        }
        next_failure_.reset(); // cancelled: the run is over
    }

    /// Draws the gap to the next failure and schedules it (nothing without failures).
    void arm_failure() {
        if (!(rate_ > 0)) return;
        // Inversion of a 53-bit uniform in [0, 1): the gap is -ln(1 - u) / rate.
        const double u = static_cast<double>(rng_() >> 11) * 0x1.0p-53;
        const double gap_s = std::min(-std::log1p(-u) / rate_, 1e9); // 1e9 s (31 years): beyond any run
        next_failure_.emplace(sim_, engine::to_duration(std::chrono::duration<double>(gap_s), Rounding::nearest));
    }

    /// The event the job races: the next failure, or one that never happens.
    engine::Event& failure() { return next_failure_ ? static_cast<engine::Event&>(*next_failure_) : never_; }

    void count_failure() {
        if (++sample_->failures > kMaxFailures)
            throw UnfinishableRun("the run does not finish: more than " + std::to_string(kMaxFailures) +
                                  " failures in one sample (a failure every " + interval_text(1.0 / rate_) +
                                  " on average for the whole job undoes the work faster than checkpoints save it)");
    }

    double since(SimTime started) const { return engine::to_seconds(sim_.now() - started); }

    const std::vector<Stage>& stages_;
    double rate_;
    Duration restart_;
    Duration checkpoint_;
    std::mt19937_64 rng_;
    engine::Simulation sim_;
    // Destroyed before sim_ (declared after it), as events must be.
    engine::Event never_{sim_};
    std::optional<engine::Timeout> next_failure_;
    RunSample* sample_ = nullptr;
    std::vector<Duration> ends_;
};

/// The same sample priced without the engine (the default): the job's timeline walked segment
/// by segment in the same integer nanoseconds, with the same draws in the same order and the
/// kernel's tie rules written out, so every sample equals SampleRun's bit for bit (a test holds
/// both to it) at a few nanoseconds per segment instead of a few events. Ties, as the kernel
/// orders them: the pending failure was scheduled before any training segment or checkpoint
/// write it races, so a failure on the very nanosecond one ends wins; a restart's timeout is
/// scheduled before the failure drawn at its start, so there the restart wins.
class DirectSample {
public:
    DirectSample(const std::vector<Stage>& stages, double failures_per_second, Duration restart, Duration checkpoint,
                 std::uint64_t seed)
        : stages_(stages), rate_(failures_per_second), restart_(restart.count()), checkpoint_(checkpoint.count()),
          rng_(seed) {}

    std::vector<Duration> run(RunSample& sample, Duration limit) {
        std::vector<Duration> ends;
        if (stages_.empty()) return ends;
        limit_ = limit.count();
        std::int64_t t = 0;
        arm(t);
        for (const Stage& stage : stages_) {
            const std::int64_t work = stage.work.count();
            const std::int64_t interval = stage.interval.count();
            std::int64_t committed = 0;
            const double checkpoint_s = seconds(checkpoint_);
            while (committed < work) {
                // Whole intervals saved before the next failure (and the limit) come at once; the
                // checkpoint times are summed as the engine's one addition per checkpoint would
                // sum them, bit for bit, in a few operations (run/repeated_addition.hpp).
                const std::int64_t cycle = interval + checkpoint_;
                // (min(a, b) / c = min(a / c, b / c) for c > 0: one division instead of two.)
                const std::int64_t clear = std::min(failure_ - t - 1, limit_ - t) / cycle;
                const std::int64_t k = std::min((work - committed) / interval, clear);
                sample.checkpoint_s = add_repeatedly(sample.checkpoint_s, checkpoint_s, k);
                committed += k * interval;
                t += k * cycle;
                if (committed >= work) break;
                const std::int64_t segment = std::min(interval, work - committed);
                const std::int64_t trained = t + segment;
                if (failure_ <= trained) {
                    reach(failure_);
                    count_failure(sample);
                    sample.lost_work_s += seconds(failure_ - t);
                } else {
                    reach(trained);
                    t = trained;
                    const std::int64_t written = t + checkpoint_;
                    if (failure_ > written) {
                        reach(written);
                        sample.checkpoint_s += checkpoint_s;
                        committed += segment;
                        t = written;
                        continue;
                    }
                    // The checkpoint being written is lost with the segment it would have saved.
                    reach(failure_);
                    count_failure(sample);
                    sample.lost_work_s += seconds(segment);
                    sample.checkpoint_s += seconds(failure_ - t);
                }
                t = failure_;
                for (;;) {
                    const std::int64_t restarted = t + restart_;
                    arm(t);
                    if (failure_ >= restarted) {
                        reach(restarted);
                        t = restarted;
                        break;
                    }
                    reach(failure_);
                    count_failure(sample);
                    sample.restart_s += seconds(failure_ - t);
                    t = failure_;
                }
                sample.restart_s += seconds(restart_);
            }
            ends.push_back(Duration(t));
        }
        return ends;
    }

private:
    static double seconds(std::int64_t ns) { return engine::to_seconds(Duration(ns)); }

    /// SampleRun::arm_failure's draw; the failure at `now` + the gap (never without failures).
    void arm(std::int64_t now) {
        if (!(rate_ > 0)) return;
        const double u = static_cast<double>(rng_() >> 11) * 0x1.0p-53;
        const double gap_s = std::min(-std::log1p(-u) / rate_, 1e9);
        const std::int64_t gap = engine::to_duration(std::chrono::duration<double>(gap_s), Rounding::nearest).count();
        failure_ =
            gap > std::numeric_limits<std::int64_t>::max() - now ? std::numeric_limits<std::int64_t>::max() : now + gap;
    }

    /// The next thing happens at `when`: past the limit the engine would have stopped first.
    void reach(std::int64_t when) const {
        if (when > limit_)
            throw UnfinishableRun("the run does not finish: a failure every " + interval_text(1.0 / rate_) +
                                  " on average (the whole job) undoes the work faster than checkpoints save it");
    }

    void count_failure(RunSample& sample) const {
        if (++sample.failures > kMaxFailures)
            throw UnfinishableRun("the run does not finish: more than " + std::to_string(kMaxFailures) +
                                  " failures in one sample (a failure every " + interval_text(1.0 / rate_) +
                                  " on average for the whole job undoes the work faster than checkpoints save it)");
    }

    const std::vector<Stage>& stages_;
    double rate_;
    std::int64_t restart_;
    std::int64_t checkpoint_;
    Mt19937_64 rng_;
    std::int64_t failure_ = std::numeric_limits<std::int64_t>::max();
    std::int64_t limit_ = 0;
};

/// The longest step of the phases of one stage: checkpoints are taken between steps.
double longest_step(const RunResult& run, bool extension) {
    double longest = 0;
    for (const auto& phase : run.phases)
        if (phase.extension == extension) longest = std::max(longest, phase.step.step_seconds);
    return longest;
}

Duration as_duration(double seconds) {
    return engine::to_duration(std::chrono::duration<double>(seconds), Rounding::nearest);
}

} // namespace

Percentiles percentiles(std::vector<double> values) {
    Percentiles out;
    if (values.empty()) return out;
    std::sort(values.begin(), values.end());
    auto at = [&](double p) {
        const double h = (static_cast<double>(values.size()) - 1.0) * p;
        const auto lo = static_cast<std::size_t>(std::floor(h));
        const std::size_t hi = std::min(lo + 1, values.size() - 1);
        return values[lo] + (h - static_cast<double>(lo)) * (values[hi] - values[lo]);
    };
    out.p5 = at(0.05);
    out.p50 = at(0.50);
    out.p95 = at(0.95);
    double sum = 0;
    for (double v : values) sum += v;
    out.mean = sum / static_cast<double>(values.size());
    return out;
}

double young_daly_interval(double checkpoint_write_s, double job_mtbf_s) {
    if (std::isinf(job_mtbf_s)) return kInfinity;
    return std::sqrt(2.0 * checkpoint_write_s * job_mtbf_s);
}

RunDistribution simulate_failures(const RunResult& run, const ReliabilityParameters& reliability,
                                  const MonteCarloOptions& options) {
    if (options.samples < 1) throw std::invalid_argument("simulate_failures: at least one sample is needed");
    if (!(reliability.failures_per_gpu_hour >= 0) || !std::isfinite(reliability.failures_per_gpu_hour))
        throw std::invalid_argument("simulate_failures: the failure rate must be a finite number >= 0");
    RunDistribution out;
    out.parameters = reliability;
    out.options = options;
    out.failure_free_pretrain_s = run.pretrain_seconds;
    out.failure_free_extension_s = run.extension_seconds;
    out.checkpoint_write_s = reliability.checkpoint_write.count();
    const double rate_per_s = reliability.failures_per_gpu_hour * run.gpus / 3600.0;
    out.job_mtbf_s = rate_per_s > 0 ? 1.0 / rate_per_s : kInfinity;

    std::vector<Stage> stages;
    std::vector<double> work_s;
    for (const bool extension : {false, true}) {
        const double w = extension ? run.extension_seconds : run.pretrain_seconds;
        if (!(w > 0)) continue;
        double interval = reliability.checkpoint_interval ? reliability.checkpoint_interval->count()
                                                          : young_daly_interval(out.checkpoint_write_s, out.job_mtbf_s);
        interval = std::max(interval, longest_step(run, extension));
        out.checkpoint_interval_s.push_back(interval);
        Stage s;
        s.work = as_duration(w);
        s.interval = std::isinf(interval) || interval >= w ? s.work : std::max(as_duration(interval), Duration(1));
        stages.push_back(s);
        work_s.push_back(w);
    }
    const double nominal_rate = reliability.failures_per_gpu_hour;
    const double nominal_restart = reliability.restart.count();
    // A zero failure rate ignores its range (there is nothing to sample around).
    for (const auto& [range, nominal] : {std::pair{reliability.failures_per_gpu_hour_range, nominal_rate},
                                         std::pair{reliability.restart_seconds_range, nominal_restart}})
        if (range && nominal_rate > 0 &&
            !(range->low > 0 && range->low <= nominal && nominal <= range->high && std::isfinite(range->high)))
            throw std::invalid_argument("simulate_failures: a range needs 0 < low <= nominal <= high");
    const Duration checkpoint = as_duration(reliability.checkpoint_write.count());
    const double limit_s = std::min(1000.0 * (run.seconds() + 1.0), 9.0e9); // int64 ns holds 292 years

    out.samples.resize(static_cast<std::size_t>(options.samples));
    auto simulate_sample = [&](int i) {
        RunSample& sample = out.samples[static_cast<std::size_t>(i)];
        // The sample's own failure rate and restart time, drawn before its failures.
        Mt19937_64 draw(splitmix64(options.seed ^ splitmix64(static_cast<std::uint64_t>(i))));
        // Median at the nominal value: each half of the unit interval maps log-uniformly onto one
        // side of it.
        auto two_sided_log_uniform = [&draw](const Range& r, double nominal) {
            const double u = static_cast<double>(draw() >> 11) * 0x1.0p-53;
            const double lo = std::log(r.low), mid = std::log(nominal), hi = std::log(r.high);
            return std::exp(u < 0.5 ? lo + 2.0 * u * (mid - lo) : mid + (2.0 * u - 1.0) * (hi - mid));
        };
        const double rate =
            reliability.failures_per_gpu_hour_range && rate_per_s > 0
                ? two_sided_log_uniform(*reliability.failures_per_gpu_hour_range, nominal_rate) * run.gpus / 3600.0
                : rate_per_s;
        const double restart_s = reliability.restart_seconds_range
                                     ? two_sided_log_uniform(*reliability.restart_seconds_range, nominal_restart)
                                     : nominal_restart;
        sample.failure_rate_per_gpu_hour = rate * 3600.0 / std::max(1, run.gpus);
        sample.restart_time_s = restart_s;
        const std::uint64_t failure_seed = draw();
        const std::vector<Duration> ends =
            options.engine ? SampleRun(stages, rate, as_duration(restart_s), checkpoint, failure_seed)
                                 .run(sample, as_duration(limit_s))
                           : DirectSample(stages, rate, as_duration(restart_s), checkpoint, failure_seed)
                                 .run(sample, as_duration(limit_s));
        // Each stage: its failure-free time plus its overhead, counted in integer nanoseconds.
        Duration previous{};
        std::size_t k = 0;
        for (const bool extension : {false, true}) {
            const double w = extension ? run.extension_seconds : run.pretrain_seconds;
            if (!(w > 0)) continue;
            const Duration wall = ends[k] - previous;
            previous = ends[k];
            const double seconds = work_s[k] + engine::to_seconds(wall - stages[k].work);
            (extension ? sample.extension_s : sample.pretrain_s) = seconds;
            ++k;
        }
    };
    // Samples in contiguous chunks, one chunk per thread: a sample that throws stops its chunk,
    // and parallel_map rethrows the lowest chunk's, so the sample that throws is the first in
    // sample order that does, as one thread would find it.
    const int chunks = std::clamp(options.threads, 1, options.samples);
    (void)parallel_map<char>(static_cast<std::size_t>(chunks), chunks, [&](std::size_t c) {
        const auto from = static_cast<int>(static_cast<long long>(options.samples) * static_cast<long long>(c) / chunks);
        const auto to = static_cast<int>(static_cast<long long>(options.samples) * static_cast<long long>(c + 1) / chunks);
        for (int i = from; i < to; ++i) simulate_sample(i);
        return char{};
    });
    auto collect = [&](auto field) {
        std::vector<double> v;
        v.reserve(out.samples.size());
        for (const auto& s : out.samples) v.push_back(field(s));
        return percentiles(std::move(v));
    };
    out.pretrain_s = collect([](const RunSample& s) { return s.pretrain_s; });
    out.extension_s = collect([](const RunSample& s) { return s.extension_s; });
    out.total_s = collect([](const RunSample& s) { return s.total_s(); });
    out.failures = collect([](const RunSample& s) { return static_cast<double>(s.failures); });
    out.lost_work_s = collect([](const RunSample& s) { return s.lost_work_s; });
    out.restart_s = collect([](const RunSample& s) { return s.restart_s; });
    out.checkpoint_s = collect([](const RunSample& s) { return s.checkpoint_s; });
    return out;
}

} // namespace tcsim::run
