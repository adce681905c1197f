// The shipped DeepSeek-V3 scenario end to end: the prediction against the published
// pre-training figure (DeepSeek-V3 Technical Report, arXiv 2412.19437, Table 1: 2,664K H800
// GPU-hours), from first principles with no DeepSeek-specific parameter.
#include "config/builtin_files.hpp"
#include "config/config_files.hpp"
#include "config/load_cluster.hpp"
#include "config/load_workload.hpp"
#include "replay/step_simulator.hpp"
#include "run/run_model.hpp"
#include "workload/memory_model.hpp"
#include "workload/plan_check.hpp"

#include <doctest/doctest.h>

using namespace tcsim;

TEST_CASE("DeepSeek-V3 pre-training GPU-hours are within 10% of the published 2.664M (the issue's target)") {
    const config::DiskFiles files;
    const auto cluster = config::load_cluster(files, "topologies/deepseek-v3-h800.toml");
    const auto workload = config::load_workload(files, "workloads/deepseek-v3.toml");
    workload::check_plan(cluster, workload);
    run::RunOptions options;
    options.include_extension = true;
    const auto run = run::simulate_run(cluster, workload, options);
    const double published = 2.664e6;
    const double predicted = run.pretrain_gpu_hours();
    MESSAGE("DeepSeek-V3 pre-training: " << predicted / 1e6 << "M GPU-hours, " << (predicted / published - 1) * 100
                                         << " % against the published 2.664M");
    CHECK(predicted == doctest::Approx(published).epsilon(0.10));
    CHECK(run.pretrain_tokens == doctest::Approx(14.8e12));
    // Context extension: 119K GPU-hours published (Table 1). Each stage runs its published batch
    // (1,920 at 32K, 480 at 128K) at its own layout, which DeepSeek did not publish (the workload
    // file's assumption: CP = seq_len / 4K, DP = 128 / CP). How far that lands from 119K is a
    // known gap of record dsv3-pretrain (calibrations/deepseek-v3.toml): with it tcsim overshoots
    // the published figure (ring attention moving every head's K/V across nodes at 128K). The
    // band below bounds that overshoot so a drift is noticed; validation fails only if the gap
    // closes. Both stages are priced, the longer context costing more per token.
    CHECK(run.extension_gpu_hours() > 1.1 * 119e3);
    CHECK(run.extension_gpu_hours() < 2.5 * 119e3);
    for (const auto& phase : run.phases) {
        if (!phase.extension) continue;
        CAPTURE(phase.name);
        CHECK(phase.own_layout);
        CHECK(phase.simulated_batch_sequences == phase.global_batch_sequences);
        CHECK(phase.parallel.gpus() == 2048);
    }
    REQUIRE(run.phases.size() == 7);
    CHECK(run.phases[6].step.tokens_per_s_per_gpu < run.phases[5].step.tokens_per_s_per_gpu);
    // The steady step is mostly compute: DualPipe hides most of the expert all-to-all.
    const auto& steady = run.phases[4];
    REQUIRE(steady.name == "steady");
    CHECK(steady.step.breakdown.compute_s > 0.7 * steady.step.step_seconds);
    CHECK(steady.step.breakdown.exposed_comm_s < 0.2 * steady.step.step_seconds);
}

TEST_CASE("the built-in scenario is the shipped files") {
    const auto& builtin = config::builtin_files();
    const config::DiskFiles disk;
    for (const char* path : {"topologies/deepseek-v3-h800.toml", "workloads/deepseek-v3.toml", "topologies/gpus.toml",
                             "topologies/efficiency/hopper.toml", "topologies/prices.toml"})
        CHECK(builtin.read(path) == disk.read(path));
}

TEST_CASE("memory: DeepSeek-V3's layout fits in 80 GB; without pipeline and expert parallelism it does not") {
    const config::DiskFiles files;
    const auto cluster = config::load_cluster(files, "topologies/deepseek-v3-h800.toml");
    auto workload = config::load_workload(files, "workloads/deepseek-v3.toml");
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
    const config::DiskFiles files;
    auto cluster = config::load_cluster(files, "topologies/a100-cluster.toml");
    cluster.nodes = 1;
    auto workload = config::load_workload(files, "workloads/gpt3-175b.toml");
    workload.parallel.pp = 1;
    workload.parallel.dp = 1;
    workload.parallel.tp = 8;
    CHECK_THROWS_AS(workload::check_memory(cluster, workload, 2048, 1536), workload::PlanError);
}

TEST_CASE("what-ifs on the DeepSeek-V3 step move the way physics says") {
    const config::DiskFiles files;
    const auto base_cluster = config::load_cluster(files, "topologies/deepseek-v3-h800.toml");
    const auto workload = config::load_workload(files, "workloads/deepseek-v3.toml");
    // 32 micro-batches per pipeline: the smallest batch DualPipe runs, to keep the test quick.
    const int batch = 4096;
    const double base = replay::simulate_step(base_cluster, workload, 4096, batch).step_seconds;

    // Halving the NIC speed: the expert all-to-all crosses the fabric (EP64 spans 8 nodes), so the
    // step slows, though by less than 2x because compute and NVLink traffic do not change.
    auto slow_nic = base_cluster;
    slow_nic.nic_bandwidth = slow_nic.nic_bandwidth * 0.5;
    const double nic = replay::simulate_step(slow_nic, workload, 4096, batch).step_seconds;
    CHECK(nic > 1.05 * base);
    CHECK(nic < 2.0 * base);

    // H100's 900 GB/s NVLink instead of H800's 400: never slower, and only slightly faster
    // (DeepSeek's node-limited routing keeps the fabric, not NVLink, the bottleneck).
    auto fast_nvlink = base_cluster;
    fast_nvlink.nvlink_per_direction = units::Bandwidth(450e9);
    const double nvl = replay::simulate_step(fast_nvlink, workload, 4096, batch).step_seconds;
    CHECK(nvl <= base);
    CHECK(nvl > 0.9 * base);

    // Twice the GEMM throughput cannot make the step more than twice as fast.
    auto faster_gpu = base_cluster;
    faster_gpu.gpu.dense_peak[static_cast<int>(hardware::Dtype::fp8)] *= 2.0;
    const double gpu = replay::simulate_step(faster_gpu, workload, 4096, batch).step_seconds;
    CHECK(gpu < base);
    CHECK(gpu > 0.5 * base);
}
