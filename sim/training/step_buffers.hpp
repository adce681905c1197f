// What one simulated step leaves for the next on the same thread: the program's op list and the
// executor's tables, the large tables a step builds (DeepSeek-V3's 128K-context step: a million
// ops, about 70 MB of program at 64 bytes an op; the executor, given the ops declared, holds those in flight and
// 4 bytes per op). A step on fresh tables pays the kernel's zeroing of every page it touches;
// a step on the buffers of an earlier one writes into memory already mapped.
//
// Contract
// - Owned by whoever simulates several steps one after another (each thread of a
//   run::WorkPool keeps one for the steps it takes, lent by the report's run::StepBufferPool when
//   it has one, so that the simulations of one report reuse them) and passed explicitly to
//   simulate_step; never shared by two steps at once (not thread safe). Nothing in them is read
//   as input: a step simulated on reused buffers gives the same result, bit for bit, as one on
//   fresh buffers.
// - A buffer grows to the largest step it has served and keeps that memory until destroyed;
//   `bytes()` is the capacity held.
#pragma once

#include "engine/huge_page_allocator.hpp"
#include "exec/executor_tables.hpp"
#include "training/program.hpp"
#include "training/program_successors.hpp"

#include <cstddef>

namespace tcsim::training {

struct StepBuffers {
    /// Program::ops's storage between steps (given to build_program, taken back after the run).
    engine::HugeVector<Op> program_ops;
    /// The executor's ops, collectives and edges.
    exec::ExecutorTables executor;
    /// The symmetric replay's index of the program's successors (training/program_source.hpp).
    ProgramSuccessors successors;

    [[nodiscard]] std::size_t bytes() const {
        return program_ops.capacity() * sizeof(Op) + executor.bytes() + successors.bytes();
    }
};

} // namespace tcsim::training
