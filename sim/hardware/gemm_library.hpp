// Which kernels run a workload's FP8 GEMMs.
//
// cuBLAS(Lt) is what frameworks call (Transformer Engine and torch._scaled_mm, hence
// Megatron-Core, NeMo and torchtitan) and what MAMF's shape sweep measures; DeepGEMM is
// DeepSeek's own, with fine-grained scaling (DeepSeek-V3, arXiv:2412.19437 sec. 3.3;
// github.com/deepseek-ai/DeepGEMM). Both follow one shape curve (hardware/efficiency.hpp); the
// best shape each has reached, its ceiling, is its own.
#pragma once

#include <string_view>

namespace tcsim::hardware {

enum class GemmLibrary { cublas, deepgemm };

constexpr std::string_view to_string(GemmLibrary l) { return l == GemmLibrary::deepgemm ? "deepgemm" : "cublas"; }

} // namespace tcsim::hardware
