#include "training/program_source.hpp"

#include "exec/executor.hpp"
#include "training/replay_spec.hpp"

#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

namespace tcsim::training {

ProgramSource::ProgramSource(const Program& program, const BlockTimes& blocks, ProgramSuccessors& successors)
    : program_(program), blocks_(blocks), agreed_(program.comm_order == CommOrder::agreed), successors_(successors) {
    // The checks Executor::add makes of each op in id order, then start()'s of the dependencies
    // named ahead: the op naming the highest id (the first to name it).
    std::optional<std::pair<OpIndex, OpIndex>> latest; // (op, dependency)
    // One pass for the checks, the slots and the roots (the program is large and cold).
    SlotLists slots(program.ranks, agreed_);
    for (OpIndex i = 0; i < program.ops.size(); ++i) {
        const Op& op = program.ops[i];
        (void)spec_of(i, op, agreed_);
        if (op.rank < 0 || op.rank >= program.ranks)
            throw std::invalid_argument("op " + std::to_string(i) + " on a lane outside the executor");
        for (const OpIndex d : op.deps)
            if (d >= i && (!latest || d > latest->second)) latest = std::pair{i, d};
        if (op.deps.empty()) roots_.push_back(i);
        slots.add(op);
    }
    if (latest && latest->second >= program.ops.size())
        throw std::invalid_argument("op " + std::to_string(latest->first) + " depends on a missing op");
    successors_.build(program);
    slots_ = slots.take();
}

void ProgramSource::make(exec::OpId id, exec::OpSpec& spec, exec::OpWork& work) {
    const Op& op = program_.ops[id];
    spec = spec_of(id, op, agreed_);
    spec.deps = std::span<const exec::OpId>(op.deps.data(), op.deps.size());
    work = work_of(op, op.is_compute() ? nullptr : &program_.comm(op), blocks_);
}

std::span<const exec::OpId> ProgramSource::successors(exec::OpId id, std::vector<exec::OpId>& /*scratch*/) {
    return successors_.of(id);
}

void ProgramSource::roots(std::vector<exec::OpId>& out) { out.assign(roots_.begin(), roots_.end()); }

std::span<const exec::SlotCount> ProgramSource::slots(int lane, int stream) {
    return slots_[static_cast<std::size_t>(lane) * kStreamCount + static_cast<std::size_t>(stream)];
}

void ProgramSource::prefetch(exec::OpId id) {
    for (const OpIndex s : successors_.of(id)) __builtin_prefetch(&program_.ops[s]);
}

} // namespace tcsim::training
