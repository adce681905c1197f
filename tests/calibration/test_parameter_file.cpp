// Fitted values are written into the efficiency file in place: everything else in it (comments,
// other values and their sources) must survive (calibration/parameter_file.hpp).
#include "calibration/parameter_file.hpp"
#include "config/config_error.hpp"
#include "config/config_files.hpp"
#include "config/load_efficiency.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace tcsim;

namespace {

const std::string kFile = R"(# A comment that must survive – with a non-ASCII dash and µ.
name = "Test GPUs"
attention_forward = { value = 0.60, source = "FlashMLA – assumption" }
attention_backward = { value = 0.45, source = "assumption" }
memory = { value = 0.90, source = "measured" }
kernel_launch = { value = "4 us", source = "assumption" }
sustained = { value = 0.8, source = "fitted" }

[gemm_bf16]
peak_fraction = { value = 0.87, source = "MAMF" }
m_half = { value = 128, source = "placeholder" }   # trailing comment
n_half = { value = 128, source = "placeholder" }
k_half = { value = 128, source = "placeholder" }

[links]
nvlink = { value = 0.78, source = "nccl-tests" }
network = { value = 0.94, source = "SimAI" }

[links.deepep]
nvlink = { value = 0.66, source = "DeepEP" }
network = { value = 0.87, source = "DeepEP" }
low_latency_overhead = { value = "20 us", source = "DeepEP" }
)";

} // namespace

TEST_CASE("reading_parameters_by_their_dotted_key") {
    CHECK(calibration::read_parameter("e.toml", kFile, "gemm_bf16.peak_fraction") == doctest::Approx(0.87));
    CHECK(calibration::read_parameter("e.toml", kFile, "links.network") == doctest::Approx(0.94));
    CHECK(calibration::read_parameter("e.toml", kFile, "kernel_launch") == doctest::Approx(4e-6));
    CHECK(calibration::read_parameter("e.toml", kFile, "links.deepep.low_latency_overhead") == doctest::Approx(20e-6));
}

TEST_CASE("writing_a_parameter_replaces_only_its_value_and_source") {
    std::string text =
        calibration::write_parameter("e.toml", kFile, "gemm_bf16.m_half", 512.5, "fitted on records a, b");
    text = calibration::write_parameter("e.toml", text, "attention_forward", 0.55, "fitted \"quoted\"");
    text = calibration::write_parameter("e.toml", text, "kernel_launch", 6.5e-6, "fitted");
    text = calibration::write_parameter("e.toml", text, "sustained", 0.75, "fitted on a, b");
    text =
        calibration::write_parameter("e.toml", text, "links.deepep.low_latency_overhead", 21.6e-6, "fitted on deepep");
    CHECK(text.find("# A comment that must survive – with a non-ASCII dash and µ.") != std::string::npos);
    CHECK(text.find("m_half = { value = 512.5, source = \"fitted on records a, b\" }   # trailing comment") !=
          std::string::npos);
    CHECK(text.find("n_half = { value = 128, source = \"placeholder\" }") != std::string::npos);
    CHECK(text.find("attention_forward = { value = 0.55, source = \"fitted \\\"quoted\\\"\" }") != std::string::npos);
    CHECK(text.find("kernel_launch = { value = \"6.5 us\", source = \"fitted\" }") != std::string::npos);
    // The result is still a valid efficiency file carrying the new values.
    config::EmbeddedFiles files;
    files.add("e.toml", text);
    const auto p = config::load_efficiency(files, "e.toml");
    CHECK(p.compute.gemm_bf16.m_half == doctest::Approx(512.5));
    CHECK(p.compute.attention_forward == doctest::Approx(0.55));
    CHECK(p.compute.kernel_launch.count() == doctest::Approx(6.5e-6));
    CHECK(p.compute.sustained == doctest::Approx(0.75));
    CHECK(p.compute.gemm_bf16.ceiling == 1.0); // absent: no ceiling
    CHECK(p.compute.gemm_bf16.n_half == doctest::Approx(128));
    CHECK(p.links.deepep.low_latency_overhead.count() == doctest::Approx(21.6e-6));
    CHECK(p.links.deepep.nvlink == doctest::Approx(0.66));
    CHECK(!p.links.nvls);
}

TEST_CASE("a_fit_candidate_is_written_with_every_digit_a_file_for_people_with_four") {
    const double x = 0.738421987654321;
    const std::string exact = calibration::write_parameter("e.toml", kFile, "gemm_bf16.peak_fraction", x, "candidate",
                                                           calibration::Digits::exact);
    CHECK(calibration::read_parameter("e.toml", exact, "gemm_bf16.peak_fraction") == x); // bit for bit
    const std::string shown = calibration::write_parameter("e.toml", kFile, "gemm_bf16.peak_fraction", x, "fitted");
    CHECK(shown.find("peak_fraction = { value = 0.7384,") != std::string::npos);
}

TEST_CASE("unknown_parameters_are_refused") {
    CHECK_THROWS_AS((void)calibration::read_parameter("e.toml", kFile, "gemm_bf16.x_half"), config::ConfigError);
    CHECK_THROWS_AS((void)calibration::read_parameter("e.toml", kFile, "gemm_fp8.peak_fraction"), config::ConfigError);
}
