// How long a simulation is expected to take, for ordering a WorkPool (run/work_pool.hpp) and
// nothing else: rough CPU seconds, so that a report's steps and rollouts compare on one scale.
// A poor estimate costs the threads their balance, never a result.
//
// A step (symmetric mode) simulates its program's ops, about micro-batches per pipeline x layers
// x (4 + CP ring steps) x 4 of them (DeepSeek-V3 at 4K, 32K and 128K: 109K, 353K and 1.08M ops),
// each op costing about 0.45 us plus 3.2 ns per symmetric copy of its stage, whose flows the
// network still carries (GPT-4's estimate: 1,664 copies, 5.9 us an op; DeepSeek-V3's: 128 copies,
// 0.5 us). Full mode simulates every copy's ops (about 1 us each). A rollout prices about every
// decode step of every engine up to the longest response (7 ns each). Measured for the built-in
// story on a 2-core AMD EPYC VM, Release, 2026-12-07.
#pragma once

#include "workload/parallel_spec.hpp"

namespace tcsim::run {

[[nodiscard]] double expected_step_seconds(const workload::ParallelSpec& parallel, int layers, int global_batch,
                                           bool full);

[[nodiscard]] double expected_rollout_seconds(int engines, int max_response_tokens);

} // namespace tcsim::run
