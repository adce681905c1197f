// Loads tcsim's measured model uncertainty (topologies/model_uncertainty.toml, written by
// `tcsim validate --write-uncertainty`; calibration/error_distribution.hpp) into the factors the
// claim verdicts use (economics::ModelUncertainty).
//
// Format:
//     source = "..."
//     [[kind]]                 one per kind of prediction
//     name = "whole_run"       gemm, collective, expert_all_to_all, dense_step, moe_step,
//                              whole_run, post_training or serving; each at most once
//     values = 9               integer >= 1
//     sets = ["deepseek-v2", ...]
//     mean_abs_error = 0.267   >= 0
//     ratio_p10 = 0.728        published / tcsim; all ratios > 0 and
//     ratio_p50 = 1.05         ratio_min <= ratio_p10 <= ratio_p50 <= ratio_p90 <= ratio_max
//     ratio_p90 = 1.587
//     ratio_min = 0.514
//     ratio_max = 1.728
// Contract: the whole_run kind is required (the verdicts judge whole-run figures); the factors
// are low = min(1, ratio_p10), high = max(1, ratio_p90), and the basis names them, the count
// and the file. Unknown keys and kinds are refused with file:line and key.
#pragma once

#include "config/config_files.hpp"
#include "economics/claim_check.hpp"

#include <string>

namespace tcsim::config {

[[nodiscard]] economics::ModelUncertainty load_model_uncertainty(const ConfigFiles& files, const std::string& path);

} // namespace tcsim::config
