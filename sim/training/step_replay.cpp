// The Program's ops become executor ops one for one (same ids), so the executor's event order
// is the program's: every scenario's output depends on that order bit for bit.
#include "training/step_replay.hpp"

#include "training/program_source.hpp"
#include "training/replay_spec.hpp"

#include <algorithm>
#include <optional>
#include <span>
#include <utility>
#include <stdexcept>
#include <string>

namespace tcsim::training {

namespace {

/// Full mode's ops for the executor to make as they matter (exec/op_source.hpp): each GPU's copy
/// of its stage's ops, from the expansion, with the same ids, specs and work as the ops added
/// one by one.
class FullSource final : public exec::OpSource {
public:
    FullSource(FullExpansion& expansion, const Program& symmetric, const BlockTimes& blocks, bool agreed)
        : expansion_(expansion), blocks_(blocks), agreed_(agreed) {
        // Checked up front, naming the lowest full id of an op that fails (its stage's first GPU).
        std::optional<std::pair<OpIndex, OpIndex>> first_bad; // (full id, symmetric op)
        std::vector<OpIndex> per_rank(static_cast<std::size_t>(symmetric.ranks), 0);
        for (OpIndex i = 0; i < symmetric.ops.size(); ++i) {
            const Op& op = symmetric.ops[i];
            const auto r = static_cast<std::size_t>(op.rank);
            if (op.rank < 0 || r >= per_rank.size()) continue; // the executor names it
            const OpIndex id = expansion.base(op.rank * expansion.per_stage()) + per_rank[r]++;
            const bool bad = op.is_compute() != (op.stream == Stream::compute) ||
                             (agreed && !op.is_compute() && op.issue < 0);
            if (bad && (!first_bad || id < first_bad->first)) first_bad = std::pair{id, i};
        }
        if (first_bad) (void)spec_of(first_bad->first, symmetric.ops[first_bad->second], agreed);
        // Each stage's slots per stream, shared by its GPUs.
        slots_ = slot_counts(symmetric, agreed);
    }

    [[nodiscard]] std::size_t ops() const override { return expansion_.ops(); }

