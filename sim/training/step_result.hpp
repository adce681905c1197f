// What one simulated training step came to: its time, where the time went, and the work done.
//
// All times are of the slowest simulated rank (the pipeline stage that finishes last): the
// step ends when every rank has applied its optimizer update. `breakdown` partitions that
// rank's step time: compute (its compute stream busy), exposed communication (compute stream
// idle while a collective it waits for is in flight) and pipeline bubble (compute stream idle
// for any other reason: waiting for another stage). The three sum to `step_seconds`.
// The rank that finishes last is often not the one that sets the pipeline's pace: under 1F1B
// the first stage finishes last (it runs the last backward) while a middle stage computes
// most. `busiest_rank` names the rank whose compute stream is busiest, so that a report can
// say both (its breakdown is in `ranks`).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tcsim::training {

struct StepBreakdown {
    double compute_s = 0;      ///< compute stream busy
    double exposed_comm_s = 0; ///< compute idle, waiting on communication of its own rank
    double bubble_s = 0;       ///< compute idle, waiting on other pipeline stages
};

struct RankTimes {
    int rank = 0;
    double finish_s = 0;
    StepBreakdown breakdown;
    /// Seconds the rank's expert-parallel dispatches and combines were in flight, summed (they
    /// share one stream, so this is that stream's busy time); compare with breakdown.compute_s.
    double expert_comm_s = 0;
};

struct StepResult {
    double step_seconds = 0;
    StepBreakdown breakdown;      ///< of the slowest rank
    std::vector<RankTimes> ranks; ///< every representative rank (every GPU in full mode)
    int slowest_rank = 0;         ///< index in `ranks` of the rank `breakdown` describes
    int busiest_rank = 0;         ///< index in `ranks` of the rank with the most compute (ties: the lowest)
    bool ranks_are_gpus = false;  ///< full mode: `ranks` are GPUs, not pipeline ranks
    int gpus = 0;
    int seq_len = 0;
    int global_batch_sequences = 0;
    double tokens_per_step = 0;         ///< global batch x sequence length
    double model_flops_per_step = 0;    ///< 6ND-style model FLOPs incl. attention (no recompute), whole cluster
    double hardware_flops_per_step = 0; ///< model + recomputation, whole cluster
    double mfu = 0;                     ///< model FLOP/s per GPU / dense BF16 peak
    double mfu_gemm_dtype = 0;          ///< same, against the peak of the GEMM dtype (FP8 for DeepSeek-V3)
    double tokens_per_s_per_gpu = 0;
    double tflops_per_gpu = 0; ///< model FLOP/s per GPU, in TFLOP/s
    std::uint64_t events = 0;  ///< engine events executed
    std::uint64_t ops = 0;     ///< program ops simulated
};

} // namespace tcsim::training
