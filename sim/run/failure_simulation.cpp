// The run-level DES. One Simulation per sample: a "training" activity (segment, checkpoint or
// restart, exactly one pending at a time) and the next failure are the only events, so a
// sample costs about two events per checkpoint interval plus three per failure.
#include "run/failure_simulation.hpp"

#include "engine/sim_time.hpp"
#include "engine/simulation.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <random>
#include <stdexcept>
#include <string>

namespace tcsim::run {

namespace {

/// A mean interval as a person reads it: "3.2 h", "14 min", "0.0036 s".
std::string interval_text(double seconds) {
    char buffer[64];
    if (seconds >= 3600.0) std::snprintf(buffer, sizeof buffer, "%.3g h", seconds / 3600.0);
    else if (seconds >= 60.0) std::snprintf(buffer, sizeof buffer, "%.3g min", seconds / 60.0);
    else std::snprintf(buffer, sizeof buffer, "%.3g s", seconds);
    return buffer;
}

using engine::Duration;
using engine::EventId;
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
    Duration interval{};   ///< Duration::max(): no intermediate checkpoints
};

/// One sampled run on its own engine.
class SampleRun {
public:
    SampleRun(const std::vector<Stage>& stages, double failures_per_second, Duration restart, Duration checkpoint,
              std::uint64_t seed)
        : stages_(stages), rate_(failures_per_second), restart_(restart), checkpoint_(checkpoint), rng_(seed) {}

    /// Wall-clock ns at which each stage ended; fills `sample`'s counters.
    std::vector<Duration> run(RunSample& sample, Duration limit) {
        sample_ = &sample;
        if (stages_.empty()) return ends_;
        schedule_failure();
        start_segment();
        sim_.run_until(SimTime{} + limit);
        if (stage_ < stages_.size())
            throw UnfinishableRun("the run does not finish: a failure every " + interval_text(1.0 / rate_) +
                                  " on average (the whole job) undoes the work faster than checkpoints save it");
        return ends_;
    }

private:
    enum class Doing { training, checkpointing, restarting, done };

    void schedule_failure() {
        if (!(rate_ > 0)) return;
        // Inversion of a 53-bit uniform in [0, 1): the gap is -ln(1 - u) / rate.
        const double u = static_cast<double>(rng_() >> 11) * 0x1.0p-53;
        const double gap_s = std::min(-std::log1p(-u) / rate_, 1e9);  // 1e9 s (31 years): beyond any run
        failure_ = sim_.schedule_after(engine::to_duration(std::chrono::duration<double>(gap_s), Rounding::nearest),
                                       [this] { fail(); });
    }

    void start_segment() {
        const Stage& s = stages_[stage_];
        segment_ = std::min(s.interval, s.work - committed_);
        begin(Doing::training, segment_, [this] { segment_done(); });
    }

    void segment_done() { begin(Doing::checkpointing, checkpoint_, [this] { checkpoint_done(); }); }

    void checkpoint_done() {
        sample_->checkpoint_s += engine::to_seconds(checkpoint_);
        committed_ += segment_;
        if (committed_ < stages_[stage_].work) {
            start_segment();
            return;
        }
        ends_.push_back(sim_.now() - SimTime{});
        committed_ = Duration::zero();
        if (++stage_ < stages_.size()) {
            start_segment();
            return;
        }
        doing_ = Doing::done;
        sim_.cancel(failure_);
    }

    void fail() {
        if (++sample_->failures > kMaxFailures)
            throw UnfinishableRun("the run does not finish: more than " + std::to_string(kMaxFailures) +
                                  " failures in one sample (a failure every " + interval_text(1.0 / rate_) +
                                  " on average for the whole job undoes the work faster than checkpoints save it)");
        const double elapsed = engine::to_seconds(sim_.now() - started_);
        switch (doing_) {
        case Doing::training: sample_->lost_work_s += elapsed; break;
        case Doing::checkpointing:
            sample_->lost_work_s += engine::to_seconds(segment_);
            sample_->checkpoint_s += elapsed;
            break;
        case Doing::restarting: sample_->restart_s += elapsed; break;
        case Doing::done: return;
        }
        sim_.cancel(activity_);
        begin(Doing::restarting, restart_, [this] {
            sample_->restart_s += engine::to_seconds(restart_);
            start_segment();
        });
        schedule_failure();
    }

    template <class F>
    void begin(Doing doing, Duration length, F&& then) {
        doing_ = doing;
        started_ = sim_.now();
        activity_ = sim_.schedule_after(length, std::forward<F>(then));
    }

    const std::vector<Stage>& stages_;
    double rate_;
    Duration restart_;
    Duration checkpoint_;
    std::mt19937_64 rng_;
    engine::Simulation sim_;
    RunSample* sample_ = nullptr;
    std::size_t stage_ = 0;
    Duration committed_{};   ///< training saved by the last checkpoint of this stage
    Duration segment_{};     ///< length of the current (or last) training segment
    Doing doing_ = Doing::training;
    SimTime started_{};      ///< when the current activity began
    EventId activity_{};
    EventId failure_{};
    std::vector<Duration> ends_;
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
    const double limit_s = std::min(1000.0 * (run.seconds() + 1.0), 9.0e9);  // int64 ns holds 292 years

    out.samples.resize(static_cast<std::size_t>(options.samples));
    for (int i = 0; i < options.samples; ++i) {
        RunSample& sample = out.samples[static_cast<std::size_t>(i)];
        // The sample's own failure rate and restart time, drawn before its failures.
        std::mt19937_64 draw(splitmix64(options.seed ^ splitmix64(static_cast<std::uint64_t>(i))));
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
        SampleRun one(stages, rate, as_duration(restart_s), checkpoint, draw());
        const std::vector<Duration> ends = one.run(sample, as_duration(limit_s));
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
    }
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
