// The search against brute force on a small space: every candidate checked by hand and
// simulated in full, the fastest must be the search's first; and the same result for any
// thread count.
#include "config/config_files.hpp"
#include "config/load_cluster.hpp"
#include "config/load_workload.hpp"
#include "run/run_model.hpp"
#include "search/layout_search.hpp"
#include "search/screen.hpp"
#include "search/search_report.hpp"
#include "training/memory_model.hpp"
#include "training/step_simulator.hpp"
#include "workload/plan_check.hpp"

#include <doctest/doctest.h>

#include <limits>

using namespace tcsim;

namespace {

const std::string root = TCSIM_SOURCE_DIR;

/// Minitron-8B (32 layers, 48 heads, 8 KV heads) on 2 DGX A100 nodes, at a small batch so that
/// every candidate can be simulated in full.
struct Small {
    topology::ClusterSpec cluster;
    workload::Workload workload;
    search::SearchBounds bounds;
};

Small small() {
    Small s;
    s.cluster = config::load_cluster(config::DiskFiles{}, root + "/topologies/a100-cluster.toml");
    s.cluster.nodes = 2;
    s.workload = config::load_workload(config::DiskFiles{}, root + "/workloads/minitron-8b.toml");
    s.workload.training.seq_len = 2048;
    s.workload.training.global_batch_sequences = 32;
    s.workload.training.ramp = {};
    s.bounds.tp = {1, 2, 4, 8};
    s.bounds.pp = {1, 2, 4};
    s.bounds.cp = {1};
    s.bounds.mbs = {1, 2};
    s.bounds.zero = {1};
    s.bounds.recompute = {workload::Recompute::none, workload::Recompute::full};
    s.bounds.schedule = {workload::PipelineSchedule::one_f_one_b, workload::PipelineSchedule::interleaved_1f1b};
    s.bounds.vpp = {2};
    return s;
}

economics::RentalPrice price() { return {units::dollars_per_hour(2.0), "", "test"}; }

} // namespace

TEST_CASE("brute force: every candidate simulated in full, the fastest is the search's first") {
    const Small s = small();
    // The space written out by hand: TP x PP over 16 GPUs, DP what is left.
    double best = std::numeric_limits<double>::infinity();
    workload::ParallelSpec best_layout;
    int feasible = 0;
    for (const int tp : s.bounds.tp)
        for (const int pp : s.bounds.pp)
            for (const int mbs : s.bounds.mbs)
                for (const auto recompute : s.bounds.recompute)
                    for (const auto schedule : s.bounds.schedule) {
                        if (pp == 1 && schedule != workload::PipelineSchedule::one_f_one_b) continue;
                        workload::Workload w = s.workload;
                        w.parallel.tp = tp;
                        w.parallel.pp = pp;
                        w.parallel.dp = 16 / (tp * pp);
                        w.parallel.micro_batch_sequences = mbs;
                        w.parallel.schedule = schedule;
                        w.parallel.virtual_stages = schedule == workload::PipelineSchedule::interleaved_1f1b ? 2 : 1;
                        w.training.recompute = recompute;
                        try {
                            workload::check_plan(s.cluster, w);
                        } catch (const workload::PlanError&) {
                            continue;
                        }
                        if (run::runnable_batch(w.parallel, 32) != 32) continue;
                        if (!training::estimate_memory(s.cluster, w, 2048, 32).fits()) continue;
                        ++feasible;
                        const double t = training::simulate_step(s.cluster, w, 2048, 32).step_seconds;
                        if (t < best) {
                            best = t;
                            best_layout = w.parallel;
                        }
                    }
    REQUIRE(feasible >= 10);

    search::SearchOptions options;
    options.top = 3; // the screen must put the true best among its first three
    const auto result = search::search_layouts(s.cluster, s.workload, s.bounds, price(), options);
    CHECK(result.feasible == static_cast<std::size_t>(feasible));
    REQUIRE_FALSE(result.ranked.empty());
    CHECK(result.ranked.front().step.step_seconds == doctest::Approx(best).epsilon(1e-9));
    CHECK(result.ranked.front().layout.parallel.tp == best_layout.tp);
    CHECK(result.ranked.front().layout.parallel.pp == best_layout.pp);
    // Ranked fastest first.
    for (std::size_t i = 1; i < result.ranked.size(); ++i)
        CHECK(result.ranked[i - 1].step.step_seconds <= result.ranked[i].step.step_seconds);
    // Days, GPU-hours and dollars follow from the step: tokens / (tokens per step / step time).
    const auto& r = result.ranked.front();
    const double seconds = s.workload.training.tokens / (32.0 * 2048.0) * r.step.step_seconds;
    CHECK(r.days == doctest::Approx(seconds / 86400.0));
    CHECK(r.gpu_hours == doctest::Approx(seconds / 3600.0 * 16));
    CHECK(r.dollars == doctest::Approx(r.gpu_hours * 2.0));
    CHECK(r.memory_bytes < r.capacity_bytes);
}

TEST_CASE("the screen is exact where it simulates the batch itself, and close where it extrapolates") {
    // Affine in micro-batches: 1F1B's (M + PP - 1) micro-batch times plus a fixed tail
    // (Narayanan et al. SC'21 Sec 2.2), so the two-point line through M1, M2 reaches M.
    Small s = small();
    s.workload.parallel.tp = 4;
    s.workload.parallel.pp = 4;
    s.workload.parallel.dp = 1;
    s.workload.parallel.micro_batch_sequences = 1;
    s.workload.parallel.schedule = workload::PipelineSchedule::one_f_one_b;
    training::StepOptions ab;
    ab.network = network::NetworkKind::alpha_beta;
    const double exact = training::simulate_step(s.cluster, s.workload, 2048, 32, nullptr, ab).step_seconds;
    const double screened = search::screen_step_seconds(s.cluster, s.workload, 32);
    CHECK(screened == doctest::Approx(exact).epsilon(0.01));
    const double small_batch = training::simulate_step(s.cluster, s.workload, 2048, 8, nullptr, ab).step_seconds;
    CHECK(search::screen_step_seconds(s.cluster, s.workload, 8) == small_batch);
}

TEST_CASE("one thread or two: the same result, byte for byte") {
    const Small s = small();
    search::SearchOptions one, two;
    one.top = two.top = 4;
    one.threads = 1;
    two.threads = 2;
    const auto a = search::search_layouts(s.cluster, s.workload, s.bounds, price(), one);
    const auto b = search::search_layouts(s.cluster, s.workload, s.bounds, price(), two);
    CHECK(search::render_search_json(a) == search::render_search_json(b));
    CHECK(search::render_search_table(a) == search::render_search_table(b));
    CHECK(search::render_search_csv(a) == search::render_search_csv(b));
    CHECK(search::render_search_json(a).find("\"schema\": \"tcsim.search/1\"") != std::string::npos);
}
