// Phases of a run (run/run_model.hpp): extension stages at their own layouts, the rounding
// fallback when a stage still cannot run its batch, and the what-if resize.
#include "config/builtin_files.hpp"
#include "config/config_files.hpp"
#include "config/load_cluster.hpp"
#include "config/load_workload.hpp"
#include "run/failure_simulation.hpp"
#include "run/resize.hpp"
#include "run/run_model.hpp"
#include "workload/plan_check.hpp"

#include <doctest/doctest.h>

#include <string>
#include <utility>

using namespace tcsim;

namespace {

// A small dense model on 16 H800s (2 nodes): PP2 x DP8 for pre-training, a 16K stage with its own
// layout (CP4 x DP2) and a 16K stage at the pre-training layout whose batch (4) DP8 cannot run.
const std::string kWorkload = R"(
name = "small"
source = "test"
[model]
layers = 8
hidden = 1024
vocab = 32000
[model.attention]
kind = "gqa"
heads = 16
kv_heads = 4
head_dim = 64
[model.ffn]
dense_intermediate = 4096
[training]
tokens = 1.0e9
seq_len = 2048
global_batch_sequences = 64
[[training.extension]]
seq_len = 16384
global_batch_sequences = 16
steps = 10
[training.extension.parallel]
cp = 4
dp = 2
[[training.extension]]
seq_len = 16384
global_batch_sequences = 4
steps = 10
[parallel]
tp = 1
pp = 2
dp = 8
)";

struct Fixture {
    topology::ClusterSpec cluster;
    workload::Workload workload;
};

Fixture small() {
    config::EmbeddedFiles files = config::builtin_files();
    files.add("workloads/small.toml", kWorkload);
    Fixture f{config::load_cluster(files, std::string(config::kBuiltinCluster)),
              config::load_workload(files, "workloads/small.toml")};
    f.cluster.nodes = 2;
    return f;
}

} // namespace

TEST_CASE("an extension stage reads its own layout, every key defaulting to the pre-training one") {
    const auto f = small();
    REQUIRE(f.workload.training.extension.size() == 2);
    const auto& own = f.workload.training.extension[0];
    REQUIRE(own.parallel.has_value());
    CHECK(own.parallel->cp == 4);
    CHECK(own.parallel->dp == 2);
    CHECK(own.parallel->pp == 2); // inherited
    CHECK(own.parallel->schedule == f.workload.parallel.schedule);
    CHECK(own.parallel->gpus() == 16);
    CHECK_FALSE(f.workload.training.extension[1].parallel.has_value());
}

TEST_CASE("extension stages run at their own layout; a batch that still cannot run is rounded") {
    const auto f = small();
    CHECK_NOTHROW(run::check_run(f.cluster, f.workload));
    const auto r = run::simulate_run(f.cluster, f.workload);
    REQUIRE(r.phases.size() == 3);
    const auto& own = r.phases[1];
    CHECK(own.extension);
    CHECK(own.own_layout);
    CHECK(own.parallel.cp == 4);
    CHECK(own.simulated_batch_sequences == 16); // 8 micro-batches per CP4 x PP2 replica
    CHECK(own.step.global_batch_sequences == 16);
    // Tokens of the stage: steps x batch x sequence length.
    CHECK(own.tokens == doctest::Approx(10.0 * 16 * 16384));
    CHECK(own.model_flops > 0);
    const auto& rounded = r.phases[2];
    CHECK_FALSE(rounded.own_layout);
    CHECK(rounded.parallel.dp == 8);
    CHECK(rounded.simulated_batch_sequences == 8); // DP8 needs a multiple of 8: 4 rounds up
    CHECK(rounded.global_batch_sequences == 4);
    // Priced at the simulated step's tokens per second.
    CHECK(rounded.seconds ==
          doctest::Approx(rounded.tokens / (rounded.step.tokens_per_step / rounded.step.step_seconds)));
    CHECK(r.extension_seconds == doctest::Approx(own.seconds + rounded.seconds));
    CHECK(run::layout_text(own.parallel) == "PP2 1f1b x CP4 x DP2");
}

TEST_CASE("an extension layout that does not fit the cluster is refused, naming the stage") {
    auto f = small();
    f.workload.training.extension[0].parallel->dp = 4; // CP4 x DP4 x PP2 = 32 GPUs on 16
    try {
        run::check_run(f.cluster, f.workload);
        FAIL("expected PlanError");
    } catch (const workload::PlanError& e) {
        const std::string what = e.what();
        CHECK(what.find("extension 16K") != std::string::npos);
        CHECK(what.find("32 GPUs") != std::string::npos);
    }
}

