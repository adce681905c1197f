// Numeric formats that set a GPU's peak rate and an operand's size.
//
// Block-scaled formats carry a scale per small block of elements beside the elements, and a GEMM
// reads both; their size per element (`bytes_per_element`) therefore includes the scales:
// - MXFP8 (OCP Microscaling Formats (MX) Specification v1.0, Sep 2023, Sec 5 and Table 1): FP8
//   E4M3 elements in blocks of 32 sharing one 8-bit E8M0 scale: 1 + 1/32 bytes per element.
// - NVFP4 (NVIDIA Blackwell architecture technical brief, 2024; NVIDIA technical blog
//   "Introducing NVFP4 for Efficient and Accurate Low-Precision Inference", 2025): FP4 E2M1
//   elements (half a byte) in blocks of 16 sharing one FP8 E4M3 scale, plus one FP32 scale per
//   tensor: 1/2 + 1/16 bytes per element, and 4 bytes per tensor (counted where a tensor is
//   quantised, see `tensor_scale_bytes`).
// Plain FP8 is E4M3/E5M2 with its scales chosen by the recipe (per tensor in Transformer
// Engine's delayed scaling, one FP32 per 1x128 tile in DeepSeek-V3), so they are not part of
// the format here; whoever uses FP8 adds its recipe's scales.
#pragma once

#include <optional>
#include <string_view>

namespace tcsim::hardware {

/// Tensor-core input formats. FP16 shares BF16's peak on every GPU we model, so it is folded
/// into `bf16`.
enum class Dtype { fp8, bf16, tf32, fp32, mxfp8, nvfp4 };

/// Number of Dtype values (the size of a per-dtype table such as a GPU's peaks).
inline constexpr int kDtypeCount = 6;

constexpr std::string_view to_string(Dtype d) {
    switch (d) {
    case Dtype::fp8: return "fp8";
    case Dtype::bf16: return "bf16";
    case Dtype::tf32: return "tf32";
    case Dtype::fp32: return "fp32";
    case Dtype::mxfp8: return "mxfp8";
    case Dtype::nvfp4: return "nvfp4";
    }
    return "?";
}

/// Whether the format carries per-block scales of its own (MXFP8, NVFP4).
constexpr bool is_block_scaled(Dtype d) { return d == Dtype::mxfp8 || d == Dtype::nvfp4; }

/// Elements sharing one block scale (0: no block scales).
constexpr int scale_block(Dtype d) {
    switch (d) {
    case Dtype::mxfp8: return 32; // OCP MX v1.0 Table 1: k = 32
    case Dtype::nvfp4: return 16; // NVFP4: 16-element micro-blocks
    default: return 0;
    }
}

/// Bytes of one element without scales.
constexpr double element_bytes(Dtype d) {
    switch (d) {
    case Dtype::fp8: return 1.0;
    case Dtype::bf16: return 2.0;
    case Dtype::tf32: return 4.0; // TF32 operands live in FP32 registers and memory
    case Dtype::fp32: return 4.0;
    case Dtype::mxfp8: return 1.0; // E4M3
    case Dtype::nvfp4: return 0.5; // E2M1
    }
    return 4.0;
}

/// Bytes of block scale per element: MXFP8 one E8M0 byte per 32, NVFP4 one E4M3 byte per 16.
constexpr double block_scale_bytes_per_element(Dtype d) { return scale_block(d) > 0 ? 1.0 / scale_block(d) : 0.0; }

/// Bytes of scale per tensor beyond the block scales: NVFP4's FP32 second-level scale.
constexpr double tensor_scale_bytes(Dtype d) { return d == Dtype::nvfp4 ? 4.0 : 0.0; }

/// Bytes per element as stored in memory and moved by a kernel, block scales included.
constexpr double bytes_per_element(Dtype d) { return element_bytes(d) + block_scale_bytes_per_element(d); }

constexpr std::optional<Dtype> dtype_from_string(std::string_view s) {
    if (s == "fp8") return Dtype::fp8;
    if (s == "bf16" || s == "fp16") return Dtype::bf16;
    if (s == "tf32") return Dtype::tf32;
    if (s == "fp32") return Dtype::fp32;
    if (s == "mxfp8") return Dtype::mxfp8;
    if (s == "nvfp4") return Dtype::nvfp4;
    return std::nullopt;
}

} // namespace tcsim::hardware
