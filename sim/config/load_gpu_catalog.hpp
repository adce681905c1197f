// Loads the GPU catalog (topologies/gpus.toml).
//
// Format: one table per GPU, keyed by its catalog name:
//     [gpu."H800-SXM"]
//     peak_fp8 = "1979 TFLOP/s"    # dense (no 2:4 sparsity); optional: absent = no FP8 tensor cores
//     peak_bf16 = "989.4 TFLOP/s"  # dense; FP16 shares it
//     peak_tf32 = "494.7 TFLOP/s"  # dense; optional: absent = no TF32 tensor cores
//     peak_fp32 = "67 TFLOP/s"     # non-tensor FP32
//     peak_mxfp8 = "4500 TFLOP/s"  # dense; optional: absent = no MXFP8 tensor cores (Blackwell has them)
//     peak_nvfp4 = "9000 TFLOP/s"  # dense; optional: absent = no NVFP4 tensor cores
//     hbm = "80 GB"
//     hbm_bandwidth = "3.35 TB/s"
//     nvlink = "400 GB/s"          # per GPU, both directions summed (datasheet convention)
//     tdp = "700 W"
//     sms = 132
//     source = "..."
// Contract: every value is checked (positive sizes and rates, known keys only); an absent
// optional peak becomes zero, meaning "unsupported". Errors throw ConfigError.
#pragma once

#include "config/config_files.hpp"
#include "hardware/gpu_catalog.hpp"

#include <string>

namespace tcsim::config {

[[nodiscard]] hardware::GpuCatalog load_gpu_catalog(const ConfigFiles& files, const std::string& path);

} // namespace tcsim::config
