// Uncertain inputs end to end (issue 20): a range widens the spread against the point input,
// the sensitivity table puts the input with the larger effect first, keys that only price the
// run move dollars and not days exactly, and the same seed gives the same bytes.
#include "config/config_files.hpp"
#include "report/report_json.hpp"
#include "scenario/evaluate.hpp"
#include "scenario/load.hpp"
#include "scenario/uncertain_design.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace tcsim;

namespace {

/// Megatron-LM SC'21's GPT 1.7B on 32 A100s (4 nodes): a step that simulates quickly.
report::RunReport run_with(const std::vector<std::string>& sets, int samples = 200, std::uint64_t seed = 1,
                           bool failures = true) {
    config::DiskFiles files(TCSIM_SOURCE_DIR);
    config::Overrides overrides;
    for (const auto& s : sets) overrides.add_set(s);
    files.set_overrides(overrides);
    scenario::Options options;
    options.samples = samples;
    options.seed = seed;
    options.no_failures = !failures;
    scenario::ClusterUse use;
    use.nodes = 4;
    const scenario::Inputs in = scenario::load_run(files, "topologies/a100-cluster.toml",
                                                   "workloads/megatron-sc21/gpt-1.7b.toml", use, options);
    return scenario::evaluate(in);
}

const std::string kPrice = "prices.rental.\"A100-80GB-SXM\".per_gpu_hour";

} // namespace

TEST_CASE("a range input widens p5-p95 against the point input") {
    const report::RunReport point = run_with({});
    CHECK_FALSE(point.uncertainty.has_value());
    const report::RunReport range = run_with({"workload.training.tokens={low=240e9,high=360e9}"});
    REQUIRE(range.uncertainty.has_value());
    const auto& u = *range.uncertainty;
    CHECK(u.samples == 200);
    CHECK(u.days_samples.size() == 200);
    const auto& a = point.assessment->days.total;
    // Failures alone spread the point run a little; +/-20 % of the tokens spreads it by about
    // 0.9 x 40 % of its length (the uniform's p5 to p95).
    CHECK(u.days.p95 - u.days.p5 > 5 * (a.p95 - a.p5));
    CHECK(u.days.p5 < a.p5);
    CHECK(u.days.p95 > a.p95);
    // The median input is the point value: the medians agree (failures and sampling noise aside).
    CHECK(u.days.p50 == doctest::Approx(a.p50).epsilon(0.02));
}

TEST_CASE("without failures, the spread of days follows the tokens' quantiles") {
    // A run's time is its tokens at the step's tokens per second (run/run_result.hpp), so with
    // no failures days are proportional to tokens: the uniform(240B, 360B) draw's p5 and p95
    // (246B and 354B) over the median's 300B.
    const report::RunReport r = run_with({"workload.training.tokens={low=240e9,high=360e9}"}, 400, 1, false);
    REQUIRE(r.uncertainty.has_value());
    const double median_days = r.run.seconds() / 86400.0;
    CHECK(r.uncertainty->days.p5 == doctest::Approx(median_days * 246.0 / 300.0).epsilon(0.01));
    CHECK(r.uncertainty->days.p95 == doctest::Approx(median_days * 354.0 / 300.0).epsilon(0.01));
    REQUIRE(r.uncertainty->sensitivity.size() == 1);
    const auto& row = r.uncertainty->sensitivity[0];
    CHECK(row.input_low == 240e9);
    CHECK(row.input_high == 360e9);
    CHECK(row.days_low == doctest::Approx(median_days * 0.8).epsilon(0.01));
    CHECK(row.days_high == doctest::Approx(median_days * 1.2).epsilon(0.01));
}

TEST_CASE("the sensitivity table puts the input with the larger effect first") {
    // Dollars are GPU-hours x the price: a price of $1-$2 swings them by 2x, tokens of 295B-305B
    // by about 3 %. The tokens are read first (the workload before the price list), so the order
    // comes from the sort, not from the files.
    const report::RunReport r = run_with(
        {"workload.training.tokens={low=295e9,high=305e9}", kPrice + "={low=\"1 USD/h\",high=\"2 USD/h\"}"}, 100);
    REQUIRE(r.uncertainty.has_value());
    const auto& rows = r.uncertainty->sensitivity;
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].key == "prices.rental.A100-80GB-SXM.per_gpu_hour");
    CHECK(rows[1].key == "workload.training.tokens");
    // A price moves dollars in proportion and days not at all (the same failure draws).
    CHECK(rows[0].days_low == rows[0].days_high);
    CHECK(rows[0].dollars_high == doctest::Approx(2 * rows[0].dollars_low).epsilon(1e-12));

    // Time is proportional to the tokens and independent of the price, so the additive model in
    // log space holds: the two check points that move both inputs at once agree with it.
    CHECK(r.uncertainty->interpolation_checks == 2);
    REQUIRE(r.uncertainty->interpolation_error.has_value());
    CHECK(*r.uncertainty->interpolation_error < 0.01);

    // Narrow the price and widen the tokens: the order flips.
    const report::RunReport flipped = run_with(
        {"workload.training.tokens={low=200e9,high=400e9}", kPrice + "={low=\"1.45 USD/h\",high=\"1.55 USD/h\"}"}, 100);
    REQUIRE(flipped.uncertainty.has_value());
    CHECK(flipped.uncertainty->sensitivity[0].key == "workload.training.tokens");
}

TEST_CASE("the same seed gives the same bytes; another seed other samples") {
    const std::vector<std::string> sets{"workload.training.tokens={p5=250e9,p95=350e9}"};
    const std::string once = report::render_json(run_with(sets, 50, 7));
    const std::string twice = report::render_json(run_with(sets, 50, 7));
    CHECK(once == twice);
    CHECK(once.find("\"uncertainty\"") != std::string::npos);
    const std::string other = report::render_json(run_with(sets, 50, 8));
    CHECK(other != once);
}
