// What a kernel is, as the compute model prices it: its class, shape, FLOPs, HBM bytes and
// dtype. Whoever issues compute (a training step's layers, a serving batch) describes its work
// in these terms; the compute model turns them into time (compute_model.hpp).
//
// Identical kernel sequences (a layer's forward for any micro-batch) are one `ComputeBlock`,
// priced once by whoever holds it.
#pragma once

#include "hardware/dtype.hpp"
#include "units/quantity.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace tcsim::compute {

enum class OpClass {
    gemm,              ///< dense matrix multiply against weights
    grouped_gemm,      ///< one launch over several experts' GEMMs (MoE)
    attention_forward, ///< flash-attention style fused kernel
    attention_backward,
    elementwise, ///< norms, activations, residual adds, quantisation, permutations
    optimizer,   ///< the parameter update
};

/// C[m x n] = A[m x k] * B[k x n], repeated `groups` times (grouped GEMM).
struct GemmShape {
    double m = 0, n = 0, k = 0;
    int groups = 1;
};

/// What a kernel computes, where recomputation policies need to know it.
enum class KernelRole : std::uint8_t {
    other,
    norm,
    mla_up_proj,
    moe_act,
    mlp,
    attention_scores, ///< a GEMM between activations (unfused attention): no weights, no weight gradient
};

struct Kernel {
    OpClass cls = OpClass::elementwise;
    KernelRole role = KernelRole::other;
    units::Flops flops;
    units::Bytes bytes; ///< HBM traffic (reads + writes)
    hardware::Dtype dtype = hardware::Dtype::bf16;
    GemmShape shape; ///< GEMM classes only
};

/// A named sequence of kernels run back to back on one compute stream.
struct ComputeBlock {
    std::string name;
    std::vector<Kernel> kernels;
};

} // namespace tcsim::compute
