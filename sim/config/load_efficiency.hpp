// Loads calibrated efficiency parameters (topologies/efficiency/*.toml).
//
// Format: every parameter is an inline table holding its value and where it comes from:
//     name = "Hopper (H100, H800, H200)"
//     attention_forward = { value = 0.60, source = "..." }   # fraction of the BF16 dense peak
//     attention_backward = { value = 0.45, source = "..." }
//     memory = { value = 0.90, source = "..." }              # fraction of HBM bandwidth
//     kernel_launch = { value = "4 us", source = "..." }
//     sustained = { value = 0.78, source = "..." }           # of benchmark rates, in training
//     [gemm_bf16]                                            # required
//     peak_fraction = { value = 0.80, source = "..." }       # asymptote of the shape curve
//     ceiling = { value = 0.80, source = "..." }             # optional: best measured shape
//     m_half = { value = 128, source = "..." }               # also n_half, k_half; or instead of
//     mn_half = { value = 1.3e6, source = "..." }            #   m_half and n_half, the output-tile form
//     [gemm_fp8]                                             # optional: absent = no FP8 GEMMs
//     ...                                                    # as [gemm_bf16]; ceiling: cuBLAS's best
//     deepgemm_ceiling = { value = 0.78, source = "..." }    # optional: DeepGEMM's best shape
//     [links]
//     nvlink = { value = 0.80, source = "..." }              # fraction of NVLink line rate
//     network = { value = 0.94, source = "..." }             # fraction of NIC line rate
//     [links.nvls]                                           # exactly for GPUs with NVLink SHARP
//     nvlink = { value = 0.69, source = "..." }              # fraction of NVLink line rate
//     latency = { value = "23 us", source = "..." }
//     [links.deepep]                                         # DeepEP's expert dispatch/combine
//     nvlink = { value = 0.68, source = "..." }
//     network = { value = 0.87, source = "..." }
//     low_latency_overhead = { value = "20 us", source = "..." }
// Contract: provenance is mandatory (a bare number is refused); fractions lie in (0, 1]; half-
// saturation constants are non-negative. The `source` of the result names the file and its
// `name`; the per-value sources stay in the file.
#pragma once

#include "config/config_files.hpp"
#include "hardware/efficiency.hpp"

#include <string>

namespace tcsim::config {

[[nodiscard]] hardware::EfficiencyParameters load_efficiency(const ConfigFiles& files, const std::string& path);

} // namespace tcsim::config
