// The measured model uncertainty file (config/load_model_uncertainty.hpp): the shipped file
// loads into the factors the verdicts use, and a bad one is refused naming the file, the line and
// the key.
#include "config/builtin_files.hpp"
#include "config/load_model_uncertainty.hpp"
#include "config_error_capture.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace tcsim;
using tcsim::config::testing::config_error_from;
using tcsim::config::testing::line_of;

namespace {

const std::string kPath = "topologies/model_uncertainty.toml";

const std::string kGood = R"(source = "test"

[[kind]]
name = "dense_step"
values = 5
sets = ["a"]
mean_abs_error = 0.08
ratio_p10 = 0.95
ratio_p50 = 0.98
ratio_p90 = 1.19
ratio_min = 0.95
ratio_max = 1.28

[[kind]]
name = "whole_run"
values = 9
sets = ["a", "b"]
mean_abs_error = 0.27
ratio_p10 = 0.73
ratio_p50 = 1.05
ratio_p90 = 1.59
ratio_min = 0.51
ratio_max = 1.73
)";

economics::ModelUncertainty load(const std::string& text) {
    config::EmbeddedFiles files;
    files.add(kPath, text);
    return config::load_model_uncertainty(files, kPath);
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    return text.replace(at, from.size(), to);
}

} // namespace

TEST_CASE("the whole_run kind gives the verdicts' factors: low = p10, high = p90") {
    const auto u = load(kGood);
    CHECK(u.low == doctest::Approx(0.73));
    CHECK(u.high == doctest::Approx(1.59));
    CHECK(u.worst_low == doctest::Approx(0.51)); // ratio_min
    CHECK(u.basis.find("9 predicted whole-run figures") != std::string::npos);
}

TEST_CASE("factors never exclude the prediction itself: low <= 1 <= high") {
    const std::string all_above =
        replaced(replaced(kGood, "ratio_p10 = 0.73", "ratio_p10 = 1.10"), "ratio_min = 0.51", "ratio_min = 1.05");
    const auto u = load(replaced(all_above, "ratio_p50 = 1.05", "ratio_p50 = 1.20"));
    CHECK(u.low == 1.0);
    CHECK(u.high == doctest::Approx(1.59));
}

TEST_CASE("the shipped file loads, and its factors are the measured ones (not the 25 % assumption)") {
    const auto u = config::load_model_uncertainty(config::builtin_files(), kPath);
    CHECK(u.low > 0.0);
    CHECK(u.low <= 1.0);
    CHECK(u.high >= 1.0);
    CHECK(u.basis.find("calibrations/") != std::string::npos);
}

TEST_CASE("a bad model-uncertainty file is refused naming the line and key") {
    SUBCASE("no whole_run kind") {
        const std::string bad = replaced(kGood, "name = \"whole_run\"", "name = \"moe_step\"");
        const auto e = config_error_from([&] { (void)load(bad); });
        CHECK(e.key() == "kind");
    }
    SUBCASE("an unknown kind") {
        const std::string bad = replaced(kGood, "name = \"dense_step\"", "name = \"dense_stepp\"");
        const auto e = config_error_from([&] { (void)load(bad); });
        CHECK(e.line() == line_of(bad, "dense_stepp"));
        CHECK(std::string(e.what()).find("dense_stepp") != std::string::npos);
    }
    SUBCASE("percentiles out of order") {
        const std::string bad = replaced(kGood, "ratio_p90 = 1.59", "ratio_p90 = 0.90");
        const auto e = config_error_from([&] { (void)load(bad); });
        CHECK(e.key().find("ratio_p50") != std::string::npos);
    }
    SUBCASE("a ratio that is not positive") {
        const std::string bad = replaced(kGood, "ratio_min = 0.51", "ratio_min = -0.5");
        const auto e = config_error_from([&] { (void)load(bad); });
        CHECK(e.line() == line_of(bad, "ratio_min = -0.5"));
    }
    SUBCASE("an unknown key") {
        const std::string bad = replaced(kGood, "values = 9", "values = 9\nfudge = 1.2");
        const auto e = config_error_from([&] { (void)load(bad); });
        CHECK(e.line() == line_of(bad, "fudge"));
    }
    SUBCASE("the same kind twice") {
        const std::string bad = replaced(kGood, "name = \"dense_step\"", "name = \"whole_run\"");
        const auto e = config_error_from([&] { (void)load(bad); });
        CHECK(std::string(e.what()).find("twice") != std::string::npos);
    }
}
