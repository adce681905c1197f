// The built-in scenario: the shipped files that `tcsim` needs with no arguments, compiled into
// the library so that the program runs from any directory.
//
// Contract: `builtin_files()` holds, under their paths relative to the source root, the GPU
// catalog, every efficiency file, the price list, the DeepSeek-V3 H800 cluster and the
// DeepSeek-V3 and DeepSeek-R1 workloads, their claims and published figures, byte for byte as shipped (the build regenerates them when a file
// changes). It is built once and never modified.
#pragma once

#include "config/config_files.hpp"

#include <string_view>

namespace tcsim::config {

inline constexpr std::string_view kBuiltinCluster = "topologies/deepseek-v3-h800.toml";
inline constexpr std::string_view kBuiltinWorkload = "workloads/deepseek-v3.toml";
inline constexpr std::string_view kBuiltinPrices = "topologies/prices.toml";
/// The claims the built-in scenario checks; the first names its cluster and workload (DeepSeek-R1:
/// V3's pre-training and context extension, then R1's SFT and RL stages).
inline constexpr std::string_view kBuiltinClaims[] = {
    "claims/deepseek-r1-5.6m.toml",        "claims/deepseek-r1-5.5-million.toml", "claims/deepseek-r1-rl-294k.toml",
    "claims/deepseek-without-nvidia.toml", "claims/deepseek-v3-cost.toml",        "claims/deepseek-v3-two-months.toml"};
/// Claims of the built-in story about other runs, each checked against its own scenario.
inline constexpr std::string_view kBuiltinRelatedClaims[] = {"claims/gpt4-100m-plus.toml"};
/// What DeepSeek published about the run (load_published.hpp).
inline constexpr std::string_view kBuiltinPublished = "claims/published/deepseek-v3.toml";

[[nodiscard]] const EmbeddedFiles& builtin_files();

} // namespace tcsim::config
