// Memory per GPU of a training layout: weights, gradients, optimizer states, activations and
// communication buffers, per pipeline rank.
//
// Contract
// - Static state per parameter (mixed precision with Adam, Megatron-LM's distributed optimizer
//   conventions): BF16 weights 2 B; a gradient buffer of 4 B in FP32, or 2 B where the recipe
//   reduces in FP16/BF16 (TrainingSpec::grad_reduce_dtype); FP32 master weights + Adam m and v
//   12 B. ZeRO-1 shards the 12 B over the data-parallel group (experts: over the
//   expert-data-parallel group), ZeRO-2 also the gradients, ZeRO-3 also the weights. TP splits
//   every layer's weights, EP the routed experts.
// - Activations per layer per token follow Korthikanti et al., "Reducing Activation
//   Recomputation in Large Transformer Models" (MLSys'23), Sec 4, generalised term by term to
//   GQA/MLA attention (KV heads replicated when TP exceeds them), FFN activations (gated or
//   not, activation_saved_bytes), parallel blocks (one norm) and MoE layers; windowed layers
//   keep what global ones keep. Without flash attention and with dropout a
//   GPT layer keeps s*b*h*(34 + 5*a*s/h) bytes, with tensor parallelism t and no sequence
//   parallelism s*b*h*(10 + 24/t + 5*a*s/(h*t)), with sequence parallelism s*b*h*(34 + 5*a*s/h)/t.
//   Linear-layer inputs are cached in FP8 (with 1x128 scales) when GEMMs run in FP8 (DeepSeek-V3
//   Sec 3.3; Transformer Engine caches the quantised input). Recomputation drops what it
//   recomputes: full keeps only each layer's input, selective drops the attention scores, and
//   recompute_modules drop the named modules' outputs.
// - Micro-batches in flight per rank come from the schedule's own op order (forward adds a
//   micro-batch's activations of that chunk, its backward frees them), so 1F1B, interleaved,
//   zero-bubble and DualPipe each keep what they really keep.
// - Buffers: pipeline send/receive buffers, the expert-parallel dispatch/combine receive
//   buffers, and a fixed 1 GiB for the CUDA context, NCCL and the allocator's workspace
//   (an assumption, stated in every breakdown).
#pragma once

#include "topology/cluster.hpp"
#include "workload/plan_check.hpp"
#include "workload/workload.hpp"

#include <string>
#include <vector>

namespace tcsim::training {

/// Variants of the activation accounting; by default the workload's own recipe
/// (TrainingSpec::flash_attention, TrainingSpec::dropout) decides.
struct ActivationOptions {
    bool flash_attention = true; ///< false: count the unfused s x s scores even if the recipe fuses
    bool dropout = false;        ///< true: count dropout masks even if the recipe has none
};

/// Bytes per token an FFN of `width` keeps for its activation function's backward, beyond the
/// second linear's cached input: a gated unit both projections, GELU/SiLU/squared ReLU their
/// input, ReLU nothing more (its backward reads its output's sign, the second linear's input)
/// unless that input is cached in another format (FP8), when the BF16 output is kept too.
double activation_saved_bytes(workload::Activation activation, double width, double activation_bytes,
                              double cached_linear_bytes);

/// Bytes one token keeps for the backward pass in transformer layer `layer` on one rank.
double activation_bytes_per_token(const workload::Workload& workload, int layer, int seq_len,
                                  const ActivationOptions& options = {});

struct RankMemory {
    int rank = 0;
    double parameters = 0; ///< held by this GPU (after TP/EP splits, before ZeRO sharding)
    double weights = 0;    ///< bytes
    double gradients = 0;
    double optimizer = 0;
    double activations = 0;
    double buffers = 0;
    int peak_micro_batches = 0; ///< micro-batches whose activations are alive at the peak
    [[nodiscard]] double total() const { return weights + gradients + optimizer + activations + buffers; }
};

struct MemoryEstimate {
    std::vector<RankMemory> ranks; ///< one per pipeline rank
    double capacity = 0;           ///< bytes of HBM per GPU
    [[nodiscard]] const RankMemory& worst() const;
    [[nodiscard]] bool fits() const { return worst().total() <= capacity; }
};

MemoryEstimate estimate_memory(const topology::ClusterSpec& cluster, const workload::Workload& workload, int seq_len,
                               int global_batch_sequences, const ActivationOptions& options = {});

/// A table of the worst rank's memory by category, in GB, with the capacity.
std::string describe(const MemoryEstimate& estimate);

/// A layout refused because its worst rank does not fit in GPU memory (a PlanError, so that
/// whoever reports plan errors reports it; calibration tells it apart).
class MemoryError : public workload::PlanError {
public:
    using workload::PlanError::PlanError;
};

/// Throws MemoryError with the breakdown if the worst rank does not fit.
void check_memory(const topology::ClusterSpec& cluster, const workload::Workload& workload, int seq_len,
                  int global_batch_sequences, const ActivationOptions& options = {});

} // namespace tcsim::training
