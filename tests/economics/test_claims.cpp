// The shipped claims (claims/*.toml) checked end to end: loaded with their scenario, simulated,
// failures sampled, priced and judged, as `tcsim check` does.
#include "config/config_files.hpp"
#include "economics/claim_check.hpp"
#include "scenario/evaluate.hpp"
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

/// The claim in `path` judged by the same pipeline as `tcsim check` (100 failure samples).
economics::ClaimCheck check(const std::string& path) {
    scenario::Options options;
    options.samples = 100;
    return scenario::evaluate(scenario::load_claim_check(disk(), path, options)).claims.at(0);
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
