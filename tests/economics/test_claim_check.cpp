// Claim verdicts (economics/claim_check.hpp) on a hand-made assessment, so that every threshold
// is checked against numbers worked out by hand.
#include "economics/claim_check.hpp"

#include <doctest/doctest.h>

using namespace tcsim;
using economics::ClaimBound;
using economics::ClaimedQuantity;
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

const economics::SimulatedGpu kGpu{"GPU-X", "Maker"};

/// A claimed figure about pre-training (the stage the hand-made assessment has).
economics::ClaimedFigure figure(ClaimedQuantity q, double value, ClaimBound bound = ClaimBound::about,
                                double unsimulated = 0, std::string note = "") {
    economics::ClaimedFigure f;
    f.quantity = q;
    f.scope = economics::kPretraining;
    f.bound = bound;
    f.value = value;
    f.unsimulated = unsimulated;
    f.note = std::move(note);
    return f;
}

economics::FigureCheck check_figure(const economics::ClaimedFigure& f) {
    economics::Claim claim;
    claim.name = "test";
    claim.figures.push_back(f);
    return economics::check_claim(claim, assessment(), kGpu, economics::MfuRecord{0.45, "test record"}).figures.front();
}

economics::FigureCheck check_days(double days, ClaimBound bound = ClaimBound::about) {
    return check_figure(figure(ClaimedQuantity::duration_days, days, bound));
}

} // namespace

// The band is [p5 / 1.25, p95 x 1.25] = [30.4, 52.5] days; optimistic down to 30.4 / 1.25 = 24.32.
TEST_CASE("verdicts: plausible inside the band, overstated above, unlikely just below, implausible beyond") {
    CHECK(check_days(40).verdict == Verdict::plausible);
    CHECK(check_days(31).verdict == Verdict::plausible);
    CHECK(check_days(52).verdict == Verdict::plausible);
    CHECK(check_days(53).verdict == Verdict::overstated);
    CHECK(check_days(30).verdict == Verdict::unlikely);
    CHECK(check_days(24.5).verdict == Verdict::unlikely);
    CHECK(check_days(24).verdict == Verdict::implausible);
    const auto f = check_days(40);
    CHECK(f.band_low == doctest::Approx(38 / 1.25));
    CHECK(f.band_high == doctest::Approx(42 * 1.25));
    CHECK(f.difference_pct == doctest::Approx(0.0));
}

TEST_CASE("implied MFU: model FLOPs / (claimed GPU-seconds x peak); more than 100 % is implausible") {
    // 20 days claimed: twice the throughput tcsim simulates, so 80 % MFU; unlikely? No: below
    // 24.32 days, implausible.
    const auto half = check_days(20);
    CHECK(half.implied_mfu == doctest::Approx(0.80));
    CHECK(half.verdict == Verdict::implausible);
    // It would take 40 / 20 x 1,000 = 2,000 GPUs at tcsim's per-GPU throughput.
    REQUIRE(half.gpus_needed.has_value());
    CHECK(*half.gpus_needed == doctest::Approx(2000));
    CHECK(half.explanation.find("need 80.0% MFU") != std::string::npos);
    CHECK(half.headline.rfind("implausible: would need 80.0% MFU", 0) == 0);
    CHECK(half.explanation.find("2,000 GPUs") != std::string::npos);
    // 10 days: 160 % of peak.
    const auto impossible = check_days(10);
    CHECK(impossible.implied_mfu == doctest::Approx(1.6));
    CHECK(impossible.explanation.find("more than the GPUs' peak") != std::string::npos);
    CHECK(check_days(40).implied_mfu == doctest::Approx(0.40));
}

TEST_CASE("an upper bound is plausible when the band's low end is within it, and never overstated") {
    CHECK(check_days(60.9, ClaimBound::at_most).verdict == Verdict::plausible);
    CHECK(check_days(365, ClaimBound::at_most).verdict == Verdict::plausible);
    CHECK(check_days(31, ClaimBound::at_most).verdict == Verdict::plausible);
    CHECK(check_days(29, ClaimBound::at_most).verdict == Verdict::unlikely);
    CHECK(check_days(20, ClaimBound::at_most).verdict == Verdict::implausible);
    CHECK(check_days(100, ClaimBound::at_least).verdict == Verdict::overstated);
    CHECK(check_days(10, ClaimBound::at_least).verdict == Verdict::plausible);
}

