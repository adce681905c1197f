// Numeric formats that set a GPU's peak rate and an operand's size.
#pragma once

#include <optional>
#include <string_view>

namespace tcsim::hardware {

/// Tensor-core input formats. FP16 shares BF16's peak on every GPU we model, so it is folded
/// into `bf16`.
enum class Dtype { fp8, bf16, tf32, fp32 };

constexpr std::string_view to_string(Dtype d) {
    switch (d) {
    case Dtype::fp8: return "fp8";
    case Dtype::bf16: return "bf16";
    case Dtype::tf32: return "tf32";
    case Dtype::fp32: return "fp32";
    }
    return "?";
}

/// Bytes per element as stored in memory (TF32 operands live in FP32 registers and memory).
constexpr double bytes_per_element(Dtype d) {
    switch (d) {
    case Dtype::fp8: return 1.0;
    case Dtype::bf16: return 2.0;
    case Dtype::tf32: return 4.0;
    case Dtype::fp32: return 4.0;
    }
    return 4.0;
}

constexpr std::optional<Dtype> dtype_from_string(std::string_view s) {
    if (s == "fp8") return Dtype::fp8;
    if (s == "bf16" || s == "fp16") return Dtype::bf16;
    if (s == "tf32") return Dtype::tf32;
    if (s == "fp32") return Dtype::fp32;
    return std::nullopt;
}

} // namespace tcsim::hardware
