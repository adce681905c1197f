// Calibrated efficiency parameters: how far below datasheet peaks real kernels and links run.
//
// These are a type of their own, apart from the models that use them, so that calibration can
// fit and replace them. Every value comes from a parameter file that records its provenance.
#pragma once

#include "units/quantity.hpp"

#include <string>

namespace tcsim::hardware {

/// GEMM efficiency as a function of shape: eff(m, n, k) = peak_fraction * s(m; m_half) *
/// s(n; n_half) * s(k; k_half), with s(x; x0) = x / (x + x0). Large GEMMs approach
/// peak_fraction; a dimension comparable to its half-saturation constant halves efficiency.
struct GemmEfficiency {
    double peak_fraction = 0.0; ///< best achievable fraction of the dtype's dense peak
    double m_half = 0.0;
    double n_half = 0.0;
    double k_half = 0.0;
};

struct ComputeEfficiency {
    GemmEfficiency gemm_fp8;
    GemmEfficiency gemm_bf16;
    double attention_forward = 0.0;  ///< flash-attention forward, fraction of BF16 dense peak
    double attention_backward = 0.0; ///< flash-attention backward, fraction of BF16 dense peak
    double memory = 0.0;             ///< achievable fraction of HBM bandwidth for streaming kernels
    units::Seconds kernel_launch{0.0};  ///< fixed cost per kernel
    std::string source;
};

/// Achievable fraction of a link's line rate for bulk collective traffic.
struct LinkEfficiency {
    double nvlink = 0.0;     ///< NVLink/NVSwitch inside a node
    double network = 0.0;    ///< NIC line rate across the scale-out fabric
    std::string source;
};

struct EfficiencyParameters {
    ComputeEfficiency compute;
    LinkEfficiency links;
};

} // namespace tcsim::hardware
