// The pipeline as a library: loading checks every input before anything is simulated, and the
// built-in scenario's published figures come from its data file.
#include "config/builtin_files.hpp"
#include "config/config_error.hpp"
#include "config/config_files.hpp"
#include "config/load_published.hpp"
#include "config/load_workload.hpp"
#include "report/explain_report.hpp"
#include "scenario/evaluate.hpp"
#include "scenario/explain.hpp"
#include "scenario/input_error.hpp"
#include "scenario/load.hpp"

#include <doctest/doctest.h>

#include <string>
#include <utility>
#include <vector>

using namespace tcsim;

namespace {

const config::DiskFiles& disk() {
    static const config::DiskFiles files(TCSIM_SOURCE_DIR);
    return files;
}

} // namespace

// DeepSeek-V3 Technical Report (arXiv 2412.19437), Table 1: pre-training 2,664K H800 GPU-hours,
// context extension 119K, at $2 per GPU-hour on 2,048 GPUs.
TEST_CASE("the built-in scenario carries DeepSeek's Table 1 from claims/published/deepseek-v3.toml") {
    const scenario::Inputs with = scenario::load_builtin({});
    REQUIRE(with.published.has_value());
    CHECK(with.published->source == "DeepSeek-V3 Technical Report (arXiv 2412.19437), Table 1");
    // Every row, in the order reports show them: the three Table 1 states and the three the file
    // derives from them (days on 2,048 GPUs; totals without the unsimulated post-training).
    const double pretrain = 2'664'000.0, extension = 119'000.0, gpus = 2048, usd = 2.0;
    const std::vector<std::pair<report::Figure, double>> expected{
        {report::Figure::pretrain_days, pretrain / gpus / 24},
        {report::Figure::total_days, (pretrain + extension) / gpus / 24},
        {report::Figure::pretrain_gpu_hours, pretrain},
        {report::Figure::pretrain_cost_usd, pretrain * usd},
        {report::Figure::total_gpu_hours, pretrain + extension},
        {report::Figure::total_cost_usd, (pretrain + extension) * usd}};
    REQUIRE(with.published->values.size() == expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        CAPTURE(i);
        CHECK(with.published->values[i].figure == expected[i].first);
        CHECK(with.published->values[i].value == doctest::Approx(expected[i].second).epsilon(1e-15));
    }
    REQUIRE(with.claim_checks.has_value());
    CHECK(with.claim_checks->claims.size() == 6); // config::kBuiltinClaims: R1 twice, R1 RL, NVIDIA, DeepSeek's two
    REQUIRE(with.related.size() == 1);            // GPT-4's "$100M+", against its own scenario
    CHECK(with.related[0].cluster.gpus() == 24960);

    scenario::Options no_extension;
    no_extension.no_extension = true;
    const scenario::Inputs without = scenario::load_builtin(no_extension);
    REQUIRE(without.published.has_value());
    CHECK(without.published->values.size() == 3); // the total_* figures need the extension
    CHECK(without.workload.training.extension.empty());
}

TEST_CASE("a published figure is one of the known names") {
    const std::string path(config::kBuiltinPublished);
    config::EmbeddedFiles files;
    files.add(path, "source = \"s\"\n[[figure]]\nfigure = \"pretrain_hours\"\nvalue = 1\nnote = \"n\"\n");
    CHECK_THROWS_WITH_AS((void)config::load_published(files, path),
                         doctest::Contains("did you mean \"pretrain_days\"?"), config::ConfigError);
}

TEST_CASE("loading refuses what the user gave before simulating anything") {
    const std::string cluster = "topologies/deepseek-v3-h800.toml";
    const std::string workload = "workloads/deepseek-v3.toml";
    SUBCASE("more nodes than the cluster has") {
        CHECK_THROWS_WITH_AS((void)scenario::load_run(disk(), cluster, workload, {.nodes = 100000}, {}),
                             doctest::Contains("--gpus resizes it"), scenario::InputError);
    }
    SUBCASE("no price for the GPU") {
        scenario::Options options;
        options.prices = "tests/cli/data/prices-b200-only.toml";
        CHECK_THROWS_WITH_AS((void)scenario::load_run(disk(), cluster, workload, {}, options),
                             doctest::Contains("no rental price for GPU 'H800-SXM'"), scenario::InputError);
    }
}