TEST_CASE("runnable_batch: multiples of DP x micro-batch; DualPipe needs 2 x PP micro-batches") {
    workload::ParallelSpec p;
    p.dp = 128;
    p.pp = 16;
    CHECK(run::runnable_batch(p, 15360) == 15360);
    CHECK(run::runnable_batch(p, 1920) == 1920);
    p.schedule = workload::PipelineSchedule::dualpipe;
    // DeepSeek-V3's 32K stage on the pre-training layout: 1,920 / 128 = 15 micro-batches < 32.
    CHECK(run::runnable_batch(p, 1920) == 4096);
    p.dp = 16;
    p.cp = 8;
    CHECK(run::runnable_batch(p, 1920) == 1920);
}

TEST_CASE("resize_to_gpus scales data parallelism of every layout") {
    auto f = small();
    run::resize_to_gpus(f.cluster, f.workload, 32);
    CHECK(f.cluster.nodes == 4);
    CHECK(f.workload.parallel.dp == 16);
    CHECK(f.workload.training.extension[0].parallel->dp == 4);
    CHECK(f.workload.parallel.gpus() == 32);
    CHECK_THROWS_AS(run::resize_to_gpus(f.cluster, f.workload, 12), workload::PlanError); // not whole nodes
    // PP2 x CP4 = 8 divides 8 but the pre-training layout's PP2 divides it too: DP 4 and 1.
    run::resize_to_gpus(f.cluster, f.workload, 8);
    CHECK(f.workload.parallel.dp == 4);
    CHECK(f.workload.training.extension[0].parallel->dp == 1);
}

TEST_CASE("a simulated run without failures and with free checkpoints keeps its step-level duration exactly") {
    const auto f = small();
    const auto r = run::simulate_run(f.cluster, f.workload);
    const auto d = run::simulate_failures(r, run::ReliabilityParameters{}, {5, 1});
    for (const auto& s : d.samples) {
        CHECK(s.pretrain_s == r.pretrain_seconds);
        CHECK(s.extension_s == r.extension_seconds);
    }
}

TEST_CASE("runs that take their step buffers from one pool give the results of runs on their own") {
    // run/step_buffer_pool.hpp: the runs of one report reuse the buffers the first mapped; a
    // second run on what the first left, and a run on two threads' sets, match runs on fresh
    // buffers to the bit.
    const auto f = small();
    const auto fresh = run::simulate_run(f.cluster, f.workload);
    run::StepBufferPool pool;
    run::RunOptions pooled;
    pooled.buffers = &pool;
    const auto first = run::simulate_run(f.cluster, f.workload, pooled);
    CHECK(pool.free_sets() == 1);
    pooled.threads = 2;
    const auto second = run::simulate_run(f.cluster, f.workload, pooled);
    CHECK(pool.free_sets() == 2);
    for (const auto* r : {&first, &second}) {
        REQUIRE(r->phases.size() == fresh.phases.size());
        for (std::size_t i = 0; i < fresh.phases.size(); ++i) {
            CHECK(r->phases[i].step.step_seconds == fresh.phases[i].step.step_seconds);
            CHECK(r->phases[i].seconds == fresh.phases[i].seconds);
        }
    }
}

TEST_CASE("runs planned on one work pool give the results of runs on their own, for any thread count") {
    // run/run_model.hpp: "once the pool has run, price() gives the same RunResult simulate_run
    // gives". Two runs (the small workload and the same without its extension) share one pool,
    // at 1, 2 and 3 threads: every phase's step and duration matches the run simulated alone, to
    // the bit, and the phases keep their order.
    const auto f = small();
    run::RunOptions no_extension;
    no_extension.include_extension = false;
    const auto alone = run::simulate_run(f.cluster, f.workload);
    const auto alone_short = run::simulate_run(f.cluster, f.workload, no_extension);
    for (const int threads : {1, 2, 3}) {
        CAPTURE(threads);
        run::WorkPool pool;
        const run::PlannedRun planned(f.cluster, f.workload, {}, pool);
        const run::PlannedRun planned_short(f.cluster, f.workload, no_extension, pool);
        pool.run(threads);
        const auto shared = planned.price(pool);
        const auto shared_short = planned_short.price(pool);
        for (const auto& [r, expected] : {std::pair{&shared, &alone}, std::pair{&shared_short, &alone_short}}) {
            REQUIRE(r->phases.size() == expected->phases.size());
            for (std::size_t i = 0; i < r->phases.size(); ++i) {
                CHECK(r->phases[i].name == expected->phases[i].name);
                CHECK(r->phases[i].step.step_seconds == expected->phases[i].step.step_seconds);
                CHECK(r->phases[i].seconds == expected->phases[i].seconds);
            }
            CHECK(r->pretrain_seconds == expected->pretrain_seconds);
            CHECK(r->extension_seconds == expected->extension_seconds);
        }
    }
}
