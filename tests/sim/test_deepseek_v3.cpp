// The shipped DeepSeek-V3 scenario end to end: the prediction against the published
// pre-training figure (DeepSeek-V3 Technical Report, arXiv 2412.19437, Table 1: 2,664K H800
// GPU-hours), from first principles with no DeepSeek-specific parameter.
#include "io/builtin_files.hpp"
#include "io/config_files.hpp"
#include "io/load_cluster.hpp"
#include "io/load_workload.hpp"
#include "run/run_model.hpp"
#include "workload/memory_model.hpp"
#include "workload/plan_check.hpp"

#include <doctest/doctest.h>

using namespace tcsim;

TEST_CASE("DeepSeek-V3 pre-training GPU-hours are within 25% of the published 2.664M") {
    const io::DiskFiles files;
    const auto cluster = io::load_cluster(files, "topologies/deepseek-v3-h800.toml");
    const auto workload = io::load_workload(files, "workloads/deepseek-v3.toml");
    workload::check_plan(cluster, workload);
    run::RunOptions options;
    options.include_extension = true;
    const auto run = run::simulate_run(cluster, workload, options);
    const double published = 2.664e6;
    const double predicted = run.pretrain_gpu_hours();
    MESSAGE("DeepSeek-V3 pre-training: " << predicted / 1e6 << "M GPU-hours, " << (predicted / published - 1) * 100
                                         << " % against the published 2.664M");
    CHECK(predicted == doctest::Approx(published).epsilon(0.25));
    CHECK(run.pretrain_tokens == doctest::Approx(14.8e12));
    // Context extension: 119K GPU-hours published (Table 1); priced at batches the layout can run.
    CHECK(run.extension_gpu_hours() == doctest::Approx(119e3).epsilon(0.25));
    // The steady step is mostly compute: DualPipe hides most of the expert all-to-all.
    const auto& steady = run.phases[4];
    REQUIRE(steady.name == "steady");
    CHECK(steady.step.breakdown.compute_s > 0.7 * steady.step.step_seconds);
    CHECK(steady.step.breakdown.exposed_comm_s < 0.2 * steady.step.step_seconds);
}

TEST_CASE("the built-in scenario is the shipped files") {
    const auto& builtin = io::builtin_files();
    const io::DiskFiles disk;
    for (const char* path : {"topologies/deepseek-v3-h800.toml", "workloads/deepseek-v3.toml", "topologies/gpus.toml",
                             "topologies/efficiency/hopper.toml", "topologies/prices.toml"})
        CHECK(builtin.read(path) == disk.read(path));
}

TEST_CASE("memory: DeepSeek-V3's layout fits in 80 GB; without pipeline and expert parallelism it does not") {
    const io::DiskFiles files;
    const auto cluster = io::load_cluster(files, "topologies/deepseek-v3-h800.toml");
    auto workload = io::load_workload(files, "workloads/deepseek-v3.toml");
    const auto fits = workload::estimate_memory(cluster, workload, 4096, 15360);
    MESSAGE(workload::describe(fits));
    CHECK(fits.fits());
    // DualPipe keeps PP + 1 micro-batches in flight on each rank (report Table 2).
    CHECK(fits.worst().peak_micro_batches == workload.parallel.pp + 1);
    CHECK_NOTHROW(workload::check_memory(cluster, workload, 4096, 15360));

    workload.parallel.pp = 1;
    workload.parallel.ep = 1;
    workload.parallel.dp = 2048;
    workload.parallel.schedule = workload::PipelineSchedule::one_f_one_b;
    // 16,384 sequences: the nearest batch that DP2048 divides.
    const auto too_big = workload::estimate_memory(cluster, workload, 4096, 16384);
    CHECK_FALSE(too_big.fits());
    // The weights alone (671B parameters in BF16 on every GPU) exceed the GPU.
    CHECK(too_big.worst().weights > cluster.gpu.hbm_capacity.value());
    try {
        workload::check_memory(cluster, workload, 4096, 16384);
        FAIL("expected PlanError");
    } catch (const workload::PlanError& e) {
        const std::string what = e.what();
        CHECK(what.find("does not fit in GPU memory") != std::string::npos);
        CHECK(what.find("weights") != std::string::npos);
        CHECK(what.find("optimizer") != std::string::npos);
        CHECK(what.find("activations") != std::string::npos);
    }
}

TEST_CASE("memory: GPT-3 175B on 8 GPUs is rejected") {
    const io::DiskFiles files;
    auto cluster = io::load_cluster(files, "topologies/a100-cluster.toml");
    cluster.nodes = 1;
    auto workload = io::load_workload(files, "workloads/gpt3-175b.toml");
    workload.parallel.pp = 1;
    workload.parallel.dp = 1;
    workload.parallel.tp = 8;
    CHECK_THROWS_AS(workload::check_memory(cluster, workload, 2048, 1536), workload::PlanError);
}
