// A custom pipeline layout: which model chunk holds the embedding, which transformer layers, the
// MTP modules and the loss, as Megatron-Core's --pipeline-model-parallel-layout writes it
// (docs/api-guide/pipeline_parallel_layout.md; MCore PipelineParallelLayerLayout): "E" the
// embedding, "t" a transformer layer, "m" an MTP module, "L" the final norm, output layer and
// loss; "|" ends a model chunk (empty chunks allowed); "X*n" or "(...)*n" repeats; commas and
// spaces are cosmetic. DeepSeek-V3 on PP16 x VPP2: "Et*3|(tt|)*29,m|L".
//
// Contract
// - parse_pipeline_layout returns the chunks in model order (chunk s runs where the schedule
//   puts model stage s: rank s mod PP under interleaving), each with what it holds; the layers
//   of successive chunks are consecutive.
// - It throws std::invalid_argument naming the position and what was expected for any text that
//   is not such a layout, or whose parts are out of model order: the embedding must come first,
//   then the layers, then the MTP modules, then the loss last (a model's data flows in that
//   order); exactly one "E" and one "L". Counts against a model and a layout (layers, MTP
//   modules, PP x VPP chunks) are check_pipeline_layout's.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tcsim::workload {

struct LayoutChunk {
    bool embedding = false;
    int layers = 0; ///< transformer layers, consecutive after the previous chunk's
    int mtp = 0;    ///< MTP modules
    bool loss = false;
};

[[nodiscard]] std::vector<LayoutChunk> parse_pipeline_layout(std::string_view text);

/// Problems of a parsed layout against `layers` transformer layers, `mtp_modules` MTP modules and
/// `chunks` model chunks (PP x VPP, or PP); empty when it fits.
[[nodiscard]] std::vector<std::string> check_pipeline_layout(const std::vector<LayoutChunk>& layout, int layers,
                                                             int mtp_modules, int chunks);

} // namespace tcsim::workload
