// The fittable parameters of an efficiency file (topologies/efficiency/*.toml), read and written
// in place in the file's text so that everything else in it (comments, order, other values and
// their sources) survives a fit.
//
// Names are the dotted keys of the file: attention_forward, attention_backward, memory,
// kernel_launch, sustained, gemm_bf16.{peak_fraction,ceiling,m_half,n_half,mn_half,k_half}, gemm_fp8.{...},
// links.nvlink, links.network, links.nvls.{nvlink,latency},
// links.deepep.{nvlink,network,low_latency_overhead}. Every one is an inline table { value = ..., source = "..." }
// (config/load_efficiency.hpp).
//
// Contract: read_parameter returns the value (kernel_launch in seconds); write_parameter returns
// the text with that one value and its source replaced (a fraction or size written as a number,
// durations as "N us"). Unknown names, and files where the name is not such an inline table,
// throw config::ConfigError naming the file and key.
#pragma once

#include "config/config_files.hpp"

#include <string>
#include <vector>

namespace tcsim::calibration {

enum class ParameterKind {
    fraction, ///< in (0, 1]
    size,     ///< >= 0 (GEMM half-saturation sizes)
    duration, ///< >= 0 seconds
};

/// Every fittable name, in file order.
[[nodiscard]] const std::vector<std::string>& parameter_names();
/// Throws config::ConfigError (at `file`) for a name that is not fittable.
[[nodiscard]] ParameterKind parameter_kind(const std::string& file, const std::string& name);

[[nodiscard]] double read_parameter(const std::string& file, const std::string& text, const std::string& name);
/// How many digits a written value keeps: four significant ones for a file people read, all of
/// them (round trip) for the candidates a fit evaluates, so that the model sees the exact value
/// the optimiser chose.
enum class Digits { shown, exact };

[[nodiscard]] std::string write_parameter(const std::string& file, const std::string& text, const std::string& name,
                                          double value, const std::string& source, Digits digits = Digits::shown);

/// The efficiency file the cluster file at `cluster_path` names (`efficiency = "..."`), resolved.
[[nodiscard]] std::string efficiency_file_of(const config::ConfigFiles& files, const std::string& cluster_path);

} // namespace tcsim::calibration
