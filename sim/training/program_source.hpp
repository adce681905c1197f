// A symmetric Program's ops declared to the executor (exec/op_source.hpp) instead of copied into
// its tables: the executor makes each op from the program when it first matters and forgets it
// once it has finished, so it holds the ops in flight and 4 bytes per op beside the program the
// step already has. DeepSeek-V3's 128K context step is a million ops: copied, the executor's
// ops, edges and collectives were another 70 MB of fresh memory to zero, and the copy itself a
// pass over every op (README "Performance").
//
// Contract
// - The ops are the program's, with the same ids, specs (training/replay_spec.hpp) and work as
//   Executor::add would be given for each in id order: a compute op's time is its block's entry
//   of `blocks`, a collective is the op's own CommWork (the program and `blocks` must outlive the
//   run).
// - Throws, when constructed, what adding every op and starting would: std::logic_error from
//   spec_of for the first op on the wrong kind of stream or without its place in an agreed order;
//   std::invalid_argument for the first op on a rank outside the program ("op i on a lane outside
//   the executor"); then std::invalid_argument for a dependency on an op the program does not
//   have ("op i depends on a missing op", i the first op naming the highest such id).
#pragma once

#include "exec/op_source.hpp"
#include "training/program.hpp"
#include "training/program_successors.hpp"
#include "training/replay_spec.hpp"
#include "units/quantity.hpp"

#include <span>
#include <vector>

namespace tcsim::training {

class ProgramSource final : public exec::OpSource {
public:
    /// `successors`: where the program's successor index is built (its capacity reused); it must
    /// outlive the source.
    ProgramSource(const Program& program, const BlockTimes& blocks, ProgramSuccessors& successors);

    [[nodiscard]] std::size_t ops() const override { return program_.ops.size(); }
    void make(exec::OpId id, exec::OpSpec& spec, exec::OpWork& work) override;
    /// The program's own list (no copy).
    std::span<const exec::OpId> successors(exec::OpId id, std::vector<exec::OpId>& scratch) override;
    void roots(std::vector<exec::OpId>& out) override;
    [[nodiscard]] std::span<const exec::SlotCount> slots(int lane, int stream) override;
    /// Loads the successors' ops (one cache line each) while op `id` runs: the program is too
    /// large for the cache, and each op is read once, when it is made.
    void prefetch(exec::OpId id) override;

private:
    const Program& program_;
    const BlockTimes& blocks_;
    bool agreed_ = false;
    ProgramSuccessors& successors_;
    std::vector<OpIndex> roots_;                      ///< the ops without dependencies, ascending
    std::vector<std::vector<exec::SlotCount>> slots_; ///< by (rank, stream)
};

} // namespace tcsim::training