TEST_CASE("the unsimulated part is taken off before comparing; dollars at the claim's own price") {
    economics::Claim claim;
    claim.name = "cost";
    // $2.5M at the claim's $2.50/GPU-hour = 1M GPU-hours, of which 40,000 not simulated.
    claim.price = economics::RentalPrice{units::dollars_per_hour(2.5), "2024", "claim"};
    claim.figures.push_back(figure(ClaimedQuantity::cost_usd, 2.5e6, ClaimBound::about, 0.1e6, "post-training"));
    claim.figures.push_back(figure(ClaimedQuantity::gpu_hours, 1.0e6, ClaimBound::about, 40000));
    const auto check = economics::check_claim(claim, assessment(), kGpu, std::nullopt);
    const auto& cost = check.figures[0];
    CHECK(cost.compared == doctest::Approx(2.4e6));
    CHECK(cost.simulated.p50 == doctest::Approx(960000 * 2.5)); // the claim's price, not the catalog's
    CHECK(cost.verdict == Verdict::plausible);
    CHECK(cost.implied_mfu == doctest::Approx(0.40));
    CHECK(cost.price_needed == doctest::Approx(2.5));
    const auto& hours = check.figures[1];
    CHECK(hours.compared == doctest::Approx(960000));
    CHECK(hours.difference_pct == doctest::Approx(0.0));
    CHECK(check.verdict == Verdict::plausible);
    CHECK(hours.explanation.find("no published MFU record") != std::string::npos);
}

TEST_CASE("a claim's verdict is its worst figure's") {
    economics::Claim claim;
    claim.name = "mixed";
    claim.figures.push_back(figure(ClaimedQuantity::duration_days, 40));
    claim.figures.push_back(figure(ClaimedQuantity::duration_days, 60));
    CHECK(economics::check_claim(claim, assessment(), kGpu, std::nullopt).verdict == Verdict::overstated);
    claim.figures.push_back(figure(ClaimedQuantity::duration_days, 5));
    const auto worst = economics::check_claim(claim, assessment(), kGpu, std::nullopt);
    CHECK(worst.verdict == Verdict::implausible);
    CHECK(worst.headline == worst.figures[2].headline);
    CHECK(economics::verdict_rule().find("p95 x 1.25") != std::string::npos);
}

// "$100M+": a lower bound. The band is [30.4, 52.5] days; a lower bound below tcsim's p50 holds
// (the run reaches it), and the sentence must not call it "x% below the p50".
TEST_CASE("a lower bound below the simulated figure is plausible and said to be reached") {
    const auto f = check_days(10, ClaimBound::at_least);
    CHECK(f.verdict == Verdict::plausible);
    CHECK(f.explanation.find("reaches the claimed lower bound") != std::string::npos);
    CHECK(f.explanation.find("below tcsim's p50") == std::string::npos);
    // At least 60 days: above the band's 52.5, more than the run needs.
    const auto over = check_days(60, ClaimBound::at_least);
    CHECK(over.verdict == Verdict::overstated);
    CHECK(over.explanation.find("falls short of the claimed lower bound") != std::string::npos);
}

// "90-100 days" style: a range meets the band [30.4, 52.5] when any of it lies inside.
TEST_CASE("a range is plausible when it meets the band, judged by its nearer end otherwise") {
    auto range = [](double lo, double hi) {
        auto f = figure(ClaimedQuantity::duration_days, lo, ClaimBound::between);
        f.value_high = hi;
        return check_figure(f);
    };
    CHECK(range(50, 60).verdict == Verdict::plausible); // overlaps the band's top
    CHECK(range(20, 31).verdict == Verdict::plausible); // overlaps its bottom
    CHECK(range(53, 70).verdict == Verdict::overstated);
    CHECK(range(25, 30).verdict == Verdict::unlikely);    // high end 30 in [24.32, 30.4)
    CHECK(range(10, 20).verdict == Verdict::implausible); // high end 20: 80 % MFU needed, < 24.32 days
    CHECK(range(35, 45).explanation.find("lies inside the claimed range") != std::string::npos);
    CHECK(range(50, 60).explanation.find("tcsim's p50 is below the claimed range") != std::string::npos);
}