TEST_CASE("the trace is the step the report priced: the steady phase's layout and simulated batch") {
    // DeepSeek-V3 resized to 8,192 GPUs: DP512, and its batch of 15,360 sequences gives 30
    // micro-batches per pipeline, fewer than DualPipe's 2 x PP16 = 32, so the run simulates the
    // steady step at the next batch the layout can run. The trace must be that step, not the
    // workload's own batch (which the layout cannot run at all).
    scenario::Options options;
    options.no_extension = true;
    options.samples = 10;
    const scenario::Inputs inputs = scenario::load_run(disk(), "topologies/deepseek-v3-h800.toml",
                                                       "workloads/deepseek-v3.toml", {.gpus = 8192}, options);
    const report::RunReport report = scenario::evaluate(inputs);
    const run::RunPhase* steady = report::steady_phase(report.run);
    REQUIRE(steady != nullptr);
    REQUIRE(steady->simulated_batch_sequences != inputs.workload.training.global_batch_sequences);
    const training::StepTrace trace = scenario::trace_steady_step(inputs, report);
    CHECK(trace.program.micro_batches * steady->parallel.dp * steady->parallel.micro_batch_sequences ==
          steady->simulated_batch_sequences);
    CHECK(trace.spans.size() == trace.program.ops.size());
    CHECK(trace.program.ops.size() == steady->step.ops);
}

TEST_CASE("the run simulates on the graph the load built to check the cluster; threads change nothing") {
    // The load builds the cluster's graph to check it and keeps it as the run's fabric; a run
    // that builds its own, on three threads, must give the same figures bit for bit (the ramp's
    // four batches and the steady one are five distinct steps).
    scenario::Options options;
    options.no_extension = true;
    options.samples = 10;
    const scenario::Inputs inputs =
        scenario::load_run(disk(), "topologies/deepseek-v3-h800.toml", "workloads/deepseek-v3.toml", {}, options);
    REQUIRE(inputs.fabric != nullptr);
    CHECK(inputs.fabric->graph().gpus() == inputs.cluster.gpus());
    CHECK(inputs.fabric->cluster().name == inputs.cluster.name);
    scenario::Inputs own = inputs;
    own.fabric.reset();
    own.options.jobs = 3;
    const report::RunReport kept = scenario::evaluate(inputs);
    const report::RunReport built = scenario::evaluate(own);
    REQUIRE(kept.run.phases.size() == 5);
    REQUIRE(built.run.phases.size() == kept.run.phases.size());
    for (std::size_t i = 0; i < kept.run.phases.size(); ++i) {
        CHECK(built.run.phases[i].name == kept.run.phases[i].name);
        CHECK(built.run.phases[i].step.step_seconds == kept.run.phases[i].step.step_seconds);
        CHECK(built.run.phases[i].seconds == kept.run.phases[i].seconds);
    }
    CHECK(built.run.seconds() == kept.run.seconds());
    REQUIRE(built.assessment.has_value());
    CHECK(built.assessment->days.total.p50 == kept.assessment->days.total.p50);
}

TEST_CASE("explain reports the workload's own counts, and its communication by the layout's dimensions") {
    // DeepSeek-V3's layout is TP1 x PP16 x DP128 with EP64 (workloads/deepseek-v3.toml): no
    // tensor-parallel traffic, and data-parallel (dense), expert-parallel, expert-data-parallel
    // and pipeline traffic.
    const report::Explanation bare = scenario::explain(disk(), "workloads/deepseek-v3.toml", "");
    const auto w = config::load_workload(disk(), "workloads/deepseek-v3.toml");
    CHECK_FALSE(bare.have_cluster);
    CHECK(bare.parameters.total == workload::count_parameters(w.model).total);
    CHECK(bare.seq_len == w.training.seq_len);
    std::vector<std::string> dims;
    for (const auto& [dim, bytes] : bare.comm_bytes_per_gpu) {
        dims.push_back(dim);
        CHECK(bytes > 0);
    }
    CHECK(dims == std::vector<std::string>{"dp", "ep", "expert-dp", "pp"});
    // Without a cluster the memory verdict is unknown: JSON null, no capacity line.
    CHECK(report::explain_json(bare).find("\"fits\": null") != std::string::npos);
    CHECK(report::explain_table(bare).find("\n  capacity ") == std::string::npos);

    const report::Explanation on =
        scenario::explain(disk(), "workloads/deepseek-v3.toml", "topologies/deepseek-v3-h800.toml");
    CHECK(on.have_cluster);
    CHECK(on.memory.capacity > 0);
    CHECK(report::explain_json(on).find(on.memory.fits() ? "\"fits\": true" : "\"fits\": false") != std::string::npos);
    CHECK(report::explain_table(on).find("\n  capacity ") != std::string::npos);
}
