// The run-level DES of failures, restarts and checkpoints (run/failure_simulation.hpp).
#include "config/config_files.hpp"
#include "config/load_workload.hpp"
#include "run/checkpoint.hpp"
#include "run/failure_simulation.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

using namespace tcsim;

namespace {

/// A failure-free run of `gpus` GPUs: one pre-training phase and, optionally, one extension
/// phase, with awkward (non-round) durations so that exactness is a real test.
run::RunResult synthetic_run(int gpus, double pretrain_s, double extension_s, double step_s = 10.0) {
    run::RunResult r;
    r.gpus = gpus;
    run::RunPhase pre;
    pre.name = "steady";
    pre.seconds = pretrain_s;
    pre.step.step_seconds = step_s;
    r.phases.push_back(pre);
    r.pretrain_seconds = pretrain_s;
    if (extension_s > 0) {
        run::RunPhase ext;
        ext.name = "extension 32K";
        ext.extension = true;
        ext.seconds = extension_s;
        ext.step.step_seconds = 4 * step_s;
        r.phases.push_back(ext);
        r.extension_seconds = extension_s;
    }
    return r;
}

constexpr double kLlama3FailuresPerGpuHour = 419.0 / (16384.0 * 54 * 24);

/// The shipped datacenter's reliability (topologies/datacenter.toml): Llama 3's rate, sampled
/// between 30,000 and 120,000 GPU-hours per failure; a 10 min restart, sampled from 5 to 30 min.
run::ReliabilityParameters sampled_reliability() {
    run::ReliabilityParameters p;
    p.failures_per_gpu_hour = kLlama3FailuresPerGpuHour;
    p.failures_per_gpu_hour_range = run::Range{1.0 / 120000, 1.0 / 30000};
    p.restart = units::Seconds(600.0);
    p.restart_seconds_range = run::Range{300.0, 1800.0};
    p.checkpoint_write = units::Seconds(5.0);
    return p;
}

} // namespace