TEST_CASE("scope: a figure covering stages tcsim does not simulate, or declared wider than its words, is out of "
          "scope") {
    // The hand-made assessment has no context extension: a pre-training + extension figure
    // without a stated unsimulated part cannot be compared whole.
    auto f = figure(ClaimedQuantity::duration_days, 40);
    f.scope = economics::kPretrainingAndExtension;
    const auto wide = check_figure(f);
    CHECK(wide.verdict == Verdict::out_of_scope);
    CHECK(wide.headline == "out of scope: the figure covers pre-training and context extension; tcsim simulates only "
                           "pre-training");
    CHECK(wide.simulated.p50 == doctest::Approx(40)); // still compared for pre-training
    // With the unsimulated part stated, it is compared (SFT + RL stated as 1 day).
    f.scope = economics::Stages{true, false, true, true};
    f.value = 41;
    f.unsimulated = 1;
    CHECK(check_figure(f).verdict == Verdict::plausible);
    // The claim file says the figure covers less than the words ("R1" vs V3's run).
    auto r1 = figure(ClaimedQuantity::duration_days, 40);
    r1.covers = "the figure is another model's run";
    CHECK(check_figure(r1).verdict == Verdict::out_of_scope);
    CHECK(check_figure(r1).headline == "out of scope: the figure is another model's run");
    // Out of scope never hides an implausible figure.
    r1.value = 5;
    CHECK(check_figure(r1).verdict == Verdict::implausible);
    // Only SFT: nothing tcsim simulates.
    auto sft = figure(ClaimedQuantity::gpu_hours, 5000);
    sft.scope = economics::Stages{false, false, true, false};
    CHECK(check_figure(sft).verdict == Verdict::out_of_scope);
    CHECK(economics::to_string(economics::kAllStages) == "all");
    CHECK(economics::stage_words(economics::kAllStages) == "pre-training, context extension, SFT and RL");
}

TEST_CASE("hardware claims are judged from the simulated GPU's catalog name and vendor") {
    auto hw = figure(ClaimedQuantity::hardware, 0);
    hw.vendor = "Maker";
    hw.negated = true; // "without Maker chips"
    const auto without = check_figure(hw);
    CHECK(without.verdict == Verdict::implausible);
    CHECK(without.headline == "implausible: would need GPUs not made by Maker; the run's GPU-X is made by Maker");
    hw.negated = false;
    CHECK(check_figure(hw).verdict == Verdict::plausible);
    hw.vendor = "maker"; // vendors compare without case
    CHECK(check_figure(hw).verdict == Verdict::plausible);
    hw.vendor = "Other";
    CHECK(check_figure(hw).verdict == Verdict::implausible);
    hw.vendor.clear();
    hw.model = "GPU"; // a prefix ending where the name's next character is not alphanumeric, as "H800" of "H800-SXM"
    CHECK(check_figure(hw).verdict == Verdict::plausible);
    hw.model = "GPU-XL";
    CHECK(check_figure(hw).verdict == Verdict::implausible);
}

TEST_CASE("a GPU count is judged against the scenario's count; an MFU against the simulated run's") {
    CHECK(check_figure(figure(ClaimedQuantity::gpu_count, 1000)).verdict == Verdict::plausible);
    const auto other = check_figure(figure(ClaimedQuantity::gpu_count, 2048));
    CHECK(other.verdict == Verdict::out_of_scope);
    CHECK(other.headline.find("--gpus 2048") != std::string::npos);
    CHECK(check_figure(figure(ClaimedQuantity::gpu_count, 4096, ClaimBound::at_most)).verdict == Verdict::plausible);
    // MFU: tcsim's run averages 40 %; band [32 %, 50 %]; unlikely up to 62.5 %; beyond 100 % implausible.
    CHECK(check_figure(figure(ClaimedQuantity::mfu, 0.45)).verdict == Verdict::plausible);
    CHECK(check_figure(figure(ClaimedQuantity::mfu, 0.55)).verdict == Verdict::unlikely);
    CHECK(check_figure(figure(ClaimedQuantity::mfu, 0.70)).verdict == Verdict::implausible);
    CHECK(check_figure(figure(ClaimedQuantity::mfu, 1.2, ClaimBound::at_least)).verdict == Verdict::implausible);
    CHECK(check_figure(figure(ClaimedQuantity::mfu, 0.20)).verdict == Verdict::overstated);
    CHECK(check_figure(figure(ClaimedQuantity::mfu, 0.20, ClaimBound::at_least)).verdict == Verdict::plausible);
    CHECK(check_figure(figure(ClaimedQuantity::mfu, 0.60, ClaimBound::at_most)).verdict == Verdict::plausible);
}

