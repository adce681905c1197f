// Running a sweep (sweep/run_sweep.hpp): a point is `tcsim run` with its values, and any split of
// the points over processes or threads gives the same rows.
#include "config/config_error.hpp"
#include "config/config_files.hpp"
#include "sweep/load_sweep.hpp"
#include "sweep/run_sweep.hpp"
#include "sweep/sweep_report.hpp"

#include <doctest/doctest.h>

using namespace tcsim;

namespace {

sweep::SweepSpec spec(const std::string& axes) {
    config::EmbeddedFiles files;
    files.add("tests/s.toml",
              "cluster = \"../topologies/a100-cluster.toml\"\nworkload = \"../workloads/llama2-70b.toml\"\n" + axes);
    return sweep::load_sweep(files, "tests/s.toml");
}

sweep::SweepOptions few_samples() {
    sweep::SweepOptions o;
    o.options.samples = 10;
    return o;
}

} // namespace

TEST_CASE("a process's share is the points i mod size, and equal to those of the whole sweep") {
    const sweep::SweepSpec s = spec("[[axis]]\nkey = \"gpus\"\nvalues = [256, 512, 768, 1024, 2048]\n");
    const std::vector<sweep::SweepRow> all = sweep::run_sweep(s, few_samples());
    REQUIRE(all.size() == 5);
    sweep::SweepOptions o = few_samples();
    o.share = {1, 3};
    o.threads = 2;
    const std::vector<sweep::SweepRow> mine = sweep::run_sweep(s, o);
    REQUIRE(mine.size() == 2);
    CHECK(mine[0].point == 1);
    CHECK(mine[1].point == 4);
    CHECK(sweep::render_sweep_csv(s, {mine[0], mine[1]}) == sweep::render_sweep_csv(s, {all[1], all[4]}));
}

TEST_CASE("a point runs with its values: the GPU count it names, and doubling GPUs nearly halves the days") {
    const sweep::SweepSpec s = spec("[[axis]]\nkey = \"gpus\"\nvalues = [512, 1024]\n");
    const std::vector<sweep::SweepRow> rows = sweep::run_sweep(s, few_samples());
    CHECK(rows[0].gpus == 512);
    CHECK(rows[1].gpus == 1024);
    // Twice the GPUs at a fixed batch: at most half the days (perfect scaling), and not much
    // more than that (Llama 2 70B's TP8 x DP layout only adds data-parallel communication).
    CHECK(rows[1].days_failure_free < rows[0].days_failure_free * 0.5 * 1.25);
    CHECK(rows[1].days_failure_free > rows[0].days_failure_free * 0.5);
    // GPU-hours = days x 24 x GPUs (failure-free).
    CHECK(rows[1].gpu_hours_failure_free == doctest::Approx(rows[1].days_failure_free * 24 * 1024).epsilon(1e-9));
}

TEST_CASE("a point whose layout is refused is a refused row, and the others still run") {
    // On 1,000 GPUs TP8 leaves DP 125, which does not divide the batch of 1,024 sequences.
    const sweep::SweepSpec s = spec("[[axis]]\nkey = \"gpus\"\nvalues = [1000, 512]\n");
    const std::vector<sweep::SweepRow> rows = sweep::run_sweep(s, few_samples());
    CHECK(rows[0].status == sweep::RowStatus::refused);
    CHECK(rows[0].reason.find("not divisible by DP 125") != std::string::npos);
    CHECK(rows[1].status == sweep::RowStatus::ok);
}

TEST_CASE("a bad value stops the sweep naming the sweep file's line, the axis and the key") {
    const sweep::SweepSpec s = spec("[[axis]]\nkey = \"cluster.nic_bandwidth\"\nvalues = [\"400 Gb/s\", \"0 Gb/s\"]\n");
    try {
        (void)sweep::run_sweep(s, few_samples());
        FAIL("expected a ConfigError");
    } catch (const config::ConfigError& e) {
        const std::string m = e.what();
        CHECK(m.find("tests/s.toml:5:23: axis cluster.nic_bandwidth") != std::string::npos);
        CHECK(m.find("nic_bandwidth") != std::string::npos);
    }
}

TEST_CASE("the shipped dispatcher sweep: NCCL's all-to-all of every copy is slower than DeepEP, more so on slower NICs") {
    // sweeps/moe-dispatcher.toml: DeepSeek-V3 with DeepEP and with NCCL's all-to-all, at 400 and
    // 200 Gb/s per NIC. NCCL sends each of a token's 8 copies, 7/8 of them over the NICs at EP64
    // over 8 nodes, where DeepEP sends it once per node (3.6 of at most 4): more than twice the
    // bytes on the network, so NCCL's step is the longer one at either speed and loses more when
    // the NICs halve. The compute is the same, so MFU moves inversely to the step time.
    const config::DiskFiles files;
    const sweep::SweepSpec s = sweep::load_sweep(files, "sweeps/moe-dispatcher.toml");
    sweep::SweepOptions o = few_samples();
    o.options.no_extension = true;
    const std::vector<sweep::SweepRow> rows = sweep::run_sweep(s, o);
    REQUIRE(rows.size() == 4);
    for (const auto& r : rows) REQUIRE(r.status == sweep::RowStatus::ok);
    // product order: (deepep, 400), (deepep, 200), (alltoall, 400), (alltoall, 200)
    CHECK(rows[0].values == std::vector<std::string>{"deepep", "400 Gb/s"});
    CHECK(rows[3].values == std::vector<std::string>{"alltoall", "200 Gb/s"});
    CHECK(rows[0].layout.find("EP64 (DeepEP)") != std::string::npos);
    CHECK(rows[2].layout.find("(DeepEP)") == std::string::npos);
    CHECK(rows[2].step_time_s > rows[0].step_time_s);
    CHECK(rows[3].step_time_s > rows[1].step_time_s);
    CHECK(rows[1].step_time_s > rows[0].step_time_s);
    CHECK(rows[3].step_time_s / rows[2].step_time_s > rows[1].step_time_s / rows[0].step_time_s);
    CHECK(rows[2].mfu * rows[2].step_time_s == doctest::Approx(rows[0].mfu * rows[0].step_time_s).epsilon(1e-9));
}
