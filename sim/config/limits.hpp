// The physical range of every numeric key of the input files (cluster, workload, GPU catalog,
// prices, datacenter, efficiency, claims, published figures and calibration sets), checked by the loaders through TableReader's ranged
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

// --- [[post_training]] --------------------------------------------------------------------
/// Prompts per RL step: DeepSeek-R1-Zero's 32 (Nature 2025 SI) to InstructGPT-size batches.
inline constexpr IntRange prompts_per_step{1, 10'000'000};
/// Samples per prompt (GRPO's group): DeepSeek-R1's 16; DeepSeekMath's 64.
inline constexpr IntRange group_size{1, 100'000};
/// Prompt and response tokens: within the longest sequence above.
inline constexpr IntRange prompt_tokens{1, 100'000'000};
inline constexpr Range response_tokens{1.0, 1e8};
/// Log-space spread of response lengths: 0 (all equal) to a factor e^5 (~150) per sigma.
inline constexpr Range response_sigma{0.0, 5.0};
/// Batch slots of one rollout engine; 0: its KV-cache limit.
inline constexpr IntRange rollout_slots{0, 10'000'000};
/// Seed of the response lengths.
inline constexpr IntRange seed{0, 2'147'483'647};

// --- [parallel] ---------------------------------------------------------------------------
/// Any one parallel degree: at most the GPUs of the largest cluster below.
inline constexpr IntRange degree{1, 10'000'000};
inline constexpr IntRange zero_stage{0, 3};
/// SMs reserved for communication (DeepSeek-V3: 20 of the H800's 132).
inline constexpr IntRange comm_sms{0, 10'000};
inline constexpr IntRange comm_sms_of{1, 100'000};
/// Fraction of a GPU's compute units reserved for communication kernels: below 1 (some must compute).
inline constexpr Range comm_fraction{0.0, 0.99};

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

// --- prices.toml --------------------------------------------------------------------------
/// Rental: an H100 rents for $2-4 per GPU-hour (prices.toml); $1,000 is 250x that.
inline constexpr QuantityRange rental_price{"0.001 USD/h", "1000 USD/h"};
/// Purchase per GPU with its server share: about $35K for Hopper (prices.toml).
inline constexpr QuantityRange purchase_price{"1 USD", "100 MUSD"};
/// Network per endpoint: $4.4K-7.5K (prices.toml, DeepSeek ISCA'25 Table 3).
inline constexpr QuantityRange endpoint_price{"0 USD", "10 MUSD"};
/// Electricity: US industrial about $0.08 per kWh (prices.toml).
inline constexpr QuantityRange electricity_price{"0 USD/kWh", "100 USD/kWh"};
/// Write-off period: 4 years in prices.toml.
inline constexpr QuantityRange lifetime{"1 day", "36525 day"};

// --- datacenter.toml ----------------------------------------------------------------------
/// Network power per endpoint: about 60 W (datacenter.toml).
inline constexpr QuantityRange network_power{"0 W", "100 kW"};
/// MTBF per GPU: Llama 3's 50,677 GPU-hours (datacenter.toml); 1 h to 1e9 h (114,000 years).
inline constexpr QuantityRange mtbf{"1 h", "1000000000 h"};
/// Restart after a failure: 10 minutes (datacenter.toml); at most a month.
inline constexpr QuantityRange restart{"1 s", "30 day"};
/// Storage write bandwidth: Llama 3's Tectonic sustained 2 TB/s.
inline constexpr QuantityRange storage_bandwidth{"1 MB/s", "1000000 TB/s"};
/// Checkpoint interval: at most a year.
inline constexpr QuantityRange checkpoint_interval{"1 s", "366 day"};

// --- efficiency files ---------------------------------------------------------------------
/// GEMM half-efficiency sizes (m_half, n_half, k_half): a few hundred to a few thousand.
inline constexpr Range gemm_half_size{0.0, 1e9};
/// The output-tile form's half-efficiency size (mn_half): output elements, up to about 10^8.
inline constexpr Range gemm_output_half_size{1.0, 1e12};
/// Fixed latencies (kernel launch, collective start-up): microseconds.
inline constexpr QuantityRange overhead{"0 s", "1 s"};

// --- claims and published figures ---------------------------------------------------------
/// A claimed or published duration: DeepSeek-V3's "under two months"; at most 1,000 years.
inline constexpr QuantityRange claimed_duration{"1 s", "365250 day"};
/// Claimed or published GPU-hours: DeepSeek-V3's 2.788M; 1e13 is 3.6 million times that.
inline constexpr Range gpu_hours{1e-6, 1e13};
/// A claimed or published amount: DeepSeek-V3's $5.576M; $10 trillion is a bound on any budget.
inline constexpr QuantityRange claimed_cost{"0.000001 USD", "10000 BUSD"};
/// A claimed MFU, as a fraction of the dense BF16 peak. Above 1 is physically impossible, but a
/// claim may state it (a misread peak): the checker calls it implausible rather than refusing
/// the file; 10 (1,000 %) bounds any such misreading.
inline constexpr Range claimed_mfu{1e-6, 10.0};
/// A published figure (days, GPU-hours or dollars, as a plain number): within the widest of those.
inline constexpr Range published_value{1e-6, 1e13};
/// A claim's GPU count: the largest cluster below.
inline constexpr IntRange claim_gpus{1, 100'000'000};

// --- calibration sets ---------------------------------------------------------------------
/// A GEMM record's m, n or k: DeepGEMM's shapes reach 32K; 1e9 bounds any one dimension.
inline constexpr Range gemm_dimension{1.0, 1e9};
/// Grouped GEMMs: DeepSeek-V3 has 256 experts.
inline constexpr IntRange gemm_groups{1, 1'000'000};
/// Ranks of a measured collective: at most the GPUs of the largest cluster below.
inline constexpr IntRange ranks{2, 100'000'000};
/// Tokens per rank of a measured expert all-to-all: DeepEP measures 4,096.
inline constexpr Range expert_tokens{1.0, 1e9};
/// A measured throughput (GEMM, TFLOP/s per GPU): B200's dense FP4 is 9 PFLOP/s.
inline constexpr QuantityRange measured_flop_rate{"1 FLOP/s", "1000000 TFLOP/s"};
/// A measured bandwidth: NVLink 5 is 1.8 TB/s per GPU.
inline constexpr QuantityRange measured_bandwidth{"1 B/s", "1000000 TB/s"};
/// A measured step time: seconds to hours.
inline constexpr QuantityRange step_time{"1 ns", "30 day"};
/// Tokens per second per GPU, and expert communication over compute (a ratio).
inline constexpr Range rate_or_ratio{1e-9, 1e12};
/// A message size: 1 byte to 1 PB.
inline constexpr QuantityRange message{"1 B", "1 PB"};

} // namespace tcsim::config::limits
