// The Program: what every simulated rank does in one training step, as operations with
// dependencies. It is the hand-off from the program builder (which knows the model, the layout
// and the schedule) to the step replay (which knows how long things take). It carries no times.
//
// Compute work is described by kernels (compute/kernel.hpp: FLOPs, bytes, dtype, GEMM shape);
// identical kernel sequences (a layer's forward for any micro-batch) are stored once as a
// `ComputeBlock` and referenced by index, so the step replay prices each distinct block once.
// Communication work names its collective, its payload and its group; the network model
// prices it. Like blocks, the distinct collectives are stored once, in `Program::comms`, and
// each communication op holds a 4-byte index: a collective is 64 bytes, most of a program's
// collectives are the same few per rank repeated for every micro-batch, and a long context's
// program holds half a million of them (issue 18: an op of 64 bytes, one cache line, not 120).
#pragma once

#include "collective/comm_work.hpp"
#include "compute/kernel.hpp"
#include "engine/huge_page_allocator.hpp"
#include "hardware/dtype.hpp"
#include "layout/rank_grid.hpp"
#include "training/dep_list.hpp"
#include "units/quantity.hpp"

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace tcsim::training {

// The kernel vocabulary, as the program speaks it (compute/kernel.hpp).
using compute::ComputeBlock;
using compute::GemmShape;
using compute::Kernel;
using compute::KernelRole;
using compute::OpClass;

// The collective vocabulary and the rank grid, as the program speaks them.
using collective::CollectiveKind;
using collective::CommWork;
using collective::ExpertRouting;
using collective::GroupPlacement;
using layout::Dim;

enum class Stream : std::uint8_t {
    compute = 0,
    comm = 1, ///< tensor/expert/context-parallel collectives
    pp = 2,   ///< pipeline sends
    dp = 3,   ///< data-parallel gradient and parameter collectives
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

/// Op::comm of a compute op.
inline constexpr std::uint32_t kNoComm = 0xffffffffU;

/// One cache line, aligned to one: the executor reads each op of a large program once, cold.
struct alignas(64) Op {
    int rank = 0; ///< representative rank (pipeline rank in symmetric mode)
    Stream stream = Stream::compute;
    Phase phase = Phase::forward;
    /// Communication only: the parallel dimension whose groups run it (beside the other
    /// one-byte fields).
    Dim dim = Dim::dp;
    int micro_batch = -1;
    int layer = -1;
    /// The schedule action this op belongs to, counted per rank. The compute stream runs the
    /// ops of one slot (in the order they become ready; program order breaks ties) before any
    /// op of the next: one slot is one chunk, or DualPipe's overlapped forward-backward pair.
    int slot = 0;
    /// Index into Program::blocks for compute ops; -1 for communication.
    int block = -1;
    /// Index into Program::comms when block == -1 (its group set is in Program::groups);
    /// kNoComm for compute.
    std::uint32_t comm = kNoComm;
    /// Communication only: for a pipeline send the representative rank it goes to (-1 otherwise; a send_recv without a peer is a
    /// ring shift: every rank of each `dim` group sends to the next, as context parallelism
    /// passes K/V blocks around).
    int peer = -1;
    /// Communication only, with Program::comm_order == agreed: the op's position in the order
    /// its rank's stream issues its ops (0, 1, 2, ... per rank and stream); -1 otherwise.
    int issue = -1;
    DepList deps; ///< ops (on any rank) that must finish first
    [[nodiscard]] bool is_compute() const { return block >= 0; }
};
static_assert(sizeof(Op) == 64, "an op is one cache line: the program's op list is its largest table");

/// How a rank's communication streams order their ops.
enum class CommOrder : std::uint8_t {
    /// In the order they become ready (ties in program order), like kernels on CUDA streams fed
    /// by a CPU that issues each collective as soon as its inputs exist. Symmetric mode: every
    /// member of a group is the one representative, so all issue in one order.
    ready,
    /// In the order of Op::issue, each once it is ready; a later op never overtakes an earlier
    /// one. Full mode: every member of a group issues the group's collectives in one agreed
    /// order, as NCCL requires of a communicator and as a framework's fixed program order gives
    /// (training/issue_order.hpp).
    agreed,
};

/// One step of every representative rank. Streams run their ops one at a time: the compute
/// stream slot by slot (the schedule's order, see Op::slot), communication streams as
/// `comm_order` says.
struct Program {
    int ranks = 0;         ///< representative ranks simulated
    int gpus_per_rank = 1; ///< real GPUs each representative stands for
    int micro_batches = 0; ///< per pipeline, this step
    CommOrder comm_order = CommOrder::ready;
    std::vector<ComputeBlock> blocks;
    /// The collectives the communication ops run, each stored once per distinct use (ops index
    /// it by Op::comm).
    std::vector<CommWork> comms;
    engine::HugeVector<Op> ops; ///< huge pages once large: made afresh each step
    /// Where every rank sits, and the groups that each communication op runs on (one set per
    /// dimension and representative: in symmetric mode every copy in the stage, in full mode
    /// the GPU's own group), both from the one RankGrid.
    layout::RankGrid grid;
    collective::GroupTable groups;
    /// Per rank: parameters it holds (all its chunks), split into expert and other weights.
    std::vector<double> expert_parameters, dense_parameters;

    /// The collective of communication op `op`.
    [[nodiscard]] const CommWork& comm(const Op& op) const { return comms[op.comm]; }
    /// Adds `work` to `comms`; returns its index, for Op::comm.
    std::uint32_t add_comm(const CommWork& work) {
        comms.push_back(work);
        return static_cast<std::uint32_t>(comms.size() - 1);
    }
};

} // namespace tcsim::training