TEST_CASE("zero failure rate with free checkpoints reproduces the step-level duration exactly") {
    const auto run = synthetic_run(2048, 3'754'123.456789123, 281'234.987654321);
    run::ReliabilityParameters none; // no failures, free checkpoints, Young/Daly interval
    const auto d = run::simulate_failures(run, none, {20, 7});
    REQUIRE(d.samples.size() == 20);
    for (const auto& s : d.samples) {
        CHECK(s.pretrain_s == run.pretrain_seconds); // bit for bit, not approximately
        CHECK(s.extension_s == run.extension_seconds);
        CHECK(s.failures == 0);
    }
    CHECK(d.total_s.p50 == run.pretrain_seconds + run.extension_seconds);
    CHECK(std::isinf(d.job_mtbf_s));
    SUBCASE("also with a given interval and free checkpoints") {
        run::ReliabilityParameters every_hour;
        every_hour.checkpoint_interval = units::Seconds(3600.0);
        const auto e = run::simulate_failures(run, every_hour, {3, 1});
        CHECK(e.samples[0].pretrain_s == run.pretrain_seconds);
        CHECK(e.samples[0].extension_s == run.extension_seconds);
    }
}

TEST_CASE("doubling the per-GPU failure rate lengthens the run") {
    const auto run = synthetic_run(2048, 40 * 86400.0, 0);
    run::ReliabilityParameters base;
    base.failures_per_gpu_hour = kLlama3FailuresPerGpuHour;
    base.restart = units::Seconds(600.0);
    base.checkpoint_write = units::Seconds(30.0);
    run::ReliabilityParameters doubled = base;
    doubled.failures_per_gpu_hour *= 2;
    const auto a = run::simulate_failures(run, base, {400, 3});
    const auto b = run::simulate_failures(run, doubled, {400, 3});
    CHECK(b.total_s.p50 > a.total_s.p50);
    CHECK(b.total_s.p5 > a.total_s.p5);
    CHECK(b.total_s.p95 > a.total_s.p95);
    // Expected failures: rate x GPUs x wall-clock hours (about 40 days x 2,048 GPUs / 50,677 h).
    // Each expectation from its own run's wall clock (failures lengthen it).
    const auto expected = [](double rate, const run::RunDistribution& d) {
        return rate * 2048 * d.total_s.mean / 3600.0;
    };
    CHECK(a.failures.mean == doctest::Approx(expected(kLlama3FailuresPerGpuHour, a)).epsilon(0.05));
    CHECK(b.failures.mean == doctest::Approx(expected(2 * kLlama3FailuresPerGpuHour, b)).epsilon(0.05));
    // Every run takes at least its failure-free time.
    for (const auto& s : a.samples) CHECK(s.total_s() >= run.seconds());
}

// Young (1974), Daly (2006): with checkpoint cost C, job MTBF M, interval tau and restart R, the
// expected wall clock per unit of work is about 1 + C / tau + (tau / 2 + R) / M (first order in
// 1/M), minimised at tau = sqrt(2 C M).
TEST_CASE("the mean overhead follows the first-order formula and the interval is Young/Daly's") {
    const double work = 30 * 86400.0;
    const auto run = synthetic_run(4096, work, 0, 1.0);
    run::ReliabilityParameters p;
    p.failures_per_gpu_hour = 1.0 / 40000.0; // job MTBF: 40,000 / 4,096 h = 9.77 h
    p.restart = units::Seconds(900.0);
    p.checkpoint_write = units::Seconds(120.0);
    const auto d = run::simulate_failures(run, p, {300, 11});
    const double mtbf = 40000.0 / 4096 * 3600.0;
    CHECK(d.job_mtbf_s == doctest::Approx(mtbf));
    const double tau = std::sqrt(2 * 120.0 * mtbf);
    REQUIRE(d.checkpoint_interval_s.size() == 1);
    CHECK(d.checkpoint_interval_s[0] == doctest::Approx(tau));
    CHECK(run::young_daly_interval(120.0, mtbf) == doctest::Approx(tau));
    const double predicted = work * (1 + 120.0 / tau + (tau / 2 + 900.0) / mtbf);
    MESSAGE("mean wall clock " << d.total_s.mean / 86400 << " days, first-order " << predicted / 86400);
    CHECK(d.total_s.mean == doctest::Approx(predicted).epsilon(0.02));
    // Checkpoints: one per interval of work (plus the final one).
    CHECK(d.checkpoint_s.p50 == doctest::Approx(std::ceil(work / tau) * 120.0).epsilon(0.03));
}

TEST_CASE("the same seed gives the same samples; another seed other samples") {
    const auto run = synthetic_run(2048, 20 * 86400.0, 86400.0);
    run::ReliabilityParameters p = sampled_reliability();
    const auto a = run::simulate_failures(run, p, {50, 42});
    const auto b = run::simulate_failures(run, p, {50, 42});
    const auto c = run::simulate_failures(run, p, {50, 43});
    bool all_equal = true;
    bool any_differs = false;
    for (std::size_t i = 0; i < a.samples.size(); ++i) {
        all_equal = all_equal && a.samples[i].total_s() == b.samples[i].total_s() &&
                    a.samples[i].failures == b.samples[i].failures;
        any_differs = any_differs || a.samples[i].total_s() != c.samples[i].total_s();
        // Each sample's drawn rate and restart lie in their ranges.
        CHECK(a.samples[i].failure_rate_per_gpu_hour >= 1.0 / 120000 * (1 - 1e-12));
        CHECK(a.samples[i].failure_rate_per_gpu_hour <= 1.0 / 30000 * (1 + 1e-12));
        CHECK(a.samples[i].restart_time_s >= 300.0);
        CHECK(a.samples[i].restart_time_s <= 1800.0);
    }
    CHECK(all_equal);
    CHECK(any_differs);
}

TEST_CASE("drawn failure rates and restart times have the cited nominal values as their median") {
    // The Llama 3 rate (one per 50,677 GPU-hours) is not the geometric middle of 30,000-120,000
    // (60,000): a plain log-uniform draw would put the median there.
    const auto run = synthetic_run(2048, 86400.0, 0);
    run::ReliabilityParameters p = sampled_reliability();
    const auto d = run::simulate_failures(run, p, {4000, 7});
    std::vector<double> rates, restarts;
    for (const auto& s : d.samples) {
        rates.push_back(s.failure_rate_per_gpu_hour);
        restarts.push_back(s.restart_time_s);
    }
    auto share_below = [](const std::vector<double>& xs, double x) {
        return static_cast<double>(std::count_if(xs.begin(), xs.end(), [x](double v) { return v < x; })) /
               static_cast<double>(xs.size());
    };
    // 4,000 draws: the share below the median is 0.5 with a standard deviation of 0.008.
    CHECK(share_below(rates, kLlama3FailuresPerGpuHour) == doctest::Approx(0.5).epsilon(0.05));
    CHECK(share_below(restarts, 600.0) == doctest::Approx(0.5).epsilon(0.05));
    // Both halves reach their ends: some rate beyond 1/35,000 and some below 1/100,000.
    CHECK(std::any_of(rates.begin(), rates.end(), [](double r) { return r > 1.0 / 35000; }));
    CHECK(std::any_of(rates.begin(), rates.end(), [](double r) { return r < 1.0 / 100000; }));
    // A nominal value outside its range is refused...
    p.restart = units::Seconds(2000.0);
    CHECK_THROWS_AS((void)run::simulate_failures(run, p, {10, 1}), std::invalid_argument);
    // ... unless there are no failures to sample around: then ranges are ignored.
    p.failures_per_gpu_hour = 0;
    const auto none = run::simulate_failures(run, p, {10, 1});
    for (const auto& s : none.samples) CHECK(s.failures == 0);
}

// Llama 3 (arXiv:2407.21783 sec. 3.3.4): 419 unexpected interruptions in 54 days on 16,384 H100
// and "higher than 90% effective training time". The shipped assumptions (10 min restart, a
// checkpoint of the 405B model at Tectonic's 2 TB/s, Young/Daly) must reproduce that.
TEST_CASE("the default reliability assumptions give Llama 3 its >90% effective training time") {
    const config::DiskFiles files(TCSIM_SOURCE_DIR);
    const auto llama = config::load_workload(files, "workloads/llama3.1-405b.toml");
    const units::Bytes checkpoint = run::checkpoint_bytes(llama.model);
    // 405B parameters x 14 bytes (BF16 weights + FP32 master weights and Adam moments).
    CHECK(checkpoint.value() == doctest::Approx(405e9 * 14).epsilon(0.02));
    const auto run = synthetic_run(16384, 54 * 86400.0, 0, 6.5);
    run::ReliabilityParameters p;
    p.failures_per_gpu_hour = kLlama3FailuresPerGpuHour;
    p.restart = units::Seconds(600.0);
    p.checkpoint_write = run::checkpoint_write_time(checkpoint, units::gigabytes_per_second(2000.0));
    const auto d = run::simulate_failures(run, p, {200, 1});
    const double effective = run.seconds() / d.total_s.p50;
    MESSAGE("Llama 3 effective training time " << effective * 100 << " %, " << d.failures.p50 << " failures");
    CHECK(effective > 0.90);
    CHECK(effective < 0.99);
}

TEST_CASE("a run that failures keep from finishing is refused") {
    const auto run = synthetic_run(16384, 10 * 86400.0, 0);
    run::ReliabilityParameters p;
    p.failures_per_gpu_hour = 1.0; // a failure every 0.2 s for the job
    p.restart = units::Seconds(60.0);
    p.checkpoint_write = units::Seconds(60.0);
    CHECK_THROWS_AS(run::simulate_failures(run, p, {1, 1}), std::domain_error);
    p.failures_per_gpu_hour = -1;
    CHECK_THROWS_AS(run::simulate_failures(run, p, {1, 1}), std::invalid_argument);
}

TEST_CASE("percentiles interpolate between order statistics") {
    // Hyndman & Fan type 7: h = (n - 1) p. For 1..21, p5 = 2, p50 = 11, p95 = 20.
    std::vector<double> v;
    for (int i = 21; i >= 1; --i) v.push_back(i);
    const auto p = run::percentiles(v);
    CHECK(p.p5 == doctest::Approx(2.0));
    CHECK(p.p50 == doctest::Approx(11.0));
    CHECK(p.p95 == doctest::Approx(20.0));
    CHECK(p.mean == doctest::Approx(11.0));
    const auto two = run::percentiles({0.0, 10.0});
    CHECK(two.p5 == doctest::Approx(0.5));
    CHECK(two.p95 == doctest::Approx(9.5));
}

namespace {
/// Samples of two distributions that differ in any field (the counts must match).
int differing_samples(const run::RunDistribution& a, const run::RunDistribution& b) {
    REQUIRE(a.samples.size() == b.samples.size());
    int mismatches = 0;
    for (std::size_t i = 0; i < a.samples.size(); ++i) {
        const auto& x = a.samples[i];
        const auto& y = b.samples[i];
        if (!(x.pretrain_s == y.pretrain_s && x.extension_s == y.extension_s && x.failures == y.failures &&
              x.lost_work_s == y.lost_work_s && x.restart_s == y.restart_s && x.checkpoint_s == y.checkpoint_s &&
              x.failure_rate_per_gpu_hour == y.failure_rate_per_gpu_hour && x.restart_time_s == y.restart_time_s))
            ++mismatches;
    }
    return mismatches;
}
} // namespace

TEST_CASE("priced without the engine, every sample equals the engine's bit for bit") {
    // The direct walk (the default) against the DES (MonteCarloOptions::engine) on the same
    // seeds: the same draws in the same order and the same nanoseconds, so each sample's every
    // field must be equal, not merely close. Cases: the shipped ranges with an extension stage; a
    // fixed interval not dividing the work; failures faster than restarts (restarts cut short);
    // free checkpoints; no failures.
    struct Case {
        run::RunResult run;
        run::ReliabilityParameters reliability;
    };
    std::vector<Case> cases;
    cases.push_back({synthetic_run(2048, 20 * 86400.0 + 0.123456789, 86400.0 / 3), sampled_reliability()});
    run::ReliabilityParameters fixed = sampled_reliability();
    fixed.checkpoint_interval = units::Seconds(1234.5678);
    fixed.checkpoint_write = units::Seconds(37.25);
    cases.push_back({synthetic_run(16384, 5 * 86400.0 + 0.5, 0), fixed});
    run::ReliabilityParameters stormy;
    stormy.failures_per_gpu_hour = 2e-4; // the job's MTBF 110 s, below its 300 s restart
    stormy.restart = units::Seconds(300.0);
    stormy.checkpoint_write = units::Seconds(3.0);
    cases.push_back({synthetic_run(16384, 3600.0 * 3 + 0.25, 0, 1.0), stormy});
    run::ReliabilityParameters free_checkpoints = sampled_reliability();
    free_checkpoints.checkpoint_write = units::Seconds(0.0);
    free_checkpoints.checkpoint_interval = units::Seconds(600.0);
    cases.push_back({synthetic_run(4096, 2 * 86400.0, 3600.0), free_checkpoints});
    run::ReliabilityParameters none = sampled_reliability();
    none.failures_per_gpu_hour = 0;
    none.checkpoint_interval = units::Seconds(3600.0);
    cases.push_back({synthetic_run(1024, 86400.0 * 1.5, 0), none});
    for (std::size_t c = 0; c < cases.size(); ++c) {
        CAPTURE(c);
        run::MonteCarloOptions direct{300, 7 + c};
        run::MonteCarloOptions engine = direct;
        engine.engine = true;
        const auto a = run::simulate_failures(cases[c].run, cases[c].reliability, direct);
        const auto b = run::simulate_failures(cases[c].run, cases[c].reliability, engine);
        CHECK(differing_samples(a, b) == 0);
        long failures = 0;
        for (const auto& x : a.samples) failures += x.failures;
        if (cases[c].reliability.failures_per_gpu_hour > 0) CHECK(failures > 0); // the failure paths ran
    }
    // A run that cannot finish is refused the same way by both.
    run::ReliabilityParameters hopeless;
    hopeless.failures_per_gpu_hour = 1.0;
    hopeless.restart = units::Seconds(60.0);
    hopeless.checkpoint_write = units::Seconds(60.0);
    run::MonteCarloOptions engine{1, 1};
    engine.engine = true;
    CHECK_THROWS_AS(run::simulate_failures(synthetic_run(16384, 86400.0, 0), hopeless, {1, 1}), run::UnfinishableRun);
    CHECK_THROWS_AS(run::simulate_failures(synthetic_run(16384, 86400.0, 0), hopeless, engine), run::UnfinishableRun);
}

TEST_CASE("the samples on several threads are the samples on one, bit for bit") {
    // MonteCarloOptions::threads: "each sample draws from its own seed, so the samples, and every
    // figure taken from them, are the same bits for any count". 3 threads over 301 samples
    // (chunks of unequal size), and more threads than samples.
    const run::RunResult r = synthetic_run(16384, 20 * 86400.0 + 0.123456789, 86400.0 / 3);
    const run::MonteCarloOptions one{.samples = 301, .seed = 11};
    const auto a = run::simulate_failures(r, sampled_reliability(), one);
    for (const int threads : {2, 3, 400}) {
        CAPTURE(threads);
        run::MonteCarloOptions many = one;
        many.threads = threads;
        const auto b = run::simulate_failures(r, sampled_reliability(), many);
        CHECK(differing_samples(a, b) == 0);
        CHECK(a.total_s.p5 == b.total_s.p5);
        CHECK(a.total_s.p50 == b.total_s.p50);
        CHECK(a.total_s.p95 == b.total_s.p95);
        CHECK(a.total_s.mean == b.total_s.mean);
        CHECK(a.failures.mean == b.failures.mean);
    }
    // A run that cannot finish is refused on threads too.
    run::ReliabilityParameters hopeless;
    hopeless.failures_per_gpu_hour = 1.0;
    hopeless.restart = units::Seconds(60.0);
    hopeless.checkpoint_write = units::Seconds(60.0);
    CHECK_THROWS_AS(run::simulate_failures(synthetic_run(16384, 86400.0, 0), hopeless,
                                           {.samples = 4, .seed = 1, .threads = 2}),
                    run::UnfinishableRun);
}
