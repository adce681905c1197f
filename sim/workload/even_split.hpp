// Megatron-LM's even pipeline split: how many transformer layers each model chunk holds when the
// layers are divided by count, whatever the embedding and the output layer cost.
//
// Contract
// - Model chunks (model stages) are PP x VPP under the interleaved schedule and PP otherwise;
//   chunk s runs on pipeline rank s mod PP (Megatron's interleaving: rank r holds chunks r,
//   PP + r, 2 PP + r, ...; DualPipe's chunk s on rank s in its first direction).
// - Without first/last counts: units = layers (+ 2 with split_embedding_and_loss, the embedding
//   and the output layer with its loss counted as one layer each) must divide by PP, and the
//   units per rank by VPP; every chunk holds units / (PP x VPP), less the embedding on chunk 0
//   and the head on the last chunk when they are counted.
//   Source: Megatron-Core transformer_block.py get_num_layers_to_build and transformer_layer.py
//   get_transformer_layer_offset (github.com/NVIDIA/Megatron-LM, 2025); Megatron-LM 2021
//   megatron/model/transformer.py ParallelTransformer ("num_layers must be divisible by
//   pipeline_model_parallel_size", commit e270f68, the SC'21 code).
// - With first_stage_layers f and/or last_stage_layers l (Megatron-Core
//   num_layers_in_first/last_pipeline_stage): rank 0 holds f and rank PP-1 holds l, each divided
//   equally over its VPP chunks; the other ranks share the rest equally (each a multiple of VPP).
//   Needs PP >= 2, f and l multiples of VPP, the middle layers divisible by the middle ranks
//   (transformer_config.py __post_init__, "Uneven PP").
// - PP = 1: one chunk holding every layer, whatever the keys say.
// - `problems` lists every rule the layout breaks (sentences with the numbers); `layers` is then
//   empty.
#pragma once

#include "workload/parallel_spec.hpp"

#include <string>
#include <vector>

namespace tcsim::workload {

struct EvenSplit {
    std::vector<int> layers; ///< transformer layers per model chunk, in model order
    std::vector<std::string> problems;
};

/// The even split of `layers` transformer layers under layout `p` (p.pipeline_split is not read:
/// this is the rule itself).
EvenSplit even_split(int layers, const ParallelSpec& p);

} // namespace tcsim::workload
