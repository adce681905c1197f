// The executor's view of a Program's ops (exec/executor.hpp): where each runs, in which slot,
// under which accounting category, and the slots each rank's slotted streams hold. The step
// replay gives the executor its ops through this view whether it copies them in (Executor::add)
// or declares them (exec/op_source.hpp), symmetric or expanded to every GPU, so that every way
// gives the same specs.
//
// Contract
// - Lanes are ranks and streams are training::Stream's values. The compute stream is slotted by
//   Op::slot; communication streams run ready ops by id, or, with an agreed issue order, are
//   slotted by Op::issue (one slot per op: the op at position k starts only once ops 0..k-1 of
//   its stream have started).
// - spec_of throws std::logic_error, naming op `i`, for an op on the wrong kind of stream or a
//   collective without its place in an agreed order; its `deps` are left empty.
// - work_of gives a source's OpWork for an op: what Executor::add would be given, with the block's
//   time rounded once (BlockTimes).
// - SlotLists, given every op of a program once (add), lists per (rank, stream) every slot the
//   rank's ops on that stream are in, ascending, each with how many of them it holds (empty for
//   a stream that is not slotted); ops on a rank outside the program are left out. slot_counts
//   gives a whole program's.
#pragma once

#include "exec/executor.hpp"
#include "exec/op_source.hpp"
#include "training/program.hpp"

#include <span>
#include <string>
#include <vector>

namespace tcsim::training {

/// Accounting categories: expert-parallel dispatch and combine, and everything else.
enum ReplayCategory : int { other_work = 0, expert_comm = 1 };

/// Whether a program's stream is slotted (the compute stream always; the others in an agreed order).
[[nodiscard]] inline bool slotted(Stream stream, bool agreed) { return stream == Stream::compute || agreed; }

[[noreturn]] void refuse_spec(OpIndex i, const Op& op);

/// Inline: the declared replay asks it of every op as the op is made.
[[nodiscard]] inline exec::OpSpec spec_of(OpIndex i, const Op& op, bool agreed) {
    if (op.is_compute() != (op.stream == Stream::compute) || (agreed && !op.is_compute() && op.issue < 0))
        refuse_spec(i, op);
    exec::OpSpec spec;
    spec.lane = op.rank;
    spec.stream = static_cast<int>(op.stream);
    spec.slot = agreed && !op.is_compute() ? op.issue : op.slot;
    spec.category = !op.is_compute() && op.dim == Dim::ep ? expert_comm : other_work;
    return spec;
}

class SlotLists {
public:
    SlotLists(int ranks, bool agreed);
    void add(const Op& op);
    /// The lists by rank * kStreamCount + stream, once every op has been added.
    [[nodiscard]] std::vector<std::vector<exec::SlotCount>> take();

private:
    std::size_t ranks_ = 0;
    bool agreed_ = false;
    std::vector<std::vector<exec::SlotCount>> lists_;
    std::vector<bool> unsorted_; ///< a list whose slots went back: sorted and merged by take()
};

[[nodiscard]] std::vector<std::vector<exec::SlotCount>> slot_counts(const Program& program, bool agreed);

/// Each compute block's time, and the same as the executor rounds it (engine::to_duration(time,
/// Rounding::up)), rounded once per block.
struct BlockTimes {
    std::vector<units::Seconds> seconds;
    std::vector<engine::Duration> rounded;
    void add(units::Seconds time) {
        seconds.push_back(time);
        rounded.push_back(engine::to_duration(time, engine::Rounding::up));
    }
};

/// An op's work for a source to give the executor: its block's time, already rounded, or its
/// collective `comm` (communication ops only; it must outlive the executor's use of it, until
/// the next make).
[[nodiscard]] inline exec::OpWork work_of(const Op& op, const CommWork* comm, const BlockTimes& blocks) {
    if (!op.is_compute()) return exec::OpWork{.compute = units::Seconds(0), .comm = comm, .rounded = std::nullopt};
    const auto b = static_cast<std::size_t>(op.block);
    return exec::OpWork{.compute = blocks.seconds[b], .comm = nullptr, .rounded = blocks.rounded[b]};
}

} // namespace tcsim::training
