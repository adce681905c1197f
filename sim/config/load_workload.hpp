// Loads a training workload (workloads/*.toml): model architecture, training recipe and
// parallel layout, as three sections of one file.
//
// Format (keys marked * are required; the rest have the defaults shown):
//     name* = "DeepSeek-V3 pre-training"        source* = "..."
//     [model]         name (= workload name), source (= workload source), layers*, hidden*,
//                     vocab*, tied_embeddings = false, position = "rope" (rope|learned|alibi),
//                     max_position (* for learned positions), norm = "rmsnorm" (rmsnorm|layernorm),
//                     mtp_modules = 0, parallel_block = false (dense FFNs only)
//     [model.attention] kind* (mha|gqa|mqa|mla), heads*, qkv_bias = false;
//                     mha: head_dim*, kv_heads (= heads, must equal it);
//                     gqa: head_dim*, kv_heads* (divides heads);
//                     mqa: head_dim*, kv_heads = 1 (must be 1);
//                     mla: kv_lora_rank*, qk_nope_head_dim*, qk_rope_head_dim*, v_head_dim*,
//                          q_lora_rank = 0 (0 = Q projected directly);
//                     any kind: sliding_window = 0 (tokens; 0 = none), global_every = 0 and
//                     sink_tokens = 0 (both only with a window; sinks below the window),
//                     learned_sinks = false
//     [model.ffn]     activation = "swiglu" (swiglu|geglu|gelu|relu|squared-relu|silu), or the
//                     older gated = true|false (true = swiglu, false = gelu; both must agree),
//                     bias = false, dense_intermediate (* unless every layer is MoE),
//                     routed_experts = 0; when > 0: expert_intermediate*, top_k*,
//                     shared_experts = 0, first_dense_layers = 0, max_nodes_per_token = 0
//     [training]      tokens* (a number: 14.8e12), seq_len*, global_batch_sequences*,
//                     gemm_dtype = "bf16" (fp8|bf16|fp16|tf32|fp32|mxfp8|nvfp4),
//                     fp8_gemm_library = "cublas" (cublas|deepgemm: whose kernels run FP8
//                     GEMMs, each with its own best shape; hardware/gemm_library.hpp),
//                     attention_dtype = "bf16" (fp8|bf16|fp16|tf32|fp32; fp16 shares bf16's
//                     peak), recompute = "none" (none|selective|full)
//     [training.ramp] start_sequences*, over_tokens*            (optional table)
//     [[training.extension]] seq_len*, global_batch_sequences*, steps*   (zero or more)
//     [training.extension.parallel]  the stage's own layout (optional): any [parallel] key,
//                     each defaulting to the pre-training layout's value (virtual_stages
//                     defaults to 1 when the stage changes the schedule)
//     [parallel]      tp*, pp*, dp*, cp = 1, cp_pass = "kv" (kv|latent: what the context-
//                     parallel ring passes; latent only with MLA), ep = 1, sequence_parallel = false,
//                     micro_batch_sequences = 1, schedule = "1f1b" (gpipe|1f1b|interleaved-1f1b|
//                     zero-bubble|dualpipe), virtual_stages = 1 (> 1 only with interleaved-1f1b),
//                     zero_stage = 1 (0-3), comm_fraction = 0 (or comm_sms with comm_sms_of,
//                     kept as their ratio), tp_comm_overlap = false,
//                     overlap_grad_reduce = true, overlap_param_gather = false,
//                     ep_comm_overlap = false (Megatron-Core's combined 1F1B),
//                     split_embedding_and_loss = false, pipeline_split = "balanced"
//                     (balanced|even), first_stage_layers, last_stage_layers (only with "even"),
//                     pipeline_layout (Megatron-Core's custom layout, e.g. "Et*3|(tt|)*29,m|L":
//                     replaces pipeline_split; refused with first/last_stage_layers and
//                     split_embedding_and_loss; workload/pipeline_layout.hpp)
// Contract: checks what one file can decide (positive sizes, keys that fit the attention kind,
// kv_heads dividing heads, top_k <= routed_experts, ...). Whether the layout fits a cluster
// (TP*PP*CP*DP = GPUs, TP divides heads, batches divide DP x micro-batch) is
// workload::check_plan's job.
#pragma once

#include "config/config_files.hpp"
#include "workload/workload.hpp"

#include <string>

namespace tcsim::config {

class TableReader;

[[nodiscard]] workload::Workload load_workload(const ConfigFiles& files, const std::string& path);

/// Reads a table of [parallel] keys. Without `base`, tp, pp and dp are required; with one,
/// every key is optional and defaults to base's value (virtual_stages to 1 when the schedule
/// changes). Other files that override a layout (extension stages, claims) use it too.
[[nodiscard]] workload::ParallelSpec read_parallel(TableReader& table, const workload::ParallelSpec* base = nullptr);

} // namespace tcsim::config
