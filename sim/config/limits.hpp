// The physical range of every numeric key of the cluster, workload and GPU catalog files (and of
// the calibration sets' overrides of them), checked by the loaders through TableReader's ranged
// getters: a value outside is refused at its file, line and key with the range in the message,
// before any work (issue 15).
//
// Contract: each range is generous enough for any real model or cluster of the next decade
// (about 100x beyond the largest published today, named beside it), and tight enough that the
// arithmetic tcsim does on them stays exact: products of two counts (e.g. seq_len x batch,
// layers x hidden^2) are taken in 64-bit or double, and no single value is near INT_MAX, so
// `seq_len + 1` or `kv_lora_rank * layers` cannot overflow. Work before a refusal is then bounded
// too: layers <= 10,000 keeps the per-layer walks of plan and memory checks short.
#pragma once

#include "config/toml_reader.hpp"

namespace tcsim::config::limits {

// --- [model] ------------------------------------------------------------------------------
/// Layers: GPT-3 175B has 96, Llama 3.1 405B 126, DeepSeek-V3 61 (their config.json files).
inline constexpr IntRange layers{1, 10'000};
/// Model width: Llama 3.1 405B's hidden is 16,384; MT-class 1T models about 25,600.
inline constexpr IntRange hidden{1, 1'000'000};
/// Vocabulary: Gemma's 262,144 is among the largest.
inline constexpr IntRange vocab{1, 100'000'000};
/// Learned position table: GPT-3 has 2,048.
inline constexpr IntRange max_position{1, 100'000'000};
/// DeepSeek-V3 predicts 1 extra token (arXiv:2412.19437 sec. 2.2).
inline constexpr IntRange mtp_modules{0, 1'000};

// --- [model.attention] --------------------------------------------------------------------
/// Query heads: Llama 3.1 405B has 128, DeepSeek-V3 128.
inline constexpr IntRange heads{1, 100'000};
/// Per-head width: 128 is the common value, 256 Gemma's.
inline constexpr IntRange head_dim{1, 100'000};
/// MLA ranks and head widths (DeepSeek-V3: q 1,536, kv 512, nope 128, rope 64, v 128).
inline constexpr IntRange lora_rank{1, 1'000'000};
inline constexpr IntRange lora_rank_or_zero{0, 1'000'000};
inline constexpr IntRange mla_head_dim{1, 100'000};

// --- [model.ffn] --------------------------------------------------------------------------
/// FFN widths: Llama 3.1 405B's 53,248; DeepSeek-V3's 18,432 dense and 2,048 per expert.
inline constexpr IntRange intermediate{1, 10'000'000};
/// Routed experts: DeepSeek-V3 has 256, Kimi K2 384.
inline constexpr IntRange routed_experts{0, 1'000'000};
inline constexpr IntRange shared_experts{0, 10'000};
inline constexpr IntRange top_k{1, 10'000};
inline constexpr IntRange layer_count_or_zero{0, 10'000}; ///< first_dense_layers
inline constexpr IntRange moe_every{1, 10'000};
inline constexpr IntRange node_count_or_zero{0, 10'000'000}; ///< max_nodes_per_token
inline constexpr IntRange expert_groups{1, 1'000'000};

// --- [training] ---------------------------------------------------------------------------
/// Training tokens: Llama 3.1 405B saw 15.6T; 1e18 is 60,000x that.
inline constexpr Range tokens{1.0, 1e18};
/// Sequence length: 128K (Llama 3.1) to 10M (Llama 4 Scout's context) today.
inline constexpr IntRange seq_len{1, 100'000'000};
/// Sequences per global batch: Llama 3.1 405B's 2,048 at 8K is 16M tokens.
inline constexpr IntRange batch_sequences{1, 100'000'000};
/// Steps of an extension stage.
inline constexpr IntRange steps{1, 1'000'000'000};

// --- [parallel] ---------------------------------------------------------------------------
/// Any one parallel degree: at most the GPUs of the largest cluster below.
inline constexpr IntRange degree{1, 10'000'000};
inline constexpr IntRange zero_stage{0, 3};
/// SMs reserved for communication (DeepSeek-V3: 20 of the H800's 132).
inline constexpr IntRange comm_sms{0, 10'000};

// --- clusters -----------------------------------------------------------------------------
/// Nodes: Llama 3's 24K-GPU clusters are 3,072 8-GPU nodes; 10M GPUs in all is the limit.
inline constexpr IntRange nodes{1, 10'000'000};
/// GPUs per node (scale-up domain): NVL72 has 72, NVL576 576.
inline constexpr IntRange gpus_per_node{1, 100'000};
/// NICs per node: 8 on DGX H100 (one per GPU); at most one per GPU and a few spares.
inline constexpr IntRange nics_per_node{1, 1'000};
/// Fabric tiers the builders can build (fat tree, rail-optimized, multi-plane: 1 to 3 tiers of
/// switches, topology/fabrics/*.hpp); more is refused rather than built wrong.
inline constexpr IntRange tiers{1, 3};
/// Switch ports: 64 (Quantum-2 NDR) to 512 (Tomahawk-class at 100G).
inline constexpr IntRange switch_radix{2, 100'000};
/// Planes of a multi-plane fabric (DeepSeek's Fire-Flyer uses 8).
inline constexpr IntRange planes{1, 1'000};
/// Downlink:uplink ratio: 1 (non-blocking) to 100:1.
inline constexpr Range oversubscription{1.0, 100.0};
/// Link bandwidths: 1 Mb/s to 1 Pb/s (one NDR port is 400 Gb/s, NVLink 5 1.8 TB/s per GPU).
inline constexpr QuantityRange link_bandwidth{"1 Mb/s", "1000 Tb/s"};
/// Latencies of a hop or a switch: 1 ns to 1 s (NVLink about 1 us, InfiniBand a few us).
inline constexpr QuantityRange latency{"1 ns", "1 s"};

// --- GPU catalog --------------------------------------------------------------------------
/// Dense peaks: 1 GFLOP/s to 1,000 PFLOP/s (B200's dense FP4 is 9 PFLOP/s).
inline constexpr QuantityRange peak{"1 GFLOP/s", "1000000 TFLOP/s"};
/// An optional dtype's peak: 0 where the GPU lacks the dtype (V100 has no FP8).
inline constexpr QuantityRange peak_or_zero{"0 FLOP/s", "1000000 TFLOP/s"};
/// HBM: 1 MB to 1 PB per GPU (B200 has 192 GB).
inline constexpr QuantityRange hbm{"1 MB", "1 PB"};
inline constexpr QuantityRange hbm_bandwidth{"1 MB/s", "1000 TB/s"};
/// Board power: 1 W to 100 kW (B200 1,000 W).
inline constexpr QuantityRange tdp{"1 W", "100 kW"};
/// Streaming multiprocessors: H100 SXM has 132.
inline constexpr IntRange sms{1, 100'000};

} // namespace tcsim::config::limits