// Measured, asymmetric model uncertainty (published whole runs fell between 0.8 and 1.6 times
// tcsim's figure): the band is [38 x 0.8, 42 x 1.6] = [30.4, 67.2] days, `unlikely` down to
// 30.4 x 0.8 = 24.32; MFU band [40 % / 1.6, 40 % / 0.8] = [25 %, 50 %].
TEST_CASE("verdicts with a measured, asymmetric model uncertainty") {
    const economics::ModelUncertainty measured{0.8, 1.6, 0.8 * 0.8, "test: p10 0.8, p90 1.6"};
    const auto check = [&](ClaimedQuantity q, double value) {
        economics::Claim claim;
        claim.name = "test";
        claim.figures.push_back(figure(q, value));
        return economics::check_claim(claim, assessment(), kGpu, std::nullopt, measured).figures.front();
    };
    const auto f = check(ClaimedQuantity::duration_days, 60);
    CHECK(f.band_low == doctest::Approx(30.4));
    CHECK(f.band_high == doctest::Approx(67.2));
    CHECK(f.verdict == Verdict::plausible);               // overstated under 25 %
    CHECK(check_days(60).verdict == Verdict::overstated); // the default's [30.4, 52.5]
    CHECK(check(ClaimedQuantity::duration_days, 68).verdict == Verdict::overstated);
    CHECK(check(ClaimedQuantity::duration_days, 30).verdict == Verdict::unlikely);
    CHECK(check(ClaimedQuantity::duration_days, 24).verdict == Verdict::implausible);
    const auto mfu = check(ClaimedQuantity::mfu, 0.45);
    CHECK(mfu.band_low == doctest::Approx(0.25));
    CHECK(mfu.band_high == doctest::Approx(0.50));
    CHECK(mfu.verdict == Verdict::plausible);
    CHECK(check(ClaimedQuantity::mfu, 0.52).verdict == Verdict::unlikely);   // above 50 %, within a further / 0.8
    CHECK(check(ClaimedQuantity::mfu, 0.24).verdict == Verdict::overstated); // less efficient than the band
    const std::string rule = economics::verdict_rule(measured);
    CHECK(rule.find("[p5 x 0.80, p95 x 1.60]") != std::string::npos);
    CHECK(rule.find("test: p10 0.8, p90 1.6") != std::string::npos);
}

TEST_CASE("a model uncertainty whose band would exclude the prediction is refused") {
    economics::Claim claim;
    claim.name = "test";
    claim.figures.push_back(figure(ClaimedQuantity::duration_days, 40));
    CHECK_THROWS_AS(economics::check_claim(claim, assessment(), kGpu, std::nullopt, {1.2, 1.5, 1.0, "bad"}),
                    std::invalid_argument);
    // The worst miss must not be milder than the band's p10.
    CHECK_THROWS_AS(economics::check_claim(claim, assessment(), kGpu, std::nullopt, {0.8, 1.5, 0.9, "bad"}),
                    std::invalid_argument);
}

// A narrow band whose p10 (0.9) sits above a worse recorded miss (0.7): `unlikely` reaches to the
// band's p5 (38 days) x 0.7 = 26.6 days instead of 38 x 0.9 x 0.9 = 30.78, since a claim that far
// below tcsim has happened on a published run; past the worst miss it is implausible.
TEST_CASE("unlikely reaches as far as tcsim's worst recorded miss when that is beyond the band's factor") {
    const economics::ModelUncertainty narrow{0.9, 1.6, 0.7, "test: p10 0.9, min 0.7"};
    const auto check = [&](double days) {
        economics::Claim claim;
        claim.name = "test";
        claim.figures.push_back(figure(ClaimedQuantity::duration_days, days));
        return economics::check_claim(claim, assessment(), kGpu, std::nullopt, narrow).figures.front();
    };
    CHECK(narrow.further_low() == doctest::Approx(0.7 / 0.9));
    CHECK(check(34.3).verdict == Verdict::plausible);  // band_low 38 x 0.9 = 34.2
    CHECK(check(30.0).verdict == Verdict::unlikely);   // below 30.78, above 26.6
    CHECK(check(26.7).verdict == Verdict::unlikely);
    CHECK(check(26.5).verdict == Verdict::implausible);
    const std::string rule = economics::verdict_rule(narrow);
    CHECK(rule.find("unlikely up to a further factor 0.78 below it (to p5 x 0.70: tcsim's worst recorded miss") !=
          std::string::npos);
    // With the worst miss inside the band's own factor the rule is unchanged.
    const economics::ModelUncertainty wide{0.8, 1.6, 0.75, "test"};
    CHECK(wide.further_low() == doctest::Approx(0.8));
    CHECK(economics::verdict_rule(wide).find("tcsim's worst recorded miss") == std::string::npos);
}
