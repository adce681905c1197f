// The Program: what every simulated rank does in one training step, as operations with
// dependencies. It is the hand-off from the workload part (which knows the model, the layout
// and the schedule) to the replay (which knows how long things take). It carries no times.
//
// Compute work is described by kernels (FLOPs, bytes, dtype, GEMM shape); identical kernel
// sequences (a layer's forward for any micro-batch) are stored once as a `ComputeBlock` and
// referenced by index, so the replay prices each distinct block once. Communication work names
// its collective, its payload and its group; the network model prices it.
#pragma once

#include "hardware/dtype.hpp"
#include "units/quantity.hpp"

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace tcsim::workload {

enum class OpClass {
    gemm,               ///< dense matrix multiply against weights
    grouped_gemm,       ///< one launch over several experts' GEMMs (MoE)
    attention_forward,  ///< flash-attention style fused kernel
    attention_backward,
    elementwise,        ///< norms, activations, residual adds, quantisation, permutations
    optimizer,          ///< the parameter update
};

/// C[m x n] = A[m x k] * B[k x n], repeated `groups` times (grouped GEMM).
struct GemmShape {
    double m = 0, n = 0, k = 0;
    int groups = 1;
};

/// What a kernel computes, where recomputation policies need to know it.
enum class KernelRole : std::uint8_t {
    other, norm, mla_up_proj, moe_act, mlp,
    attention_scores,  ///< a GEMM between activations (unfused attention): no weights, no weight gradient
};

struct Kernel {
    OpClass cls = OpClass::elementwise;
    KernelRole role = KernelRole::other;
    units::Flops flops;
    units::Bytes bytes;   ///< HBM traffic (reads + writes)
    hardware::Dtype dtype = hardware::Dtype::bf16;
    GemmShape shape;      ///< GEMM classes only
};

/// A named sequence of kernels run back to back on one compute stream.
struct ComputeBlock {
    std::string name;
    std::vector<Kernel> kernels;
};

enum class ParallelDim { tp, cp, dp, ep, pp, expert_dp };

constexpr const char* to_string(ParallelDim d) {
    switch (d) {
    case ParallelDim::tp: return "tp";
    case ParallelDim::cp: return "cp";
    case ParallelDim::dp: return "dp";
    case ParallelDim::ep: return "ep";
    case ParallelDim::pp: return "pp";
    case ParallelDim::expert_dp: return "expert-dp";
    }
    return "?";
}

/// Where a communicating group sits on the cluster: `size` ranks, `ranks_per_node` of them in
/// each node they occupy, hence `nodes()` nodes.
struct GroupPlacement {
    int size = 1;
    int ranks_per_node = 1;
    [[nodiscard]] int nodes() const { return size / ranks_per_node; }
};

enum class CollectiveKind {
    all_reduce,
    all_gather,      ///< bytes = the gathered (output) size
    reduce_scatter,  ///< bytes = the input (full) size
    all_to_all,      ///< bytes = what each rank sends in total
    ep_dispatch,     ///< tokens to their top-k experts (node-limited, deduplicated per node)
    ep_combine,      ///< expert outputs back to the tokens' ranks
    send_recv,       ///< pipeline point-to-point
};

constexpr const char* to_string(CollectiveKind k) {
    switch (k) {
    case CollectiveKind::all_reduce: return "all_reduce";
    case CollectiveKind::all_gather: return "all_gather";
    case CollectiveKind::reduce_scatter: return "reduce_scatter";
    case CollectiveKind::all_to_all: return "all_to_all";
    case CollectiveKind::ep_dispatch: return "ep_dispatch";
    case CollectiveKind::ep_combine: return "ep_combine";
    case CollectiveKind::send_recv: return "send_recv";
    }
    return "?";
}

/// Expert-parallel routing of one micro-batch: `tokens` per rank, each to `top_k` experts on at
/// most `max_nodes` nodes, `token_bytes` per token copy on the wire.
struct ExpertRouting {
    double tokens = 0;
    int top_k = 0;
    int max_nodes = 0;      ///< 0 = unlimited
    units::Bytes token_bytes;
};

struct CommWork {
    CollectiveKind kind = CollectiveKind::all_reduce;
    ParallelDim dim = ParallelDim::dp;
    GroupPlacement group;
    units::Bytes bytes;       ///< see CollectiveKind for what it measures
    ExpertRouting routing;    ///< ep_dispatch / ep_combine only
    bool crosses_nodes = false; ///< send_recv only: peer is in another node
    /// The issuing rank: in symmetric mode the pipeline rank (its tp x cp x dp peers issue
    /// the same collective on their own groups at the same time, and a network model that
    /// shares bandwidth must carry all those copies); in full mode the GPU rank.
    int rank = 0;
    int peer_rank = -1;       ///< send_recv only: the receiving rank
};

enum class Stream : std::uint8_t {
    compute = 0,
    comm = 1,     ///< tensor/expert/context-parallel collectives
    pp = 2,       ///< pipeline sends
    dp = 3,       ///< data-parallel gradient and parameter collectives
};
inline constexpr int kStreamCount = 4;

constexpr const char* to_string(Stream s) {
    switch (s) {
    case Stream::compute: return "compute";
    case Stream::comm: return "comm";
    case Stream::pp: return "pp";
    case Stream::dp: return "dp";
    }
    return "?";
}

enum class Phase : std::uint8_t { forward, backward, weight_grad, optimizer };

using OpIndex = std::uint32_t;

struct Op {
    int rank = 0;                 ///< representative rank (pipeline rank in symmetric mode)
    Stream stream = Stream::compute;
    Phase phase = Phase::forward;
    int micro_batch = -1;
    int layer = -1;
    /// The schedule action this op belongs to, counted per rank. The compute stream runs the
    /// ops of one slot (in the order they become ready; program order breaks ties) before any
    /// op of the next: one slot is one chunk, or DualPipe's overlapped forward-backward pair.
    int slot = 0;
    /// Index into Program::blocks for compute ops; -1 for communication.
    int block = -1;
    CommWork comm;                ///< valid when block == -1
    std::vector<OpIndex> deps;    ///< ops (on any rank) that must finish first
    [[nodiscard]] bool is_compute() const { return block >= 0; }
};

/// One step of every representative rank. Streams run their ops one at a time: the compute
/// stream slot by slot (the schedule's order, see Op::slot), communication streams in the order
/// their ops become ready (ties in program order), like kernels on CUDA streams fed by a CPU
/// that issues each collective as soon as its inputs exist.
struct Program {
    int ranks = 0;                ///< representative ranks simulated
    int gpus_per_rank = 1;        ///< real GPUs each representative stands for
    int micro_batches = 0;        ///< per pipeline, this step
    std::vector<ComputeBlock> blocks;
    std::vector<Op> ops;
    /// Per rank: parameters it holds (all its chunks), split into expert and other weights.
    std::vector<double> expert_parameters, dense_parameters;
};

} // namespace tcsim::workload
