// The shipped claims (claims/*.toml) checked end to end: loaded with their scenario, simulated,
// failures sampled, priced and judged, as `tcsim check` does.
#include "config/config_files.hpp"
#include "economics/claim_check.hpp"
#include "report/run_report.hpp"
#include "scenario/evaluate.hpp"
#include "scenario/load.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

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
TEST_CASE("GPT-3 175B in one day on 64 A100s is implausible") {
    const auto c = check("claims/gpt3-175b-one-day.toml");
    REQUIRE(c.figures.size() == 1);
    CHECK(c.verdict == economics::Verdict::implausible);
    CHECK(c.figures[0].implied_mfu > 100.0);
    REQUIRE(c.figures[0].gpus_needed.has_value());
    CHECK(*c.figures[0].gpus_needed > 10000);
}

// Megatron-LM SC'21 sec. 5.1: "about 34 days" on 1,024 A100s at 140 TFLOP/s per GPU.
TEST_CASE("Megatron-LM's GPT-3 175B in 34 days on 1,024 A100s is plausible") {
    const auto c = check("claims/gpt3-175b-megatron.toml");
    REQUIRE(c.figures.size() == 1);
    MESSAGE(c.figures[0].explanation);
    CHECK(c.verdict == economics::Verdict::plausible);
    CHECK(c.gpus == 1024);
}

// The story tcsim was made for, as `tcsim` with no arguments checks it (issue 20): each claim's
// verdict follows from its words and DeepSeek's own figures (arXiv:2412.19437 Table 1), not from
// tcsim's numbers alone: R1's dollar figures are V3's final run (out of scope), the H800 is an
// NVIDIA GPU (the "without NVIDIA chips" claim is implausible), DeepSeek's $5.576M / 2.788M
// GPU-hours and "under two months" on 2,048 H800s hold within tcsim's band (its DeepSeek-V3
// pre-training is held to +-10 % of Table 1 by tests/sim/test_deepseek_v3.cpp), and GPT-4's
// "$100M+" is a lower bound that the estimate's run (~66M A100 GPU-hours failure-free) reaches.
TEST_CASE("the built-in story: each claim's verdict and scope") {
    scenario::Options options;
    options.samples = 100;
    const report::RunReport r = scenario::evaluate(scenario::load_builtin(options));
    const auto verdict = [&](const std::vector<economics::ClaimCheck>& checks, const std::string& name) {
        for (const auto& c : checks)
            if (c.claim.name == name) return c;
        FAIL("no claim named " << name);
        return economics::ClaimCheck{};
    };
    const auto r1 = verdict(r.claims, "DeepSeek-R1 cost only $5.6M");
    CHECK(r1.verdict == economics::Verdict::out_of_scope);
    CHECK(r1.headline.find("DeepSeek-V3's final training run") != std::string::npos);
    // Out of scope, yet the number itself is within the band of V3's run.
    CHECK(r1.figures[0].compared >= r1.figures[0].band_low);
    CHECK(r1.figures[0].compared <= r1.figures[0].band_high);
    CHECK(verdict(r.claims, "DeepSeek trained R1 for $5.5 million").verdict == economics::Verdict::out_of_scope);
    // The full stack (issue 19): V3's pre-training and context extension, then R1-Zero's RL and
    // R1's SFT and RL, each stage's GPU-hours and dollars on its own line.
    REQUIRE(r1.figures[0].stage_lines.size() == 4);
    const std::vector<std::string> stages{"pre-training and context extension", "R1-Zero RL", "R1 SFT", "R1 RL"};
    for (std::size_t i = 0; i < stages.size(); ++i) {
        CHECK(r1.figures[0].stage_lines[i].rfind(stages[i] + ": ", 0) == 0);
        CHECK(r1.figures[0].stage_lines[i].find(" GPU-hours, $") != std::string::npos);
    }
    // DeepSeek's own $294K for R1's SFT and RL is compared with tcsim's R1 stages: never out of
    // scope, and (the claim being above tcsim's figure) plausible inside the band, overstated above.
    const auto rl = verdict(r.claims, "DeepSeek-R1's RL cost $294K");
    for (const auto& f : rl.figures) {
        CHECK(f.simulated_stages.sft);
        CHECK(f.simulated_stages.rl);
        CHECK(f.compared > f.simulated.p50);
        CHECK(f.verdict ==
              (f.compared <= f.band_high ? economics::Verdict::plausible : economics::Verdict::overstated));
    }
    const auto nvidia = verdict(r.claims, "DeepSeek trained without NVIDIA chips");
    CHECK(nvidia.verdict == economics::Verdict::implausible);
    CHECK(nvidia.headline.find("made by NVIDIA") != std::string::npos);
    CHECK(verdict(r.claims, "DeepSeek-V3: $5.576M, 2.788M H800 GPU-hours").verdict == economics::Verdict::plausible);
    const auto months = verdict(r.claims, "DeepSeek-V3: pre-trained in under two months on 2,048 H800s");
    CHECK(months.verdict == economics::Verdict::plausible);
    CHECK(months.figures.size() == 4); // duration, GPU-hours, GPU count, hardware
    REQUIRE(r.related.size() == 1);
    const auto gpt4 = verdict(r.related[0].claims, "GPT-4 cost $100M+ to train");
    CHECK(gpt4.verdict == economics::Verdict::plausible);
    CHECK(gpt4.figures[0].claimed.bound == economics::ClaimBound::at_least);
    CHECK(gpt4.gpus == 24960);
    // The paragraph says what its words mean.
    CHECK(r.summary.find("MFU (model FLOPs utilisation) is") != std::string::npos);
    CHECK(r.summary.find("p5-p95 is") != std::string::npos);
    CHECK(r.summary.find("PUE is") != std::string::npos);
}