    void make(exec::OpId id, exec::OpSpec& spec, exec::OpWork& work) override {
        const FullExpansion::Place at = expansion_.locate(id);
        expansion_.make(at.gpu, at.position, op_, comm_, deps_);
        spec = spec_of(id, op_, agreed_);
        spec.deps = deps_;
        work = work_of(op_, &comm_, blocks_);
    }
    std::span<const exec::OpId> successors(exec::OpId id, std::vector<exec::OpId>& scratch) override {
        expansion_.successors(id, scratch);
        return scratch;
    }
    void roots(std::vector<exec::OpId>& out) override { expansion_.roots(out); }
    [[nodiscard]] std::span<const exec::SlotCount> slots(int lane, int stream) override {
        const auto stage = static_cast<std::size_t>(lane / expansion_.per_stage());
        return slots_[stage * kStreamCount + static_cast<std::size_t>(stream)];
    }

private:
    FullExpansion& expansion_;
    const BlockTimes& blocks_;
    bool agreed_;
    std::vector<std::vector<exec::SlotCount>> slots_; ///< by (stage, stream)
    Op op_;
    collective::CommWork comm_;
    std::vector<OpIndex> deps_;
};
} // namespace

StepReplay::StepReplay(const Program& program, const compute::ComputeModel& compute, network::NetworkModel& network,
                       engine::Simulation& sim, StepBuffers* buffers, HeldOps held)
    : program_(program), compute_(compute), network_(network), sim_(sim), buffers_(buffers), held_(held) {}

StepReplay::StepReplay(FullExpansion& expansion, const Program& symmetric, const compute::ComputeModel& compute,
                       network::NetworkModel& network, engine::Simulation& sim, StepBuffers* buffers,
                       HeldOps held)
    : program_(symmetric), expansion_(&expansion), compute_(compute), network_(network), sim_(sim),
      buffers_(buffers), held_(held) {}

std::vector<RankTimes> StepReplay::run() {
    // An agreed issue order is a slotted stream with one slot per op: the op at position k
    // starts only once ops 0..k-1 of its stream have started.
    const bool agreed = program_.comm_order == CommOrder::agreed;
    exec::ExecutorShape shape;
    shape.lanes = expansion_ != nullptr ? expansion_->gpus() : program_.ranks;
    for (int s = 0; s < kStreamCount; ++s)
        shape.streams.push_back({to_string(static_cast<Stream>(s)), slotted(static_cast<Stream>(s), agreed)
                                                                        ? exec::StreamOrder::slot_by_slot
                                                                        : exec::StreamOrder::ready_by_id});
    shape.primary_stream = static_cast<int>(Stream::compute);
    if (program_.ranks < 1) throw std::logic_error("a program without ranks");
    exec::ExecutorTables own_tables;
    exec::Executor executor(sim_, network_, std::move(shape), buffers_ != nullptr ? buffers_->executor : own_tables);

    BlockTimes blocks;
    for (const auto& b : program_.blocks) blocks.add(compute_.block_time(b));
    // `comm`: a communication op's collective.
    auto add = [&](OpIndex i, const Op& op, const collective::CommWork* comm, std::span<const OpIndex> deps) {
        exec::OpSpec spec = spec_of(i, op, agreed);
        spec.deps = deps;
        if (op.is_compute())
            executor.add(spec, blocks.seconds[static_cast<std::size_t>(op.block)]);
        else
            executor.add(spec, *comm);
    };
    std::optional<FullSource> full_source;
    ProgramSuccessors own_successors;
    std::optional<ProgramSource> program_source;
    if (expansion_ != nullptr && held_ == HeldOps::in_flight) {
        // Every set made in id order first (the network's set ids as expand_to_full's), then
        // each op only when it matters.
        expansion_->make_groups();
        full_source.emplace(*expansion_, program_, blocks, agreed);
        executor.declare(*full_source);
    } else if (expansion_ != nullptr) {
        executor.reserve(expansion_->ops(), expansion_->comm_ops(), expansion_->dependencies());
        Op op;
        collective::CommWork comm;
        std::vector<OpIndex> deps;
        OpIndex i = 0;
        for (int g = 0; g < expansion_->gpus(); ++g) {
            const std::size_t n = expansion_->stage_ops(g).size();
            for (std::size_t k = 0; k < n; ++k, ++i) {
                expansion_->make(g, k, op, comm, deps);
                add(i, op, &comm, deps);
            }
        }
    } else if (held_ == HeldOps::in_flight) {
        program_source.emplace(program_, blocks,
                               buffers_ != nullptr ? buffers_->successors : own_successors);
        executor.declare(*program_source);
    } else {
        std::size_t comm_ops = 0, dependencies = 0;
        for (const Op& op : program_.ops) {
            comm_ops += op.is_compute() ? 0 : 1;
            dependencies += op.deps.size();
        }
        executor.reserve(program_.ops.size(), comm_ops, dependencies);
        for (OpIndex i = 0; i < program_.ops.size(); ++i) {
            const Op& op = program_.ops[i];
            add(i, op, op.is_compute() ? nullptr : &program_.comm(op), op.deps);
        }
    }
    if (observer_) executor.set_observer({.started = {}, .finished = observer_});

    // The executor checks lanes (ranks) and dependencies, and names a deadlock's first stuck op.
    const std::vector<exec::LaneAccount> lanes = executor.run();
    peak_ops_held_ = executor.peak_ops_held();
    std::vector<RankTimes> out;
    out.reserve(lanes.size());
    for (std::size_t r = 0; r < lanes.size(); ++r) {
        const auto& lane = lanes[r];
        RankTimes t;
        t.rank = static_cast<int>(r);
        t.finish_s = lane.finish_s;
        t.breakdown.compute_s = lane.stream_busy_s[static_cast<std::size_t>(Stream::compute)];
        t.breakdown.exposed_comm_s = lane.idle_other_in_flight_s;
        t.breakdown.bubble_s = lane.idle_nothing_in_flight_s;
        t.expert_comm_s = lane.category_busy_s.size() > expert_comm ? lane.category_busy_s[expert_comm] : 0.0;
        out.push_back(t);
    }
    return out;
}

} // namespace tcsim::training
