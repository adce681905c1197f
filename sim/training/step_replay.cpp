// The Program's ops become executor ops one for one (same ids), so the executor's event order
// is the program's: every scenario's output depends on that order bit for bit.
#include "training/step_replay.hpp"

#include <span>
#include <stdexcept>
#include <string>

namespace tcsim::training {

namespace {
/// Accounting categories: expert-parallel dispatch and combine, and everything else.
enum Category : int { other = 0, expert_comm = 1 };
} // namespace

StepReplay::StepReplay(const Program& program, const compute::ComputeModel& compute, network::NetworkModel& network,
                       engine::Simulation& sim, exec::ExecutorTables* tables)
    : program_(program), compute_(compute), network_(network), sim_(sim), tables_(tables) {}

StepReplay::StepReplay(FullExpansion& expansion, const Program& symmetric, const compute::ComputeModel& compute,
                       network::NetworkModel& network, engine::Simulation& sim, exec::ExecutorTables* tables)
    : program_(symmetric), expansion_(&expansion), compute_(compute), network_(network), sim_(sim),
      tables_(tables) {}

std::vector<RankTimes> StepReplay::run() {
    // An agreed issue order is a slotted stream with one slot per op: the op at position k
    // starts only once ops 0..k-1 of its stream have started.
    const bool agreed = program_.comm_order == CommOrder::agreed;
    exec::ExecutorShape shape;
    shape.lanes = expansion_ != nullptr ? expansion_->gpus() : program_.ranks;
    for (int s = 0; s < kStreamCount; ++s)
        shape.streams.push_back({to_string(static_cast<Stream>(s)), static_cast<Stream>(s) == Stream::compute || agreed
                                                                        ? exec::StreamOrder::slot_by_slot
                                                                        : exec::StreamOrder::ready_by_id});
    shape.primary_stream = static_cast<int>(Stream::compute);
    if (program_.ranks < 1) throw std::logic_error("a program without ranks");
    exec::ExecutorTables own_tables;
    exec::Executor executor(sim_, network_, std::move(shape), tables_ != nullptr ? *tables_ : own_tables);

    std::vector<units::Seconds> block_seconds;
    block_seconds.reserve(program_.blocks.size());
    for (const auto& b : program_.blocks) block_seconds.push_back(compute_.block_time(b));
    auto add = [&](OpIndex i, const Op& op, std::span<const OpIndex> deps) {
        if (op.is_compute() != (op.stream == Stream::compute))
            throw std::logic_error(
                "op " + std::to_string(i) +
                (op.is_compute() ? " computes on a communication stream" : " communicates on the compute stream"));
        exec::OpSpec spec;
        spec.lane = op.rank;
        spec.stream = static_cast<int>(op.stream);
        spec.slot = op.slot;
        if (agreed && !op.is_compute()) {
            if (op.issue < 0)
                throw std::logic_error("op " + std::to_string(i) +
                                       " communicates without a place in its stream's agreed issue order");
            spec.slot = op.issue;
        }
        spec.category = !op.is_compute() && op.dim == Dim::ep ? expert_comm : other;
        spec.deps = deps;
        if (op.is_compute())
            executor.add(spec, block_seconds[static_cast<std::size_t>(op.block)]);
        else
            executor.add(spec, op.comm);
    };
    if (expansion_ != nullptr) {
        executor.reserve(expansion_->ops(), expansion_->comm_ops(), expansion_->dependencies());
        Op op;
        std::vector<OpIndex> deps;
        OpIndex i = 0;
        for (int g = 0; g < expansion_->gpus(); ++g) {
            const std::size_t n = expansion_->stage_ops(g).size();
            for (std::size_t k = 0; k < n; ++k, ++i) {
                expansion_->make(g, k, op, deps);
                add(i, op, deps);
            }
        }
    } else {
        std::size_t comm_ops = 0, dependencies = 0;
        for (const Op& op : program_.ops) {
            comm_ops += op.is_compute() ? 0 : 1;
            dependencies += op.deps.size();
        }
        executor.reserve(program_.ops.size(), comm_ops, dependencies);
        for (OpIndex i = 0; i < program_.ops.size(); ++i) add(i, program_.ops[i], program_.ops[i].deps);
    }
    if (observer_) executor.set_observer({.started = {}, .finished = observer_});

    // The executor checks lanes (ranks) and dependencies, and names a deadlock's first stuck op.
    const std::vector<exec::LaneAccount> lanes = executor.run();
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
