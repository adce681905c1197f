// Calibration records: one published measurement each, with the setup that reproduces it.
//
// A record names what to simulate (a training step, a whole run, one GEMM, one collective, one
// expert-parallel dispatch or combine), the files that describe it (a cluster, a workload) and
// the overrides that turn those files into the published setup (GPU count via `nodes`, layout,
// batch, sequence length), then one or more published values, each with the metric, its unit,
// how the source counted FLOPs, and a tolerance. Records are grouped into sets (one file per
// set in calibrations/); a set is the unit of per-set accuracy (MAPE, worst error) and of
// training/held-out splits in `tcsim calibrate`.
//
// Contract: plain data, validated by load_calibration_set; nothing here runs a model.
#pragma once

#include "collective/collective_kind.hpp"
#include "config/toml_reader.hpp"
#include "hardware/dtype.hpp"
#include "serve/serve_spec.hpp"
#include "units/quantity.hpp"
#include "workload/parallel_spec.hpp"
#include "workload/training_spec.hpp"

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tcsim::calibration {

/// What a published value measures. The unit is part of the metric (see unit_of).
enum class Metric {
    step_time,            ///< seconds per training step
    tflops_per_gpu,       ///< TFLOP/s per GPU, FLOPs counted as the source counts them (FlopCount)
    mfu,                  ///< fraction of the dense BF16 peak (model FLOPs unless FlopCount says otherwise)
    tokens_per_s_per_gpu, ///< trained tokens per second per GPU
    pretrain_gpu_hours,   ///< GPU-hours of main pre-training (batch ramp + steady state)
    extension_gpu_hours,  ///< GPU-hours of the context-extension stages
    total_gpu_hours,      ///< pre-training + extension
    /// GPU-hours of the workload's post-training stages ([[post_training]]: SFT and RL), each
    /// stage's wall clock x the GPUs it holds, failure-free, summed over the stages
    post_training_gpu_hours,
    pretrain_days,    ///< wall-clock days of main pre-training
    gemm_throughput,  ///< TFLOP/s of one GEMM (grouped: all groups)
    bus_bandwidth,    ///< NCCL bus bandwidth, GB/s (nccl-tests PERFORMANCE.md)
    rdma_bandwidth,   ///< DeepEP's RDMA figure, GB/s (bytes counted as DeepEP's tests count them)
    nvlink_bandwidth, ///< DeepEP's NVLink figure, GB/s (same)
    /// Time the expert-parallel dispatch and combine are in flight over the time the compute
    /// stream is busy, summed over the simulated ranks of a step (a ratio; DeepSeek-V3 reports
    /// "approximately 1:1" for its cross-node expert parallelism)
    expert_comm_to_compute,
    /// Serving (serve records): input tokens prefilled per second per GPU
    prefill_tokens_per_s_per_gpu,
    /// Serving: output tokens decoded per second per GPU
    decode_tokens_per_s_per_gpu,
    /// Serving: output tokens per second one request sees (1 / time per output token)
    output_tokens_per_s_per_request,
};

/// How the source counted the FLOPs behind a TFLOP/s or MFU figure. Predictions are converted
/// with the same count, so that like is compared with like.
enum class FlopCount {
    model,    ///< the model's FLOPs without recomputation (tcsim's count: causal attention halved)
    hardware, ///< model FLOPs plus recomputation (tcsim's count)
    megatron, ///< Narayanan et al. SC'21 eq. 3: 96 B s l h^2 (1 + s/(6h) + V/(16 l h)) per step
              ///< (full recomputation, non-causal attention, GPT-style dense model)
    eight_nd, ///< 8 x parameters x tokens (BigScience's "4 * 2" TFLOP/s formula: 6ND + recompute)
    six_nd,   ///< 6 x active parameters x tokens
};

struct PublishedValue {
    Metric metric = Metric::step_time;
    double value = 0;        ///< in unit_of(metric)
    double tolerance = 0.10; ///< relative: |predicted / published - 1| <= tolerance passes
    FlopCount flops = FlopCount::model;
    std::string note; ///< how the value was read or derived
    /// Non-empty: the model misses this value today for the reason given (an open gap in the
    /// physics, written down, never a wider tolerance). `tcsim validate` reports the row as a
    /// known gap instead of failing, and fails when it comes within tolerance, so that the mark
    /// is removed as soon as the gap closes (a strict expected failure).
    std::string known_gap;
    /// A choice in tcsim's inputs was made after this value was seen (`in_sample = true`, with
    /// `fitted` saying which), though justified by other evidence: like a value of an in-sample
    /// set it shows the choice holds, not how well tcsim predicts, and is kept apart in the
    /// measured uncertainty (error_distribution.hpp).
    bool in_sample = false;
    std::string fitted;
};

enum class RecordKind {
    step,              ///< one training step of a workload on a cluster
    run,               ///< a whole training run (batch ramp, steady state, context extension; post-training)
    gemm,              ///< one GEMM on one GPU (compute model)
    collective,        ///< one collective on an idle network (network model)
    expert_all_to_all, ///< one expert-parallel dispatch or combine (network model)
    serve,             ///< a serving deployment in steady state (serve::simulate_serving)
};

/// Overrides of a workload file's layout and recipe (absent = keep the file's value).
struct WorkloadOverrides {
    std::optional<int> tp, pp, dp, cp, ep, micro_batch_sequences, virtual_stages, zero_stage;
    std::optional<workload::PipelineSchedule> schedule;
    std::optional<workload::PipelineSplit> pipeline_split;
    std::optional<bool> sequence_parallel, split_embedding_and_loss;
    std::optional<int> seq_len, global_batch_sequences;
    std::optional<workload::Recompute> recompute;
};

struct GemmSetup {
    double m = 0, n = 0, k = 0;
    int groups = 1;
    hardware::Dtype dtype = hardware::Dtype::bf16;
    hardware::GemmLibrary library = hardware::GemmLibrary::cublas; ///< whose FP8 kernel was measured
};

/// One collective on the cluster's first `ranks` GPUs (whole nodes when more than one node),
/// as nccl-tests runs it.
struct CollectiveSetup {
    collective::CollectiveKind kind = collective::CollectiveKind::all_reduce;
    int ranks = 0;
    units::Bytes message;           ///< nccl-tests "size" (all_reduce: the buffer each rank holds)
    std::string algorithm = "auto"; ///< network::Algorithm spelling: auto, ring, tree, nvls, ...
};

/// One expert-parallel dispatch or combine, as DeepEP's tests run it.
struct ExpertSetup {
    bool combine = false; ///< false: dispatch
    int ranks = 0;        ///< expert-parallel group size (whole nodes when more than one)
    double tokens = 0;    ///< tokens per rank
    int hidden = 0;
    int top_k = 0;
    int max_nodes = 0;                             ///< node-limited routing (DeepEP "top-k groups"); 0 = unlimited
    hardware::Dtype dtype = hardware::Dtype::bf16; ///< payload: FP8 (with 1x128 scales) or BF16
    std::string algorithm = "deepep_normal";       ///< deepep_normal or deepep_low_latency
};

/// A serving deployment (serve/serve_spec.hpp): the workload's model on the cluster's GPUs.
struct ServeSetup {
    serve::ServeSpec spec;
};

struct CalibrationRecord {
    std::string id;
    RecordKind kind = RecordKind::step;
    std::string file;         ///< the calibration file it came from (for messages)
    std::string cluster;      ///< path, resolved against the calibration file
    std::string workload;     ///< path (step and run records)
    std::optional<int> nodes; ///< use this many nodes of the cluster
    std::optional<int> nics_per_node;
    WorkloadOverrides overrides;
    bool include_extension = true; ///< run records
    GemmSetup gemm;
    CollectiveSetup collective;
    ExpertSetup expert;
    ServeSetup serving;
    std::string source;
    std::string date;       ///< when the source published it
    std::string confidence; ///< e.g. "exact-from-source", "derived", "reported estimate"
    std::string note;
    std::vector<PublishedValue> published;
};

struct CalibrationSet {
    std::string name; ///< short identifier ("megatron-sc21"), used by --train
    std::string title;
    std::string source;
    std::string file;
    /// A parameter of tcsim was fitted on this set (`in_sample = true`, with `fitted` saying
    /// which): its values show that the fit holds, not how well tcsim predicts what it has not
    /// seen, and are kept apart in the measured uncertainty (error_distribution.hpp).
    bool in_sample = false;
    std::string fitted;
    std::vector<CalibrationRecord> records;
};

[[nodiscard]] std::string_view to_string(Metric m);
[[nodiscard]] std::optional<Metric> metric_from_string(std::string_view s);
/// Every metric as calibration files spell it.
inline constexpr std::size_t kMetricCount = 17;
[[nodiscard]] const std::array<config::Spelling<Metric>, kMetricCount>& metric_spellings();
/// The unit a metric's values are in, as printed: "s", "TFLOP/s", "%", "GPU-h", "GB/s", ...
[[nodiscard]] std::string_view unit_of(Metric m);
[[nodiscard]] std::string_view to_string(FlopCount f);
[[nodiscard]] std::string_view to_string(RecordKind k);

} // namespace tcsim::calibration
