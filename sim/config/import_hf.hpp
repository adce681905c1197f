// A Hugging Face config.json turned into a workload file's model section (`tcsim import --hf`).
//
// Contract
// --------
// `import_hf(files, path, recipe)` reads the JSON at `path` through `files` and returns the text
// of a workload TOML file: `name`, `source`, `[model]`, `[model.attention]`, `[model.ffn]` in the
// keys of workloads/*.toml, then either `[training]` and `[parallel]` from `recipe` (when it is
// complete) or a commented template of them for the user to fill. The model types it maps are
// `supported_hf_model_types()`; multimodal configs (gemma3, llama4) are read from `text_config`
// and their vision tower is left out (said in a note).
//
// What it refuses (ConfigError naming the file and the JSON key, with what was expected and
// what was found; nothing is returned):
// * text that is not JSON, or not one JSON object; an unknown or missing `model_type`;
// * a required field missing or not a positive integer (`num_hidden_layers`, `hidden_size`, ...),
//   a head_dim that the hidden size does not give when `head_dim` is absent;
// * a field whose cost tcsim cannot represent: Qwen's `use_sliding_window = true` (a window on the
//   layers from `max_window_layers` on), `mlp_only_layers` that are not the leading layers,
//   DeepSeek's `moe_layer_freq` > 1, an attention pattern (`layer_types`) that is not "every K-th
//   layer global", an activation it has no name for, Llama 4's `attention_chunk_size` when the
//   recipe's seq_len exceeds the chunk (chunked attention then costs less than full attention).
// Fields read but not represented because they do not change parameters, FLOPs or memory
// traffic in tcsim's counting (RoPE scaling, soft-capping, QK norms, quantization of released
// weights, ...) become comment lines ("# note: ...") at the top of the text, each naming the field.
// Deterministic: the same file gives the same bytes.
#pragma once

#include "config/config_files.hpp"

#include <string>
#include <vector>

namespace tcsim::config {

/// The training recipe and layout to write instead of the template; complete() when every
/// required value is given (tokens, seq_len, global_batch_sequences, tp, pp, dp > 0).
struct HfRecipe {
    std::string name;               ///< workload name; empty: from the config's _name_or_path or the file name
    double tokens = 0.0;            ///< training tokens
    int seq_len = 0;                ///< tokens per sequence
    int global_batch_sequences = 0; ///< sequences per step
    int tp = 0, pp = 0, dp = 0;     ///< layout
    int ep = 0;                     ///< expert parallelism (0: not written, i.e. 1)
    [[nodiscard]] bool complete() const {
        return tokens > 0 && seq_len > 0 && global_batch_sequences > 0 && tp > 0 && pp > 0 && dp > 0;
    }
};

/// The model_type values import_hf maps, in the order its error message lists them.
[[nodiscard]] const std::vector<std::string>& supported_hf_model_types();

/// The workload TOML text for the config.json at `path` (see the contract above).
[[nodiscard]] std::string import_hf(const ConfigFiles& files, const std::string& path, const HfRecipe& recipe = {});

} // namespace tcsim::config
