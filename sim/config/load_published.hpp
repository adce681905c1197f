// Loads what the operator of a run published about it (claims/published/*.toml), for reports to
// show beside tcsim's figures: published numbers live in data files with their sources, never in
// C++.
//
// Format:
//     source* = "DeepSeek-V3 Technical Report (arXiv 2412.19437), Table 1"
//     [[figure]]                  one or more, in the order reports show them
//     figure* = "pretrain_gpu_hours"   one of kPublishedFigureNames (the unit is in the name)
//     value* = 2664000                 > 0
//     note* = "..."                    where in the source, or how it was derived
// Contract: strict keys; every figure names a known figure at most once.
#pragma once

#include "config/config_files.hpp"

#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace tcsim::config {

/// The figures a file may state, as report::to_string(report::Figure) spells them.
inline constexpr std::array<std::string_view, 6> kPublishedFigureNames{
    "pretrain_days", "total_days", "pretrain_gpu_hours", "total_gpu_hours", "pretrain_cost_usd", "total_cost_usd"};

struct PublishedFigure {
    std::string figure; ///< one of kPublishedFigureNames
    double value = 0;
    std::string note;
};

struct PublishedFile {
    std::string source;
    std::vector<PublishedFigure> figures;
};

[[nodiscard]] PublishedFile load_published(const ConfigFiles& files, const std::string& path);

} // namespace tcsim::config
