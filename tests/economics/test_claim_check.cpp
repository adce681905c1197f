// Claim verdicts (economics/claim_check.hpp) on a hand-made assessment, so that every threshold
// is checked against numbers worked out by hand.
#include "economics/claim_check.hpp"

#include <doctest/doctest.h>

using namespace tcsim;
using economics::ClaimBound;
using economics::ClaimedQuantity;
using economics::ClaimScope;
using economics::Verdict;

namespace {

run::Percentiles spread(double p5, double p50, double p95) { return {p5, p50, p95, p50}; }

// 1,000 GPUs; the whole run takes 40 days at p50 (p5 38, p95 42) = 960,000 GPU-hours at p50;
// model FLOPs chosen so that the run-average MFU at p50 is exactly 40 % of a 1e15 FLOP/s peak.
economics::Assessment assessment() {
    economics::Assessment a;
    a.gpus = 1000;
    a.days.total = spread(38, 40, 42);
    a.days.pretraining = spread(38, 40, 42);
    a.gpu_hours.total = spread(38 * 24000.0, 40 * 24000.0, 42 * 24000.0);
    a.gpu_hours.pretraining = a.gpu_hours.total;
    a.peak_flops_per_gpu = 1e15;
    a.model_flops_total = 0.40 * 1e15 * 1000 * 40 * 86400.0;
    a.model_flops_pretraining = a.model_flops_total;
    a.run_mfu_total = 0.40;
    a.run_mfu_pretraining = 0.40;
    a.rental = {units::dollars_per_hour(2.0), "2024", "test"};
    return a;
}

economics::FigureCheck check_days(double days, ClaimBound bound = ClaimBound::about) {
    economics::Claim claim;
    claim.name = "test";
    claim.figures.push_back({ClaimedQuantity::duration_days, ClaimScope::total, bound, days, 0, ""});
    return economics::check_claim(claim, assessment(), "GPU-X", economics::MfuRecord{0.45, "test record"})
        .figures.front();
}

} // namespace

// The band is [p5 / 1.25, p95 x 1.25] = [30.4, 52.5] days; optimistic down to 30.4 / 1.25 = 24.32.
TEST_CASE("verdicts: consistent inside the band, pessimistic above, optimistic just below, inconsistent beyond") {
    CHECK(check_days(40).verdict == Verdict::consistent);
    CHECK(check_days(31).verdict == Verdict::consistent);
    CHECK(check_days(52).verdict == Verdict::consistent);
    CHECK(check_days(53).verdict == Verdict::pessimistic);
    CHECK(check_days(30).verdict == Verdict::optimistic);
    CHECK(check_days(24.5).verdict == Verdict::optimistic);
    CHECK(check_days(24).verdict == Verdict::inconsistent);
    const auto f = check_days(40);
    CHECK(f.band_low == doctest::Approx(38 / 1.25));
    CHECK(f.band_high == doctest::Approx(42 * 1.25));
    CHECK(f.difference_pct == doctest::Approx(0.0));
}

TEST_CASE("implied MFU: model FLOPs / (claimed GPU-seconds x peak); more than 100 % is inconsistent") {
    // 20 days claimed: twice the throughput tcsim simulates, so 80 % MFU; optimistic? No: below
    // 24.32 days, inconsistent.
    const auto half = check_days(20);
    CHECK(half.implied_mfu == doctest::Approx(0.80));
    CHECK(half.verdict == Verdict::inconsistent);
    // It would take 40 / 20 x 1,000 = 2,000 GPUs at tcsim's per-GPU throughput.
    REQUIRE(half.gpus_needed.has_value());
    CHECK(*half.gpus_needed == doctest::Approx(2000));
    CHECK(half.explanation.find("needs 80.0% MFU") != std::string::npos);
    CHECK(half.explanation.find("2,000 GPUs") != std::string::npos);
    // 10 days: 160 % of peak.
    const auto impossible = check_days(10);
    CHECK(impossible.implied_mfu == doctest::Approx(1.6));
    CHECK(impossible.explanation.find("more than the GPUs' peak") != std::string::npos);
    CHECK(check_days(40).implied_mfu == doctest::Approx(0.40));
}

TEST_CASE("an upper bound is consistent when the band's low end is within it, and never pessimistic") {
    CHECK(check_days(60.9, ClaimBound::at_most).verdict == Verdict::consistent);
    CHECK(check_days(365, ClaimBound::at_most).verdict == Verdict::consistent);
    CHECK(check_days(31, ClaimBound::at_most).verdict == Verdict::consistent);
    CHECK(check_days(29, ClaimBound::at_most).verdict == Verdict::optimistic);
    CHECK(check_days(20, ClaimBound::at_most).verdict == Verdict::inconsistent);
    CHECK(check_days(100, ClaimBound::at_least).verdict == Verdict::pessimistic);
    CHECK(check_days(10, ClaimBound::at_least).verdict == Verdict::consistent);
}

TEST_CASE("the unsimulated part is taken off before comparing; dollars at the claim's own price") {
    economics::Claim claim;
    claim.name = "cost";
    // $2.5M at the claim's $2.50/GPU-hour = 1M GPU-hours, of which 40,000 not simulated.
    claim.price = economics::RentalPrice{units::dollars_per_hour(2.5), "2024", "claim"};
    claim.figures.push_back(
        {ClaimedQuantity::cost_usd, ClaimScope::total, ClaimBound::about, 2.5e6, 0.1e6, "post-training"});
    claim.figures.push_back({ClaimedQuantity::gpu_hours, ClaimScope::total, ClaimBound::about, 1.0e6, 40000, ""});
    const auto check = economics::check_claim(claim, assessment(), "GPU-X", std::nullopt);
    const auto& cost = check.figures[0];
    CHECK(cost.compared == doctest::Approx(2.4e6));
    CHECK(cost.simulated.p50 == doctest::Approx(960000 * 2.5)); // the claim's price, not the catalog's
    CHECK(cost.verdict == Verdict::consistent);
    CHECK(cost.implied_mfu == doctest::Approx(0.40));
    CHECK(cost.price_needed == doctest::Approx(2.5));
    const auto& hours = check.figures[1];
    CHECK(hours.compared == doctest::Approx(960000));
    CHECK(hours.difference_pct == doctest::Approx(0.0));
    CHECK(check.verdict == Verdict::consistent);
    CHECK(hours.explanation.find("no published MFU record") != std::string::npos);
}

TEST_CASE("a claim's verdict is its worst figure's") {
    economics::Claim claim;
    claim.name = "mixed";
    claim.figures.push_back({ClaimedQuantity::duration_days, ClaimScope::total, ClaimBound::about, 40, 0, ""});
    claim.figures.push_back({ClaimedQuantity::duration_days, ClaimScope::total, ClaimBound::about, 60, 0, ""});
    CHECK(economics::check_claim(claim, assessment(), "GPU-X", std::nullopt).verdict == Verdict::pessimistic);
    claim.figures.push_back({ClaimedQuantity::duration_days, ClaimScope::total, ClaimBound::about, 5, 0, ""});
    CHECK(economics::check_claim(claim, assessment(), "GPU-X", std::nullopt).verdict == Verdict::inconsistent);
    CHECK(economics::verdict_rule().find("p95 x 1.25") != std::string::npos);
}
