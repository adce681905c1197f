// Ops declared all at once and made one at a time: what an executor needs of a graph it never
// holds whole (full mode's tens of millions of ops, issue 14 item 6). The executor asks for an op
// only when it first matters (it has no dependencies and the run starts, or one of its
// dependencies has just finished) and forgets it once it has finished, so that it holds the ops
// in flight rather than every op of the run.
//
// Contract (for an implementation)
// - Ids are 0 .. ops()-1. The graph is fixed: every call about one id answers the same.
// - make(id, spec, work) fills `spec` (lane, stream, slot, category, and `deps`: a span that stays
//   valid until the next call to make) and `work` (a compute time or a collective) exactly as
//   Executor::add would have been given them.
// - successors(id, scratch) gives the ops that name `id` among their dependencies, ascending,
//   each as many times as it names `id`: in `scratch` (replaced) or in the source's own storage,
//   valid until the next call to successors() whatever else is called meanwhile.
// - roots(out) replaces `out` with the ops without dependencies, ascending.
// - slots(lane, stream) gives, for a slotted stream, every slot its ops are in, ascending, each
//   with how many of the lane's ops on that stream are in it; it stays valid while the executor
//   runs.
// - prefetch(id) is a hint, given as op `id` starts: its successors will be asked for, and made,
//   once it finishes. An implementation may start loading what those calls read into the cache;
//   it must change nothing else (the default does nothing).
#pragma once

#include "collective/comm_work.hpp"
#include "engine/sim_time.hpp"
#include "exec/executor_tables.hpp"
#include "units/quantity.hpp"

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

namespace tcsim::exec {

struct OpSpec;

/// One slot of a slotted stream and how many ops are in it.
struct SlotCount {
    int slot = 0;
    int ops = 0;
};

/// An op's work: a compute time, or (when `comm` is set) a collective the network runs.
struct OpWork {
    units::Seconds compute{0};
    const collective::CommWork* comm = nullptr; ///< valid until the next call to make
    /// When set, the compute time as the executor would round it (engine::to_duration(compute,
    /// Rounding::up)), taken as is: a source whose ops share a few times rounds each once.
    std::optional<engine::Duration> rounded;
};

class OpSource {
public:
    OpSource() = default;
    OpSource(const OpSource&) = delete;
    OpSource& operator=(const OpSource&) = delete;
    virtual ~OpSource() = default;

    [[nodiscard]] virtual std::size_t ops() const = 0;
    virtual void make(OpId id, OpSpec& spec, OpWork& work) = 0;
    [[nodiscard]] virtual std::span<const OpId> successors(OpId id, std::vector<OpId>& scratch) = 0;
    virtual void roots(std::vector<OpId>& out) = 0;
    [[nodiscard]] virtual std::span<const SlotCount> slots(int lane, int stream) = 0;
    virtual void prefetch(OpId /*id*/) {}

protected:
    OpSource(OpSource&&) = default;
    OpSource& operator=(OpSource&&) = default;
};

} // namespace tcsim::exec
