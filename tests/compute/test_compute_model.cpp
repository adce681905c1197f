// The compute model against published kernel measurements: DeepGEMM FP8 GEMMs on H800
// (github.com/deepseek-ai/DeepGEMM README @55ab91f, rows deepgemm-* of the component benchmarks)
// with the shipped Hopper efficiency file. Tolerance 10%: the fitted curve's worst row is 7.7%.
#include "compute/compute_model.hpp"
#include "config/config_files.hpp"
#include "config/load_efficiency.hpp"
#include "config/load_gpu_catalog.hpp"
#include "hardware/dtype.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <string>

using namespace tcsim;

namespace {

struct Row {
    const char* id;
    double m, n, k;
    int groups;
    double tflops;
};

// Copied from the DeepGEMM README table (H800 SXM5, NVCC 12.8).
constexpr Row kDeepGemm[] = {
    {"deepgemm-dense-64x2112x7168", 64, 2112, 7168, 1, 206},
    {"deepgemm-dense-128x7168x16384", 128, 7168, 16384, 1, 645},
    {"deepgemm-dense-4096x2112x7168", 4096, 2112, 7168, 1, 1009},
    {"deepgemm-dense-4096x24576x1536", 4096, 24576, 1536, 1, 1125},
    {"deepgemm-dense-4096x32768x512", 4096, 32768, 512, 1, 751},
    {"deepgemm-dense-4096x7168x16384", 4096, 7168, 16384, 1, 1426},
    {"deepgemm-dense-4096x4096x7168", 4096, 4096, 7168, 1, 1265},
    {"deepgemm-dense-4096x7168x2048", 4096, 7168, 2048, 1, 1168},
    {"deepgemm-grouped-contig-8192x4096x7168", 8192, 4096, 7168, 4, 1346},
    {"deepgemm-grouped-contig-8192x7168x2048", 8192, 7168, 2048, 4, 1214},
    {"deepgemm-grouped-masked-1024x4096x7168", 1024, 4096, 7168, 1, 1233},
    {"deepgemm-grouped-masked-256x7168x2048", 256, 7168, 2048, 4, 815},
};

/// A GEMM kernel as the layers build one: inputs in `dtype`, BF16 output.
compute::Kernel gemm(double m, double n, double k, int groups, hardware::Dtype dtype) {
    compute::Kernel g;
    g.cls = groups > 1 ? compute::OpClass::grouped_gemm : compute::OpClass::gemm;
    g.dtype = dtype;
    g.shape = {m, n, k, groups};
    g.flops = units::Flops(2.0 * m * n * k * groups);
    g.bytes = units::Bytes(groups * ((m * k + k * n) * hardware::bytes_per_element(dtype) + m * n * 2.0));
    return g;
}

compute::Kernel fp8_gemm(const Row& r) { return gemm(r.m, r.n, r.k, r.groups, hardware::Dtype::fp8); }

} // namespace

TEST_CASE("DeepGEMM FP8 rows on H800 are reproduced within 10%") {
    const config::DiskFiles files;
    const auto catalog = config::load_gpu_catalog(files, "topologies/gpus.toml");
    const auto efficiency = config::load_efficiency(files, "topologies/efficiency/hopper.toml");
    // DeepGEMM's rows are standalone benchmarks: no sustained-training derating.
    const compute::ComputeModel model(catalog.find("H800-SXM"), efficiency.compute, 0,
                                      compute::Conditions::microbenchmark);
    double worst = 0;
    for (const Row& r : kDeepGemm) {
        const auto k = fp8_gemm(r);
        const double tflops = k.flops.value() / model.kernel_time(k).count() / 1e12;
        const double error = tflops / r.tflops - 1.0;
        CAPTURE(r.id);
        CAPTURE(tflops);
        CHECK(std::abs(error) < 0.10);
        worst = std::max(worst, std::abs(error));
    }
    MESSAGE("worst DeepGEMM row error: " << worst * 100 << " %");
}

TEST_CASE("roofline: small GEMMs are memory-bound, large ones compute-bound, reserved SMs slow compute") {
    const config::DiskFiles files;
    const auto catalog = config::load_gpu_catalog(files, "topologies/gpus.toml");
    const auto efficiency = config::load_efficiency(files, "topologies/efficiency/hopper.toml");
    const auto& gpu = catalog.find("H800-SXM");
    const compute::ComputeModel all(gpu, efficiency.compute, 0);
    const compute::ComputeModel reserved(gpu, efficiency.compute, 20.0 / 132.0);
    const auto big = fp8_gemm(kDeepGemm[5]);
    // 20 of 132 SMs reserved for communication (DeepSeek-V3 Sec 3.2.2): compute-bound time scales by 132/112.
    const double launch = efficiency.compute.kernel_launch.count();
    CHECK((reserved.kernel_time(big).count() - launch) / (all.kernel_time(big).count() - launch) ==
          doctest::Approx(132.0 / 112.0).epsilon(1e-9));
    // An element-wise kernel costs its bytes at the achievable HBM bandwidth.
    compute::Kernel copy;
    copy.cls = compute::OpClass::elementwise;
    copy.bytes = units::Bytes(1e9);
    CHECK(all.kernel_time(copy).count() ==
          doctest::Approx(1e9 / (gpu.hbm_bandwidth.value() * efficiency.compute.memory) + launch));
    // Efficiency grows with every dimension.
    CHECK(all.gemm_efficiency({4096, 4096, 4096, 1}, hardware::Dtype::fp8) >
          all.gemm_efficiency({4096, 4096, 512, 1}, hardware::Dtype::fp8));
    CHECK_THROWS(compute::ComputeModel(gpu, efficiency.compute, 1.0));
    CHECK_THROWS(compute::ComputeModel(gpu, efficiency.compute, -0.1));
}

