// One-point commands and range inputs (issue 20): `tcsim explain`, `search` and `serve` take a
// range at its median and say so; serve also serves each range's ends.
#include "config/config_files.hpp"
#include "report/explain_report.hpp"
#include "report/serve_report.hpp"
#include "scenario/explain.hpp"
#include "scenario/serve.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace tcsim;

namespace {

/// DeepSeek's own deployment (inference overview, day 6): prefill EP32/DP32, decode EP144/DP144,
/// 32 redundant experts each.
scenario::ServeInputs deepseek_serving(const std::string& prices) {
    scenario::ServeInputs in;
    in.workload = "workloads/deepseek-v3.toml";
    in.cluster = "topologies/deepseek-v3-h800.toml";
    in.prices = prices;
    in.spec.prompt_tokens = 1000;
    in.spec.output_tokens = 1000;
    in.spec.prefill.dp = 32;
    in.spec.prefill.ep = 32;
    in.spec.prefill.redundant_experts = 32;
    in.spec.decode.dp = 144;
    in.spec.decode.ep = 144;
    in.spec.decode.redundant_experts = 32;
    return in;
}

} // namespace

TEST_CASE("explain names each range it took at its median, with the median used") {
    const config::DiskFiles files(TCSIM_SOURCE_DIR);
    const report::Explanation e = scenario::explain(files, "tests/cli/data/workload-small-ranges.toml", "");
    REQUIRE(e.inputs_at_median.size() == 2);
    // {values = [10, 12, 14]}: the middle value; {low = 8e10, high = 1.2e11}: (low + high) / 2.
    CHECK(e.inputs_at_median[0].key == "workload.model.layers");
    CHECK(e.inputs_at_median[0].median == "12");
    CHECK(e.model.layers == 12);
    CHECK(e.inputs_at_median[1].key == "workload.training.tokens");
    CHECK(e.inputs_at_median[1].median == "1e+11");
    CHECK(report::explain_table(e).find("taken at their median by tcsim explain") != std::string::npos);
    CHECK(report::explain_json(e).find("\"median_used\": \"12\"") != std::string::npos);

    // A workload without ranges carries no note, and an empty list in the JSON.
    const report::Explanation point = scenario::explain(files, "workloads/gpt3-175b.toml", "");
    CHECK(point.inputs_at_median.empty());
    CHECK(report::explain_table(point).find("taken at their median") == std::string::npos);
    CHECK(report::explain_json(point).find("\"inputs_at_median\": []") != std::string::npos);
}

TEST_CASE("serve carries a price range through: dollars scale with the price, throughput does not") {
    const config::DiskFiles files(TCSIM_SOURCE_DIR);
    const report::ServeReport r = scenario::serve(files, deepseek_serving("tests/cli/data/prices-h800-range.toml"));
    // {low = 1.5 USD/h, high = 2.5 USD/h}: the figures at the median, $2.00.
    CHECK(r.price_per_gpu_hour == doctest::Approx(2.0));
    REQUIRE(r.inputs_at_median.size() == 1);
    CHECK(r.inputs_at_median[0].key == "prices.rental.H800-SXM.per_gpu_hour");
    REQUIRE(r.spread.size() == 1);
    const auto& s = r.spread[0];
    // Dollars per token are GPU-seconds per token x the price (serve/serve_model.hpp): linear in
    // the price, so the ends are 1.5 / 2 and 2.5 / 2 of the median's; tokens per second do not move.
    const double median = r.result.dollars_per_million_output_tokens_all_in.value();
    CHECK(s.at_low.dollars_per_million_output_tokens_all_in.value() == doctest::Approx(0.75 * median));
    CHECK(s.at_high.dollars_per_million_output_tokens_all_in.value() == doctest::Approx(1.25 * median));
    CHECK(s.at_low.decode.tokens_per_s_per_gpu == doctest::Approx(r.result.decode.tokens_per_s_per_gpu));
    CHECK(report::serve_table(r).find("Spread (each range at its low and its high end") != std::string::npos);

    // The same deployment at the point price gives the median's figures, and no spread.
    const report::ServeReport point = scenario::serve(files, deepseek_serving(""));
    CHECK(point.spread.empty());
    CHECK(point.result.dollars_per_million_output_tokens_all_in.value() == doctest::Approx(median));
}

TEST_CASE("serve carries a model range through: a deeper model decodes fewer tokens per second") {
    const config::DiskFiles files(TCSIM_SOURCE_DIR);
    scenario::ServeInputs in;
    in.workload = "tests/cli/data/workload-small-ranges.toml";
    in.cluster = "topologies/a100-cluster.toml";
    in.spec.prompt_tokens = 1000;
    in.spec.output_tokens = 1000;
    const report::ServeReport r = scenario::serve(files, in);
    REQUIRE(r.spread.size() == 2); // layers and tokens (tokens do not enter serving)
    const auto& layers = r.spread[0];
    CHECK(layers.key == "workload.model.layers");
    CHECK(layers.low == "10");
    CHECK(layers.high == "14");
    CHECK(layers.at_low.decode.tokens_per_s_per_gpu > r.result.decode.tokens_per_s_per_gpu);
    CHECK(layers.at_high.decode.tokens_per_s_per_gpu < r.result.decode.tokens_per_s_per_gpu);
    const auto& tokens = r.spread[1];
    CHECK(tokens.at_low.decode.tokens_per_s_per_gpu == doctest::Approx(r.result.decode.tokens_per_s_per_gpu));
}
