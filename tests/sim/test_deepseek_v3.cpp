// The shipped DeepSeek-V3 scenario end to end: the prediction against the published
// pre-training figure (DeepSeek-V3 Technical Report, arXiv 2412.19437, Table 1: 2,664K H800
// GPU-hours), from first principles with no DeepSeek-specific parameter.
#include "config/builtin_files.hpp"
#include "config/config_files.hpp"
#include "config/load_cluster.hpp"
#include "config/load_workload.hpp"
#include "run/run_model.hpp"
#include "training/memory_model.hpp"
#include "training/step_simulator.hpp"
#include "workload/plan_check.hpp"

#include "training/program_builder.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <set>
#include <vector>

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
    // file's assumption: CP = seq_len / 4K, DP = 128 / CP, the ring passing MLA's latent). Within
    // the record's 10 % (dsv3-pretrain in calibrations/deepseek-v3.toml); with the ring passing
    // every head's K and V instead, the 128K stage alone took 1.7x the published total.
    CHECK(run.extension_gpu_hours() == doctest::Approx(119e3).epsilon(0.10));
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
    const auto fits = training::estimate_memory(cluster, workload, 4096, 15360);
    MESSAGE(training::describe(fits));
    CHECK(fits.fits());
    // DualPipe keeps PP + 1 micro-batches in flight on each rank (report Table 2).
    CHECK(fits.worst().peak_micro_batches == workload.parallel.pp + 1);
    CHECK_NOTHROW(training::check_memory(cluster, workload, 4096, 15360));

    workload.parallel.pp = 1;
    workload.parallel.ep = 1;
    workload.parallel.dp = 2048;
    workload.parallel.schedule = workload::PipelineSchedule::one_f_one_b;
    // 16,384 sequences: the nearest batch that DP2048 divides.
    const auto too_big = training::estimate_memory(cluster, workload, 4096, 16384);
    CHECK_FALSE(too_big.fits());
    // The weights alone (671B parameters in BF16 on every GPU) exceed the GPU.
    CHECK(too_big.worst().weights > cluster.gpu.hbm_capacity.value());
    try {
        training::check_memory(cluster, workload, 4096, 16384);
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
    CHECK_THROWS_AS(training::check_memory(cluster, workload, 2048, 1536), workload::PlanError);
}

TEST_CASE("what-ifs on the DeepSeek-V3 step move the way physics says") {
    const config::DiskFiles files;
    const auto base_cluster = config::load_cluster(files, "topologies/deepseek-v3-h800.toml");
    const auto workload = config::load_workload(files, "workloads/deepseek-v3.toml");
    // 32 micro-batches per pipeline: the smallest batch DualPipe runs, to keep the test quick.
    const int batch = 4096;
    const double base = training::simulate_step(base_cluster, workload, 4096, batch).step_seconds;

    // Halving the NIC speed: the expert all-to-all crosses the fabric (EP64 spans 8 nodes), so the
    // step slows, though by less than 2x because compute and NVLink traffic do not change.
    auto slow_nic = base_cluster;
    slow_nic.nic_bandwidth = slow_nic.nic_bandwidth * 0.5;
    const double nic = training::simulate_step(slow_nic, workload, 4096, batch).step_seconds;
    CHECK(nic > 1.05 * base);
    CHECK(nic < 2.0 * base);

    // H100's 900 GB/s NVLink instead of H800's 400: never slower, and only slightly faster
    // (DeepSeek's node-limited routing keeps the fabric, not NVLink, the bottleneck).
    auto fast_nvlink = base_cluster;
    fast_nvlink.nvlink_per_direction = units::Bandwidth(450e9);
    const double nvl = training::simulate_step(fast_nvlink, workload, 4096, batch).step_seconds;
    CHECK(nvl <= base);
    CHECK(nvl > 0.9 * base);

    // Twice the GEMM throughput cannot make the step more than twice as fast.
    auto faster_gpu = base_cluster;
    faster_gpu.gpu.dense_peak[static_cast<int>(hardware::Dtype::fp8)] *= 2.0;
    const double gpu = training::simulate_step(faster_gpu, workload, 4096, batch).step_seconds;
    CHECK(gpu < base);
    CHECK(gpu > 0.5 * base);
}