TEST_CASE("sustained training keeps a fraction of the benchmark rate for compute-bound kernels only") {
    const config::DiskFiles files;
    const auto catalog = config::load_gpu_catalog(files, "topologies/gpus.toml");
    auto efficiency = config::load_efficiency(files, "topologies/efficiency/hopper.toml").compute;
    efficiency.sustained = 0.5;
    const auto& gpu = catalog.find("H800-SXM");
    const compute::ComputeModel training(gpu, efficiency, 0);
    const compute::ComputeModel bench(gpu, efficiency, 0, compute::Conditions::microbenchmark);
    const double launch = efficiency.kernel_launch.count();
    const auto big = fp8_gemm(kDeepGemm[5]);
    CHECK((training.kernel_time(big).count() - launch) / (bench.kernel_time(big).count() - launch) ==
          doctest::Approx(2.0).epsilon(1e-9));
    compute::Kernel attention;
    attention.cls = compute::OpClass::attention_forward;
    attention.dtype = hardware::Dtype::bf16;
    attention.flops = units::Flops(1e13);
    CHECK(training.kernel_time(attention).count() - launch ==
          doctest::Approx(1e13 / (gpu.peak(hardware::Dtype::bf16).value() * efficiency.attention_forward * 0.5)));
    // A memory-bound kernel does not follow the SM clock.
    compute::Kernel copy;
    copy.cls = compute::OpClass::elementwise;
    copy.bytes = units::Bytes(1e9);
    CHECK(training.kernel_time(copy).count() == doctest::Approx(bench.kernel_time(copy).count()));
}

TEST_CASE("no GEMM shape beats the ceiling a shape sweep measured") {
    const config::DiskFiles files;
    const auto catalog = config::load_gpu_catalog(files, "topologies/gpus.toml");
    const auto efficiency = config::load_efficiency(files, "topologies/efficiency/hopper.toml").compute;
    const compute::ComputeModel model(catalog.find("H100-SXM"), efficiency, 0);
    const auto& g = efficiency.gemm_bf16;
    REQUIRE(g.ceiling == doctest::Approx(794.5 / 989.4).epsilon(0.002)); // MAMF's best H100 BF16 shape
    // Llama 3.1 405B's FFN up-projection under TP8 (8,192 x 13,312 x 16,384): the curve alone exceeds it.
    const double curve =
        g.peak_fraction * 8192 / (8192 + g.m_half) * 13312 / (13312 + g.n_half) * 16384 / (16384 + g.k_half);
    REQUIRE(curve > g.ceiling);
    CHECK(model.gemm_efficiency({8192, 13312, 16384, 1}, hardware::Dtype::bf16) == g.ceiling);
    // Below the ceiling the curve is untouched: the QKV projection (N = 2,304).
    const double qkv =
        g.peak_fraction * 8192 / (8192 + g.m_half) * 2304 / (2304 + g.n_half) * 16384 / (16384 + g.k_half);
    REQUIRE(qkv < g.ceiling);
    CHECK(model.gemm_efficiency({8192, 2304, 16384, 1}, hardware::Dtype::bf16) == doctest::Approx(qkv));
}

