#include "report/report_json.hpp"
#include "report/report_table.hpp"
#include "report/run_report.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <string>

using namespace tcsim;

namespace {

run::RunPhase make_phase(std::string name, bool extension, int seq_len, int batch, double steps, double step_s,
                         training::StepBreakdown breakdown) {
    run::RunPhase phase;
    phase.name = std::move(name);
    phase.extension = extension;
    phase.seq_len = seq_len;
    phase.global_batch_sequences = batch;
    phase.steps = steps;
    phase.tokens = steps * batch * seq_len;
    phase.seconds = steps * step_s;
    phase.step.step_seconds = step_s;
    phase.step.breakdown = breakdown;
    phase.step.gpus = 16;
    phase.step.seq_len = seq_len;
    phase.step.global_batch_sequences = batch;
    phase.step.tokens_per_step = static_cast<double>(batch) * seq_len;
    phase.step.mfu = 0.4;
    phase.step.mfu_gemm_dtype = 0.2;
    phase.step.tokens_per_s_per_gpu = phase.step.tokens_per_step / step_s / 16;
    phase.step.tflops_per_gpu = 395.8;
    return phase;
}

// A run of 16 GPUs: one ramp phase, the steady phase (10 s steps: 7 s compute, 2 s exposed
// communication, 1 s bubble), one context-extension phase. Pre-training lasts 86,400 s (1 day).
report::RunReport make_report(bool with_published) {
    report::RunReport report;
    report.scenario = {"test-cluster", "H800-SXM", "NVIDIA", "test-model", 16, "test model", ""};
    report.run.gpus = 16;
    report.run.phases.push_back(make_phase("ramp 1/1", false, 4096, 32, 1440, 5.0, {4.0, 0.5, 0.5}));
    report.run.phases.push_back(make_phase("steady", false, 4096, 64, 7920, 10.0, {7.0, 2.0, 1.0}));
    report.run.phases.push_back(make_phase("extension 32K", true, 32768, 8, 432, 20.0, {15.0, 3.0, 2.0}));
    report.run.pretrain_seconds = 1440 * 5.0 + 7920 * 10.0;
    report.run.extension_seconds = 432 * 20.0;
    report.run.pretrain_tokens = report.run.phases[0].tokens + report.run.phases[1].tokens;
    const economics::RentalPrice price{units::dollars_per_hour(2.0), "2024-12", "test price"};
    report.pretrain_cost = economics::rental_cost(report.run.pretrain_gpu_hours(), price);
    report.total_cost =
        economics::rental_cost(report.run.pretrain_gpu_hours() + report.run.extension_gpu_hours(), price);
    report.price_date = price.date;
    report.covers = report::covers_text(true);
    if (with_published) {
        // Published 400 GPU-hours for pre-training; tcsim predicts 384 (1 day x 16 GPUs): -4 %.
        report.published = report::PublishedFigures{
            "a test source",
            {{report::Figure::pretrain_gpu_hours, 400.0, "Table 1"}, {report::Figure::total_days, 1.0, ""}}};
    }
    return report;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

} // namespace

TEST_CASE("steady_phase: the phase named steady, else the last pre-training phase") {
    auto report = make_report(false);
    REQUIRE(report::steady_phase(report.run) != nullptr);
    CHECK(report::steady_phase(report.run)->name == "steady");
    report.run.phases[1].name = "final";
    CHECK(report::steady_phase(report.run)->name == "final");
    report.run.phases.clear();
    CHECK(report::steady_phase(report.run) == nullptr);
}

TEST_CASE("report JSON: parses and has the documented keys") {
    const auto report = make_report(true);
    const std::string text = report::render_json(report);
    const auto json = nlohmann::json::parse(text);
    REQUIRE(json.is_object());
    for (const char* key : {"cluster",
                            "gpu",
                            "workload",
                            "gpus",
                            "step_time_s",
                            "mfu",
                            "tokens_per_s_per_gpu",
                            "failure_free_duration_days",
                            "failure_free_gpu_hours",
                            "failure_free_cost_usd",
                            "schema_version",
                            "tcsim_version",
                            "tokens",
                            "pretraining",
                            "extension",
                            "breakdown",
                            "phases",
                            "price",
                            "covers",
                            "published"}) {
        CAPTURE(key);
        CHECK(json.contains(key));
    }
    CHECK(json["cluster"] == "test-cluster");
    CHECK(json["workload"] == "test-model");
    CHECK(json["gpus"] == 16);
    // The steady phase stands for the run.
    CHECK(json["step_time_s"].get<double>() == doctest::Approx(10.0));
    CHECK(json["mfu"].get<double>() == doctest::Approx(0.4));
    CHECK(json["breakdown"]["phase"] == "steady");
    CHECK(json["breakdown"]["exposed_comm_pct"].get<double>() == doctest::Approx(20.0));
    CHECK(json["phases"].size() == 3);
    CHECK(json["phases"][2]["extension"] == true);
    // GPU-hours = GPUs x wall-clock hours: 16 x (86,400 + 8,640) s / 3600 = 422.4.
    CHECK(json["pretraining"]["duration_days"].get<double>() == doctest::Approx(1.0));
    CHECK(json["pretraining"]["gpu_hours"].get<double>() == doctest::Approx(384.0));
    CHECK(json["failure_free_gpu_hours"].get<double>() == doctest::Approx(422.4));
    CHECK(json["extension"]["gpu_hours"].get<double>() == doctest::Approx(38.4));
    CHECK(json["failure_free_cost_usd"].get<double>() == doctest::Approx(844.8));
    CHECK(json["failure_free_duration_days"].get<double>() == doctest::Approx(1.1));
    CHECK(json["schema_version"].get<int>() == 2);
    CHECK_FALSE(json.contains("duration_days")); // schema 1's ambiguous names are gone
    CHECK(json["tokens"].get<double>() == doctest::Approx(1440.0 * 32 * 4096 + 7920.0 * 64 * 4096 + 432.0 * 8 * 32768));
    CHECK(json["price"]["usd_per_gpu_hour"].get<double>() == doctest::Approx(2.0));
    CHECK(json["price"]["source"] == "test price");
    CHECK(contains(json["covers"].get<std::string>(), "excludes research"));
    const auto& figures = json["published"]["figures"];
    REQUIRE(figures.size() == 2);
    CHECK(figures[0]["figure"] == "pretrain_gpu_hours");
    CHECK(figures[0]["tcsim"].get<double>() == doctest::Approx(384.0));
    CHECK(figures[0]["difference_pct"].get<double>() == doctest::Approx(-4.0));
    CHECK(figures[1]["difference_pct"].get<double>() == doctest::Approx(10.0));
}

TEST_CASE("report JSON: no published key without published figures") {
    const auto json = nlohmann::json::parse(report::render_json(make_report(false)));
    CHECK_FALSE(json.contains("published"));
}

TEST_CASE("report: the step breakdown names its rank and the busiest one") {
    auto report = make_report(false);
    // No ranks known (a hand-made step): the table says nothing more, the JSON gives nulls.
    CHECK(contains(report::render_table(report), "Step breakdown (steady phase)\n"));
    auto json = nlohmann::json::parse(report::render_json(report));
    CHECK(json["breakdown"]["rank"].is_null());
    CHECK(json["breakdown"]["busiest_rank"].is_null());

    // Four pipeline ranks: rank 0 finishes last (its 7 s of compute is the breakdown), rank 2
    // computes 9 s of the 10 s step.
    auto& step = report.run.phases[1].step;
    for (int r = 0; r < 4; ++r) {
        training::RankTimes t;
        t.rank = r;
        t.breakdown = {r == 0 ? 7.0 : (r == 2 ? 9.0 : 8.0), 0.0, 0.0};
        step.ranks.push_back(t);
    }
    step.slowest_rank = 0;
    step.busiest_rank = 2;
    const std::string table = report::render_table(report);
    CHECK(contains(table, "Step breakdown (steady phase): pipeline rank 0 of 4, the last to finish\n"));
    CHECK(contains(table, "  busiest: pipeline rank 2 of 4, compute 9.000 s (90.0 % of the step)\n"));
    json = nlohmann::json::parse(report::render_json(report));
    CHECK(json["breakdown"]["rank"] == 0);
    CHECK(json["breakdown"]["ranks"] == 4);
    CHECK(json["breakdown"]["ranks_are"] == "pipeline_ranks");
    CHECK(json["breakdown"]["busiest_rank"] == 2);
    CHECK(json["breakdown"]["busiest_compute_s"].get<double>() == doctest::Approx(9.0));

    // Full mode's ranks are GPUs; a rank that is both says it once.
    step.ranks_are_gpus = true;
    step.busiest_rank = 0;
    const std::string full = report::render_table(report);
    CHECK(contains(full, "Step breakdown (steady phase): GPU 0 of 4, the last to finish\n"));
    CHECK_FALSE(contains(full, "busiest"));
}

TEST_CASE("report JSON and table: the same report gives the same bytes") {
    CHECK(report::render_json(make_report(true)) == report::render_json(make_report(true)));
    CHECK(report::render_table(make_report(true)) == report::render_table(make_report(true)));
}

TEST_CASE("report table: has every section a reader looks for") {
    const std::string table = report::render_table(make_report(true));
    for (const char* part : {"workload: test-model",
                             "cluster:  test-cluster, 16 x H800-SXM (NVIDIA)",
                             "Phases",
                             "seq len",
                             "batch",
                             "steps",
                             "step time",
                             "MFU",
                             "tokens/s/GPU",
                             "days",
                             "Step breakdown (steady phase)",
                             "compute",
                             "exposed communication",
                             "pipeline bubble",
                             "Totals",
                             "GPU-hours, pre-training",
                             "GPU-hours, extension",
                             "dollars, total",
                             "$2.00 per GPU-hour",
                             "test price",
                             "published",
                             "difference",
                             "Published: a test source",
                             "Covers: final pre-training run (+ context extension) only"}) {
        CAPTURE(part);
        CHECK(contains(table, part));
    }
    // 384 predicted vs 400 published GPU-hours.
    CHECK(contains(table, "-4.0 %"));
    // 20 % of the steady step is exposed communication.
    CHECK(contains(table, "20.0 %"));
}

TEST_CASE("report table: no comparison columns without published figures") {
    const std::string table = report::render_table(make_report(false));
    CHECK_FALSE(contains(table, "difference"));
    CHECK_FALSE(contains(table, "Published:"));
    CHECK(contains(table, "Covers:"));
}

TEST_CASE("report table: no extension rows for a run without context extension") {
    auto report = make_report(false);
    report.run.phases.pop_back();
    report.run.extension_seconds = 0;
    report.total_cost = report.pretrain_cost;
    report.covers = report::covers_text(false);
    const std::string table = report::render_table(report);
    CHECK_FALSE(contains(table, "extension"));
    CHECK(contains(table, "Covers: final pre-training run only, failure-free"));
}
