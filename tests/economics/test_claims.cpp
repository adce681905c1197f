// The shipped claims (claims/*.toml) checked end to end: loaded with their scenario, simulated,
// failures sampled, priced and judged, as `tcsim check` does.
#include "config/config_files.hpp"
#include "config/load_datacenter.hpp"
#include "config/load_prices.hpp"
#include "economics/claim_check.hpp"
#include "run/run_model.hpp"
#include "scenario/load.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <string>

using namespace tcsim;

namespace {

const config::DiskFiles& disk() {
    static const config::DiskFiles files(TCSIM_SOURCE_DIR);
    return files;
}

economics::ClaimCheck check(const std::string& path) {
    const auto scenario = scenario::load_claim(disk(), path);
    const auto prices = config::load_prices(disk(), disk().resolve(scenario.cluster_path, "prices.toml"));
    const auto datacenter = config::load_datacenter(disk(), disk().resolve(scenario.cluster_path, "datacenter.toml"));
    const auto records = config::load_mfu_records(disk(), disk().resolve(scenario.cluster_path, "mfu_records.toml"));
    run::check_run(scenario.cluster, scenario.workload);
    const auto run = run::simulate_run(scenario.cluster, scenario.workload);
    economics::AssessmentInputs inputs;
    inputs.rental = scenario.claim.price ? *scenario.claim.price : prices.rental.at(scenario.cluster.gpu.name);
    inputs.power = datacenter.power;
    inputs.reliability = datacenter.reliability;
    inputs.monte_carlo = {100, 1};
    const auto assessment = economics::assess(run, scenario.cluster, scenario.workload, inputs);
    const auto record = records.find(scenario.cluster.gpu.name);
    return economics::check_claim(scenario.claim, assessment, scenario.cluster.gpu.name,
                                  record == records.end() ? std::nullopt : std::optional(record->second));
}

} // namespace

TEST_CASE("every shipped claim loads, names its source and at least one figure") {
    int count = 0;
    for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(TCSIM_SOURCE_DIR) / "claims")) {
        if (entry.path().extension() != ".toml") continue;
        const std::string path = "claims/" + entry.path().filename().string();
        CAPTURE(path);
        const auto s = scenario::load_claim(disk(), path);
        CHECK_FALSE(s.claim.source.empty());
        CHECK_FALSE(s.claim.figures.empty());
        CHECK(s.workload.parallel.gpus() == s.cluster.gpus());
        ++count;
    }
    CHECK(count >= 5);
}

// An impossible claim: GPT-3 175B (300B tokens) in one day on 64 A100s needs ~180x the A100's
// dense peak.
TEST_CASE("GPT-3 175B in one day on 64 A100s is inconsistent") {
    const auto c = check("claims/gpt3-175b-one-day.toml");
    REQUIRE(c.figures.size() == 1);
    CHECK(c.verdict == economics::Verdict::inconsistent);
    CHECK(c.figures[0].implied_mfu > 100.0);
    REQUIRE(c.figures[0].gpus_needed.has_value());
    CHECK(*c.figures[0].gpus_needed > 10000);
}

// Megatron-LM SC'21 sec. 5.1: "about 34 days" on 1,024 A100s at 140 TFLOP/s per GPU.
TEST_CASE("Megatron-LM's GPT-3 175B in 34 days on 1,024 A100s is consistent") {
    const auto c = check("claims/gpt3-175b-megatron.toml");
    REQUIRE(c.figures.size() == 1);
    MESSAGE(c.figures[0].explanation);
    CHECK(c.verdict == economics::Verdict::consistent);
    CHECK(c.gpus == 1024);
}
