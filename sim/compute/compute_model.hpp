// How long compute takes on one GPU: a roofline per kernel with per-class efficiencies.
//
// Contract: kernel_time(k) = max(FLOP time, memory time) + launch overhead, where
//   FLOP time   = flops / (dtype peak x efficiency(class, shape) x (1 - reserved fraction)
//                          x sustained, in training)
//   memory time = bytes / (HBM bandwidth x memory efficiency).
// GEMMs use the shape-dependent curve of GemmEfficiency (FP8 or BF16 by the kernel's dtype;
// TF32/FP32 GEMMs use the BF16 curve against their own peak); attention uses the calibrated
// fraction of the attention dtype's peak; element-wise and optimizer kernels are memory-bound.
// Compute units reserved for overlapped communication (ParallelSpec::compute_units_held(),
// DeepSeek-V3 Sec 3.2.2: 20 of 132 SMs) slow compute-bound kernels in proportion, and in
// training they keep only the `sustained` fraction of their microbenchmark rates. Pure and
// deterministic.
#pragma once

#include "compute/kernel.hpp"
#include "hardware/efficiency.hpp"
#include "hardware/gpu_spec.hpp"

namespace tcsim::compute {

/// Where a kernel runs: a training step, or a standalone benchmark of the kernel.
enum class Conditions { training, microbenchmark };

class ComputeModel {
public:
    /// `conditions`: in training, compute-bound kernels run at the `sustained` fraction of their
    /// microbenchmark rates; a microbenchmark (a calibration record of one GEMM) runs at them.
    ComputeModel(const hardware::GpuSpec& gpu, const hardware::ComputeEfficiency& efficiency,
                 double reserved_fraction = 0.0, Conditions conditions = Conditions::training);

    /// Fraction of the dtype's dense peak a GEMM of this shape reaches in a microbenchmark.
    [[nodiscard]] double gemm_efficiency(const GemmShape& shape, hardware::Dtype dtype) const;

    [[nodiscard]] units::Seconds kernel_time(const Kernel& kernel) const;
    [[nodiscard]] units::Seconds block_time(const ComputeBlock& block) const;

private:
    hardware::GpuSpec gpu_;
    hardware::ComputeEfficiency eff_;
    double sm_fraction_ = 1.0;
    double sustained_ = 1.0;
};

} // namespace tcsim::compute
