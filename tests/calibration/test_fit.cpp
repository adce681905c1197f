// The fit recovers parameters it is given data for, and refuses a fit that would be one
// record's private knob (calibration/fit.hpp). Records are DeepGEMM's shapes on the shipped
// H800 cluster; their "published" throughput is what the compute model predicts with known
// parameters, so the truth is known.
#include "calibration/evaluate_record.hpp"
#include "calibration/fit.hpp"
#include "calibration/load_calibration_set.hpp"
#include "calibration/overlay_files.hpp"
#include "calibration/parameter_file.hpp"
#include "config/config_files.hpp"

#include <doctest/doctest.h>

#include <algorithm>

#include <cstdio>
#include <stdexcept>
#include <string>

using namespace tcsim;

namespace {

const std::string kRoot = TCSIM_SOURCE_DIR;
const std::string kHopper = kRoot + "/topologies/efficiency/hopper.toml";

struct Shape {
    double m, n, k;
};
constexpr Shape kShapes[] = {{64, 2112, 7168},   {128, 7168, 16384},  {4096, 2112, 7168}, {4096, 24576, 1536},
                             {4096, 32768, 512}, {4096, 7168, 16384}, {4096, 4096, 7168}, {4096, 7168, 2048}};

/// A set of FP8 GEMM records whose published values are `truth`'s predictions.
std::string synthetic_set(const config::ConfigFiles& truth) {
    std::string text = "set = \"synthetic\"\ntitle = \"t\"\nsource = \"test\"\n";
    int i = 0;
    for (const auto& s : kShapes) {
        std::string record = "[[record]]\nid = \"g" + std::to_string(i++) +
                             "\"\nkind = \"gemm\"\n"
                             "cluster = \"../topologies/deepseek-v3-h800.toml\"\nm = " +
                             std::to_string(s.m) + "\nn = " + std::to_string(s.n) + "\nk = " + std::to_string(s.k) +
                             "\ndtype = \"fp8\"\nsource = \"synthetic\"\nconfidence = \"exact\"\n";
        // The record alone, with a placeholder value, to ask the model what `truth` predicts.
        calibration::OverlayFiles with_truth(truth);
        with_truth.replace(kRoot + "/calibrations/s.toml",
                           "set = \"x\"\ntitle = \"x\"\nsource = \"x\"\n" + record +
                               "[[record.published]]\nmetric = \"gemm_throughput\"\nvalue = \"1 TFLOP/s\"\n"
                               "tolerance = 0.1\n");
        const auto set = calibration::load_calibration_set(with_truth, kRoot + "/calibrations/s.toml");
        const double tflops = calibration::predict(set.records[0], truth).values[0];
        char value[64];
        std::snprintf(value, sizeof value, "%.9g", tflops);
        text += record + "[[record.published]]\nmetric = \"gemm_throughput\"\nvalue = \"" + value +
                " TFLOP/s\"\ntolerance = 0.1\n\n";
    }
    return text;
}

} // namespace

TEST_CASE("the_fit_recovers_known_parameters") {
    config::DiskFiles disk;
    // Truth: the shipped Hopper file with two FP8 curve parameters moved.
    std::string truth_text = disk.read(kHopper);
    truth_text = calibration::write_parameter(kHopper, truth_text, "gemm_fp8.peak_fraction", 0.80, "truth");
    truth_text = calibration::write_parameter(kHopper, truth_text, "gemm_fp8.k_half", 900, "truth");
    calibration::OverlayFiles truth(disk);
    truth.replace(kHopper, truth_text);

    calibration::OverlayFiles files(disk);
    files.replace(kRoot + "/calibrations/synthetic.toml", synthetic_set(truth));
    const auto set = calibration::load_calibration_set(files, kRoot + "/calibrations/synthetic.toml");
    calibration::FitOptions options;
    options.jobs = 2;
    std::vector<std::string> progress;
    options.progress = [&progress](const std::string& line) { progress.push_back(line); };
    const auto fit =
        calibration::fit_parameters({set}, files, kHopper, {"gemm_fp8.peak_fraction", "gemm_fp8.k_half"}, options);
    REQUIRE(fit.parameters.size() == 2);
    // Progress: one line to start, one per iteration, one per left-out record.
    REQUIRE_FALSE(progress.empty());
    CHECK(progress.front().find("fitting 2 parameter(s)") != std::string::npos);
    CHECK(std::count_if(progress.begin(), progress.end(), [](const std::string& l) {
              return l.find("iteration") != std::string::npos;
          }) == fit.iterations);
    CHECK(static_cast<std::size_t>(std::count_if(progress.begin(), progress.end(), [](const std::string& l) {
              return l.find("leave-one-out") != std::string::npos;
          })) == fit.records.size());
    CHECK(fit.parameters[0].value == doctest::Approx(0.80).epsilon(0.01));
    CHECK(fit.parameters[1].value == doctest::Approx(900).epsilon(0.02));
    CHECK(calibration::FitResult::mape(fit.training_rows) < 0.002);
    CHECK(calibration::FitResult::mape(fit.initial_rows) > 0.02); // it did have something to fit
    REQUIRE(fit.held_out_rows.size() == fit.training_rows.size());
    CHECK(calibration::FitResult::mape(fit.held_out_rows) < 0.01);

    // The written file carries the values and says what they were fitted on.
    const std::string out = calibration::fitted_parameter_file(fit, files);
    CHECK(calibration::read_parameter(kHopper, out, "gemm_fp8.peak_fraction") == doctest::Approx(0.80).epsilon(0.01));
    CHECK(out.find("fitted by `tcsim calibrate --train synthetic --params gemm_fp8.peak_fraction,gemm_fp8.k_half`") !=
          std::string::npos);
    CHECK(out.find("leave-one-out MAPE") != std::string::npos);
    CHECK(out.find("g0, g1, g2") != std::string::npos);
}

TEST_CASE("a_parameter_that_moves_one_record_is_refused") {
    // Two records, one FP8 and one BF16: the FP8 curve's peak would be the FP8 record's own knob.
    config::DiskFiles disk;
    calibration::OverlayFiles files(disk);
    const std::string text = R"(set = "two"
title = "t"
source = "test"
[[record]]
id = "fp8"
kind = "gemm"
cluster = "../topologies/deepseek-v3-h800.toml"
m = 4096
n = 4096
k = 4096
dtype = "fp8"
source = "s"
confidence = "c"
[[record.published]]
metric = "gemm_throughput"
value = "1000 TFLOP/s"
tolerance = 0.1
[[record]]
id = "bf16"
kind = "gemm"
cluster = "../topologies/deepseek-v3-h800.toml"
m = 4096
n = 4096
k = 4096
dtype = "bf16"
source = "s"
confidence = "c"
[[record.published]]
metric = "gemm_throughput"
value = "600 TFLOP/s"
tolerance = 0.1
)";
    files.replace(kRoot + "/calibrations/two.toml", text);
    const auto set = calibration::load_calibration_set(files, kRoot + "/calibrations/two.toml");
    CHECK_THROWS_AS((void)calibration::fit_parameters({set}, files, kHopper, {"gemm_fp8.peak_fraction"}),
                    std::invalid_argument);
    // With as many parameters as records there is nothing left to test the fit on.
    CHECK_THROWS_AS((void)calibration::fit_parameters({set}, files, kHopper, {"gemm_bf16.peak_fraction", "memory"}),
                    std::invalid_argument);
}