TEST_CASE("an FP8 GEMM's best shape is its kernels': cuBLAS as frameworks call it, or DeepGEMM") {
    const config::DiskFiles files;
    const auto catalog = config::load_gpu_catalog(files, "topologies/gpus.toml");
    const auto efficiency = config::load_efficiency(files, "topologies/efficiency/hopper.toml").compute;
    const auto& g = efficiency.gemm_fp8;
    // MAMF's best H100 SXM FP8 shape (torch FP8 matmul, cuBLASLt) and DeepGEMM's "up to 1550
    // TFLOPS on H800", each of the 1,979 TFLOP/s dense FP8 peak.
    REQUIRE(g.ceiling == doctest::Approx(1402.6 / 1979).epsilon(0.002));
    REQUIRE(g.deepgemm_ceiling.has_value());
    REQUIRE(*g.deepgemm_ceiling == doctest::Approx(1550.0 / 1979).epsilon(0.002));
    const compute::ComputeModel cublas(catalog.find("H100-SXM"), efficiency, 0);
    const compute::ComputeModel deepgemm(catalog.find("H100-SXM"),
                                         efficiency.for_fp8_library(hardware::GemmLibrary::deepgemm), 0);
    const auto curve = [&](double m, double n, double k) {
        return g.peak_fraction * m / (m + g.m_half) * n / (n + g.n_half) * k / (k + g.k_half);
    };
    // Llama 3.1 405B's FFN up-projection under TP8: the curve alone is above both ceilings.
    REQUIRE(curve(8192, 13312, 16384) > *g.deepgemm_ceiling);
    CHECK(cublas.gemm_efficiency({8192, 13312, 16384, 1}, hardware::Dtype::fp8) == g.ceiling);
    CHECK(deepgemm.gemm_efficiency({8192, 13312, 16384, 1}, hardware::Dtype::fp8) == *g.deepgemm_ceiling);
    // Between them (DeepGEMM's own best table row, 4096 x 7168 x 16384): cuBLAS capped, DeepGEMM on the curve.
    const double row = curve(4096, 7168, 16384);
    REQUIRE(row > g.ceiling);
    REQUIRE(row < *g.deepgemm_ceiling);
    CHECK(cublas.gemm_efficiency({4096, 7168, 16384, 1}, hardware::Dtype::fp8) == g.ceiling);
    CHECK(deepgemm.gemm_efficiency({4096, 7168, 16384, 1}, hardware::Dtype::fp8) == doctest::Approx(row));
    // Below both, one curve: a small-M GEMM is the same for either.
    CHECK(cublas.gemm_efficiency({64, 2112, 7168, 1}, hardware::Dtype::fp8) ==
          doctest::Approx(curve(64, 2112, 7168)));
    CHECK(deepgemm.gemm_efficiency({64, 2112, 7168, 1}, hardware::Dtype::fp8) ==
          doctest::Approx(curve(64, 2112, 7168)));
    // BF16 GEMMs do not depend on the FP8 kernels.
    CHECK(deepgemm.gemm_efficiency({8192, 13312, 16384, 1}, hardware::Dtype::bf16) == efficiency.gemm_bf16.ceiling);
    // A file without a DeepGEMM figure (Blackwell's, from MAMF's GB200) keeps its one ceiling for both.
    auto one = efficiency;
    one.gemm_fp8.deepgemm_ceiling.reset();
    CHECK(one.for_fp8_library(hardware::GemmLibrary::deepgemm).gemm_fp8.ceiling == g.ceiling);
}

TEST_CASE("the output-tile GEMM curve: what fills the SMs is M x N, whichever way it is shaped") {
    const config::DiskFiles files;
    const auto catalog = config::load_gpu_catalog(files, "topologies/gpus.toml");
    const auto efficiency = config::load_efficiency(files, "topologies/efficiency/blackwell.toml").compute;
    const compute::ComputeModel model(catalog.find("B200"), efficiency, 0, compute::Conditions::microbenchmark);
    const auto& g = efficiency.gemm_bf16;
    REQUIRE(g.mn_half > 0);
    const auto eff = [&](double m, double n, double k) {
        return model.gemm_efficiency({m, n, k, 1}, hardware::Dtype::bf16);
    };
    // The same output area, however it is split between M and N, and K's own factor.
    CHECK(eff(256, 4096, 1024) == doctest::Approx(eff(1024, 1024, 1024)));
    CHECK(eff(4096, 256, 1024) == doctest::Approx(eff(2048, 512, 1024)));
    CHECK(eff(1024, 1024, 1024) ==
          doctest::Approx(g.peak_fraction * (1024.0 * 1024) / (1024.0 * 1024 + g.mn_half) * 1024 / (1024 + g.k_half)));
    // More output or a longer K is never slower, and the ceiling holds at the largest shapes.
    CHECK(eff(2048, 2048, 1024) > eff(1024, 2048, 1024));
    CHECK(eff(2048, 2048, 2048) > eff(2048, 2048, 1024));
    CHECK(eff(16384, 16384, 16384) == doctest::Approx(g.ceiling));
    // XLA's measured B200 table (calibrations/xla-gemm-b200-bf16.toml; xla @71feeddf7c sm_100):
    // 2048 x 2048 x 2048 at 985.8 TFLOP/s and 1024 x 4096 x 2048, the same output area, at 981.3;
    // the curve is within their 10 % tolerance.
    const auto tflops = [&](double m, double n, double k) {
        const compute::Kernel kernel = gemm(m, n, k, 1, hardware::Dtype::bf16);
        return kernel.flops.value() / model.kernel_time(kernel).count() / 1e12;
    };
    CHECK(std::abs(tflops(2048, 2048, 2048) / 985.8 - 1) < 0.10);
    CHECK(std::abs(tflops(1024, 4096, 2048) / 981.3 - 1) < 0.10);
}