TEST_CASE("full mode and symmetric mode run the groups of one rank grid (DeepSeek-V3's DualPipe layout, 256 GPUs)") {
    // Issue 13: DeepSeek-V3's layers and layout (DualPipe, EP64 over 8 nodes, ZeRO-1) on 32 of
    // its nodes: PP4 x DP64, 8 micro-batches per pipeline. The symmetric program gives each
    // stage's collective every copy in the stage; full mode gives each GPU its own group. Both
    // come from the program's rank grid, so each GPU's group must be one of its stage's copies,
    // and the stage's GPUs together must call every copy.
    const config::DiskFiles files;
    auto cluster = config::load_cluster(files, "topologies/deepseek-v3-h800.toml");
    cluster.nodes = 32;
    auto w = config::load_workload(files, "workloads/deepseek-v3.toml");
    w.parallel.pp = 4;
    w.parallel.dp = 64;
    const int batch = 64 * 8;
    const auto sym = training::build_program(cluster, w, w.training.seq_len, batch);
    const auto full = training::expand_to_full(sym);
    const int per_stage = sym.gpus_per_rank;
    REQUIRE(per_stage == 64);
    REQUIRE(full.ranks == 256);
    CHECK(full.grid.spec() == sym.grid.spec());
    // Symmetric op indices of each stage, in program order (expand_to_full's order per GPU).
    std::vector<std::vector<std::size_t>> of_stage(static_cast<std::size_t>(sym.ranks));
    for (std::size_t i = 0; i < sym.ops.size(); ++i) of_stage[static_cast<std::size_t>(sym.ops[i].rank)].push_back(i);
    std::map<std::size_t, std::set<collective::Group>> called; // symmetric op -> groups its GPUs called
    std::size_t next = 0, checked = 0, mismatches = 0;
    for (int g = 0; g < full.ranks; ++g) {
        for (std::size_t i : of_stage[static_cast<std::size_t>(g / per_stage)]) {
            const auto& op = full.ops[next++];
            if (op.is_compute()) continue;
            const auto& mine = full.groups.groups(full.comm(op).groups);
            const auto& copies = sym.groups.groups(sym.comm(sym.ops[i]).groups);
            ++checked;
            if (full.comm(op).member != g || op.dim != sym.ops[i].dim) ++mismatches;
            for (const auto& group : mine) {
                if (std::find(group.begin(), group.end(), g) == group.end()) ++mismatches;
                if (std::find(copies.begin(), copies.end(), group) == copies.end()) ++mismatches;
                called[i].insert(group);
            }
        }
    }
    REQUIRE(next == full.ops.size());
    // Every GPU checked a copy of each of its stage's collectives.
    const auto sym_comm =
        std::count_if(sym.ops.begin(), sym.ops.end(), [](const auto& op) { return !op.is_compute(); });
    REQUIRE(sym_comm > 0);
    CHECK(checked == static_cast<std::size_t>(sym_comm) * per_stage);
    CHECK(mismatches == 0);
    std::size_t incomplete = 0;
    for (const auto& [i, groups] : called) {
        const auto& copies = sym.groups.groups(sym.comm(sym.ops[i]).groups);
        if (groups != std::set<collective::Group>(copies.begin(), copies.end())) ++incomplete;
    }
    CHECK(incomplete == 0);
    // Simulated on the flow network, every GPU (full mode) and one representative per stage
    // (symmetric mode) give the same step: DESIGN.md "on small clusters both modes must agree".
    training::StepOptions full_mode;
    full_mode.full = true;
    const auto one = training::simulate_step(cluster, w, w.training.seq_len, batch);
    const auto every = training::simulate_step(cluster, w, w.training.seq_len, batch, nullptr, full_mode);
    CHECK(every.ops == one.ops * 64);
    CHECK(every.step_seconds == doctest::Approx(one.step_seconds).epsilon(0.01));
}

TEST_CASE("DualPipe on an odd number of stages is refused by the plan check, not by the schedule builder") {
    // DualPipe feeds micro-batches from both ends and pairs stage i with stage PP - 1 - i
    // (arXiv 2412.19437 sec. 3.2.1), so 15 stages cannot be built. The plan check names that
    // rule among the layout's problems (the GPU count no longer matches either).
    const config::DiskFiles files;
    const auto cluster = config::load_cluster(files, "topologies/deepseek-v3-h800.toml");
    auto workload = config::load_workload(files, "workloads/deepseek-v3.toml");
    workload.parallel.pp = 15;
    try {
        workload::check_plan(cluster, workload);
        FAIL("accepted DualPipe on 15 stages");
    } catch (const workload::PlanError& e) {
        const auto& p = e.problems();
        CHECK(std::any_of(p.begin(), p.end(), [](const std::string& s) {
            return s.find("dualpipe needs an even number of pipeline stages") != std::string::npos &&
                   s.find("found PP 15") != std::string::npos;
        }));
    }
}
