// Calibrated efficiency parameters: how far below datasheet peaks real kernels and links run.
//
// These are a type of their own, apart from the models that use them, so that calibration can
// fit and replace them. Every value comes from a parameter file that records its provenance.
#pragma once

#include "hardware/gemm_library.hpp"
#include "units/quantity.hpp"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace tcsim::hardware {

/// GEMM efficiency as a function of shape: eff(m, n, k) = min(ceiling, peak_fraction *
/// s(m; m_half) * s(n; n_half) * s(k; k_half)), with s(x; x0) = x / (x + x0). Large GEMMs
/// approach peak_fraction; a dimension comparable to its half-saturation constant halves
/// efficiency; no shape beats the best one a shape sweep measured (the ceiling).
/// The output-tile form (mn_half > 0) replaces s(m) s(n) by s(m n; mn_half): what fills the SMs
/// is the number of output tiles, so a short M is made up by a wide N (fitted on XLA's B200
/// shape table, calibrations/xla-gemm-b200-*.toml, where it halves the separable form's error).
struct GemmEfficiency {
    double peak_fraction = 0.0; ///< asymptote of the shape curve, a fraction of the dtype's dense peak
    double m_half = 0.0;        ///< separable form; unused when mn_half > 0
    double n_half = 0.0;        ///< separable form; unused when mn_half > 0
    double k_half = 0.0;
    double ceiling = 1.0; ///< best fraction any shape reached in a shape sweep (MAMF); 1: none.
                          ///< TF32/FP32 GEMMs, on the BF16 curve, share the BF16 ceiling
    /// FP8 only: the best fraction DeepSeek's DeepGEMM kernels (fine-grained scaling, their own
    /// kernels) reached, where it differs from the cuBLAS ceiling above; none: the same.
    std::optional<double> deepgemm_ceiling;
    /// The output-tile form: output elements (m n) at half efficiency, in place of m_half and
    /// n_half; 0: the separable form.
    double mn_half = 0.0;
};


struct ComputeEfficiency {
    GemmEfficiency gemm_fp8;
    GemmEfficiency gemm_bf16;
    double attention_forward = 0.0;    ///< flash-attention forward, fraction of BF16 dense peak
    double attention_backward = 0.0;   ///< flash-attention backward, fraction of BF16 dense peak
    double memory = 0.0;               ///< achievable fraction of HBM bandwidth for streaming kernels
    units::Seconds kernel_launch{0.0}; ///< fixed cost per kernel
    /// Fraction of its microbenchmark rate (the GEMM curves, the attention fractions) that a
    /// compute-bound kernel keeps in sustained training: clocks under the power cap for hours,
    /// not seconds, and whatever else a standalone benchmark leaves out. Memory-bound kernels
    /// are not scaled (HBM bandwidth does not follow the SM clock).
    double sustained = 1.0;
    std::string source;

    /// These parameters as `library` runs FP8 GEMMs: its ceiling on the FP8 curve.
    [[nodiscard]] ComputeEfficiency for_fp8_library(GemmLibrary library) const {
        ComputeEfficiency out = *this;
        if (library == GemmLibrary::deepgemm && gemm_fp8.deepgemm_ceiling)
            out.gemm_fp8.ceiling = *gemm_fp8.deepgemm_ceiling;
        return out;
    }
};

/// NVLink SHARP (NVLS) all-reduce inside an NVSwitch domain: in-switch reduction, S(1 + 1/n)
/// up and down each GPU's NVLink.
struct NvlsEfficiency {
    double nvlink = 0.0;         ///< fraction of NVLink line rate NVLS traffic reaches
    units::Seconds latency{0.0}; ///< fixed cost of one NVLS all-reduce
};

/// DeepEP's expert dispatch/combine kernels, calibrated on their own benchmarks (they do not run
/// at NCCL's link efficiencies).
struct DeepEpEfficiency {
    double nvlink = 0.0;                      ///< fraction of NVLink line rate (normal and low-latency kernels)
    double network = 0.0;                     ///< fraction of NIC line rate for the RDMA legs
    units::Seconds low_latency_overhead{0.0}; ///< fixed cost of a low-latency dispatch or combine
};

/// Achievable fraction of a link's line rate for bulk collective traffic (NCCL's ring kernels),
/// by link class (hardware/link_class.hpp), and the algorithm-specific calibrations.
struct LinkEfficiency {
    /// By link class name, as the efficiency file's [links] table gives them: one entry per
    /// contended class the file calibrates (today "nvlink": NVLink/NVSwitch inside a node, and
    /// "network": NIC line rate across the scale-out fabric).
    std::map<std::string, double, std::less<>> fractions;
    /// Present exactly for GPUs whose NVSwitch reduces in the switch (hardware::supports_nvls).
    std::optional<NvlsEfficiency> nvls;
    DeepEpEfficiency deepep;
    std::string source;

    /// The fraction of class `cls`, if the data gives one.
    [[nodiscard]] std::optional<double> find_fraction(std::string_view cls) const;
    /// The fraction of class `cls`; throws std::invalid_argument naming the class when the data
    /// gives none.
    [[nodiscard]] double fraction(std::string_view cls) const;
    /// Records the fraction of a link class; throws std::invalid_argument naming `cls` when the
    /// catalog does not know it or when it is not contended (it takes no fraction).
    void set_fraction(std::string_view cls, double fraction);
};

struct EfficiencyParameters {
    ComputeEfficiency compute;
    LinkEfficiency links;
    /// Non-empty when the family has no component benchmarks of its own and these parameters are
    /// another family's (the efficiency file's `assumed_from`): what was borrowed, from which
    /// file, and why, in words every report prints as a warning.
    std::string borrowed;
};

} // namespace tcsim::hardware
