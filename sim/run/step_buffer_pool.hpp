// Step buffers lent to the threads of a report's simulations (training/step_buffers.hpp): the
// threads of its WorkPool (run/work_pool.hpp), then the runs of uncertain inputs' design after
// it, build their steps in memory an earlier thread mapped, instead of each mapping (and the
// kernel zeroing) its own: DeepSeek-V3's 128K-context step alone maps about 70 MB of program ops.
//
// Contract
// - take() hands out a set of buffers: the largest given back and not taken since, or a new
//   one when none is free. give() takes one back. Both are thread safe; a set taken is the
//   taker's alone until given back.
// - Lending changes no result: a step on reused buffers gives the same bytes as on fresh ones
//   (step_buffers.hpp).
// - Lent: a set taken for the length of a scope, given back when the scope ends (an exception
//   included).
#pragma once

#include "training/step_buffers.hpp"

#include <cstddef>
#include <mutex>
#include <vector>

namespace tcsim::run {

class StepBufferPool {
public:
    [[nodiscard]] training::StepBuffers take();
    void give(training::StepBuffers buffers);
    /// Sets given back and not taken since.
    [[nodiscard]] std::size_t free_sets() const;

private:
    mutable std::mutex mutex_;
    std::vector<training::StepBuffers> free_;
};

/// Sets taken from a pool (or made here, with no pool) for the length of a scope.
class LentBuffers {
public:
    LentBuffers(StepBufferPool* pool, std::size_t sets);
    ~LentBuffers();
    LentBuffers(const LentBuffers&) = delete;
    LentBuffers& operator=(const LentBuffers&) = delete;
    [[nodiscard]] std::vector<training::StepBuffers>& sets() { return sets_; }

private:
    StepBufferPool* pool_;
    std::vector<training::StepBuffers> sets_;
};

} // namespace tcsim::run
