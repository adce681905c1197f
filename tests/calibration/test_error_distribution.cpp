// Measured model uncertainty (calibration/error_distribution.hpp, prediction_kind.hpp) on a
// hand-made validation report, so every figure is worked out by hand.
#include "calibration/error_distribution.hpp"
#include "calibration/prediction_kind.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <limits>

using namespace tcsim::calibration;

namespace {

ValidationRow row(const char* set, PredictionKind kind, bool in_sample, double published, double predicted) {
    ValidationRow r;
    r.set = set;
    r.record = "r";
    r.prediction = kind;
    r.in_sample = in_sample;
    r.published.value = published;
    r.predicted = predicted;
    r.error = predicted / published - 1.0;
    return r;
}

} // namespace

TEST_CASE("percentiles interpolate linearly between order statistics (type 7)") {
    const std::vector<double> v{1, 2, 3, 4};
    CHECK(percentile_type7(v, 0.0) == 1.0);
    CHECK(percentile_type7(v, 1.0) == 4.0);
    CHECK(percentile_type7(v, 0.5) == doctest::Approx(2.5));
    CHECK(percentile_type7(v, 0.1) == doctest::Approx(1.3)); // h = 0.3
    CHECK(percentile_type7({7.0}, 0.9) == 7.0);
}

TEST_CASE("kinds: whole-run metrics by metric, steps by the model, components by the record") {
    CHECK(classify(RecordKind::run, Metric::pretrain_gpu_hours, true) == PredictionKind::whole_run);
    CHECK(classify(RecordKind::step, Metric::pretrain_days, false) == PredictionKind::whole_run);
    // The post-training stages' GPU-hours are a kind of their own (their RL steps are mostly decode).
    CHECK(classify(RecordKind::run, Metric::post_training_gpu_hours, true) == PredictionKind::post_training);
    CHECK(classify(RecordKind::run, Metric::tokens_per_s_per_gpu, false) == PredictionKind::dense_step);
    CHECK(classify(RecordKind::step, Metric::step_time, true) == PredictionKind::moe_step);
    CHECK(classify(RecordKind::step, Metric::expert_comm_to_compute, true) == PredictionKind::moe_step);
    CHECK(classify(RecordKind::gemm, Metric::gemm_throughput, false) == PredictionKind::gemm);
    CHECK(classify(RecordKind::collective, Metric::bus_bandwidth, false) == PredictionKind::collective);
    CHECK(classify(RecordKind::expert_all_to_all, Metric::rdma_bandwidth, false) == PredictionKind::expert_all_to_all);
    CHECK(classify(RecordKind::serve, Metric::decode_tokens_per_s_per_gpu, false) == PredictionKind::serving);
}

TEST_CASE("distributions: in-sample apart from predicted, unevaluated rows left out, known gaps kept") {
    ValidationReport report;
    // Predicted whole runs: published / tcsim = 0.5, 1.0, 1.5, 2.0 (the last a known gap).
    report.rows.push_back(row("a", PredictionKind::whole_run, false, 50, 100));
    report.rows.push_back(row("a", PredictionKind::whole_run, false, 100, 100));
    report.rows.push_back(row("b", PredictionKind::whole_run, false, 150, 100));
    auto gap = row("b", PredictionKind::whole_run, false, 200, 100);
    gap.published.known_gap = "a reason";
    report.rows.push_back(gap);
    // Not evaluated: no prediction, left out.
    auto refused = row("c", PredictionKind::whole_run, false, 100, 1);
    refused.reason = "refused for memory";
    refused.predicted = std::numeric_limits<double>::quiet_NaN();
    refused.error = std::numeric_limits<double>::quiet_NaN();
    report.rows.push_back(refused);
    // In-sample whole run and an in-sample GEMM.
    report.rows.push_back(row("fit", PredictionKind::whole_run, true, 100, 110));
    report.rows.push_back(row("fit", PredictionKind::gemm, true, 100, 95));

    const auto all = error_distributions(report);
    REQUIRE(all.size() == 3);
    CHECK(all[0].kind == PredictionKind::gemm); // kinds in kPredictionKinds order
    CHECK(all[1].kind == PredictionKind::whole_run);
    CHECK_FALSE(all[1].in_sample); // predicted before in-sample
    CHECK(all[2].in_sample);

    const auto run = predicted(all, PredictionKind::whole_run);
    REQUIRE(run);
    CHECK(run->values == 4);
    CHECK(run->sets == std::vector<std::string>{"a", "b"});
    // |tcsim / published - 1|: 1.0, 0, 1/3, 1/2
    CHECK(run->mean_abs_error == doctest::Approx((1.0 + 0.0 + 1.0 / 3.0 + 0.5) / 4.0));
    CHECK(run->ratio_min == doctest::Approx(0.5));
    CHECK(run->ratio_max == doctest::Approx(2.0));
    CHECK(run->ratio_p50 == doctest::Approx(1.25));
    CHECK(run->ratio_p10 == doctest::Approx(0.65));    // h = 0.3 between 0.5 and 1.0
    CHECK(run->ratio_p90 == doctest::Approx(1.85));    // h = 2.7 between 1.5 and 2.0
    CHECK_FALSE(predicted(all, PredictionKind::gemm)); // in-sample only

    const std::string toml = render_uncertainty_toml(all);
    CHECK(toml.find("name = \"whole_run\"") != std::string::npos);
    CHECK(toml.find("name = \"gemm\"") == std::string::npos); // in-sample kinds are not written
    CHECK(toml.find("ratio_p10 = 0.6500") != std::string::npos);
}
