#include "compute/compute_model.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace tcsim::compute {

using hardware::Dtype;

namespace {
double saturation(double x, double half) { return half <= 0 ? 1.0 : x / (x + half); }
} // namespace

ComputeModel::ComputeModel(const hardware::GpuSpec& gpu, const hardware::ComputeEfficiency& efficiency,
                           double reserved_fraction, Conditions conditions)
    : gpu_(gpu), eff_(efficiency), sustained_(conditions == Conditions::training ? efficiency.sustained : 1.0) {
    if (!(reserved_fraction >= 0.0 && reserved_fraction < 1.0))
        throw std::invalid_argument("the fraction of compute units reserved for communication (" +
                                    std::to_string(reserved_fraction) + ") must leave some for compute on " + gpu.name);
    sm_fraction_ = 1.0 - reserved_fraction;
}

double ComputeModel::gemm_efficiency(const GemmShape& s, Dtype dtype) const {
    // Block-scaled MXFP8/NVFP4 GEMMs take the FP8 curve against their own peak: no per-shape
    // measurements of them are calibrated yet (an approximation, README "What is approximated").
    const bool eight_bit_curve = dtype == Dtype::fp8 || hardware::is_block_scaled(dtype);
    const hardware::GemmEfficiency& g = eight_bit_curve ? eff_.gemm_fp8 : eff_.gemm_bf16;
    // The separable form keeps its order of products, so its figures stay bit for bit.
    const double shape = g.mn_half > 0 ? g.peak_fraction * saturation(s.m * s.n, g.mn_half)
                                       : g.peak_fraction * saturation(s.m, g.m_half) * saturation(s.n, g.n_half);
    return std::min(g.ceiling, shape * saturation(s.k, g.k_half));
}

units::Seconds ComputeModel::kernel_time(const Kernel& k) const {
    double fraction = 0.0;
    switch (k.cls) {
    case OpClass::gemm:
    case OpClass::grouped_gemm: fraction = gemm_efficiency(k.shape, k.dtype); break;
    case OpClass::attention_forward: fraction = eff_.attention_forward; break;
    case OpClass::attention_backward: fraction = eff_.attention_backward; break;
    case OpClass::elementwise:
    case OpClass::optimizer: fraction = 0.0; break;
    }
    double seconds = 0.0;
    if (k.flops.value() > 0 && fraction > 0) {
        const double peak = gpu_.peak(k.dtype).value();
        if (peak <= 0)
            throw std::invalid_argument(gpu_.name + " has no " + std::string(hardware::to_string(k.dtype)) + " peak");
        seconds = k.flops.value() / (peak * fraction * sm_fraction_ * sustained_);
    }
    const double memory = k.bytes.value() / (gpu_.hbm_bandwidth.value() * eff_.memory);
    return units::Seconds(std::max(seconds, memory) + eff_.kernel_launch.count());
}

units::Seconds ComputeModel::block_time(const ComputeBlock& block) const {
    units::Seconds total{0.0};
    for (const auto& k : block.kernels) total += kernel_time(k);
    return total;
}

} // namespace tcsim::compute
