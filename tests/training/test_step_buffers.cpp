// A step simulated on buffers an earlier step left (training/step_buffers.hpp) against the same
// step on fresh ones: "a step simulated on reused buffers gives the same result, bit for bit, as
// one on fresh buffers", whether the earlier step was larger, smaller or of another mode.
#include "deepseek_v3_256.hpp"
#include "training/program_builder.hpp"
#include "training/step_buffers.hpp"
#include "training/step_simulator.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstddef>

using namespace tcsim;
using training_test::deepseek_v3_256;
using training_test::Scaled;

namespace {

/// Every figure of two results, compared exactly.
void check_same(const training::StepResult& a, const training::StepResult& b) {
    CHECK(a.step_seconds == b.step_seconds);
    CHECK(a.breakdown.compute_s == b.breakdown.compute_s);
    CHECK(a.breakdown.exposed_comm_s == b.breakdown.exposed_comm_s);
    CHECK(a.breakdown.bubble_s == b.breakdown.bubble_s);
    CHECK(a.mfu == b.mfu);
    CHECK(a.events == b.events);
    CHECK(a.ops == b.ops);
    training_test::check_same_ranks(a.ranks, b.ranks);
}

} // namespace

TEST_CASE("a step on buffers a larger, a smaller or a full-mode step left is the step on fresh buffers") {
    // Two steps of different size on one cluster: at 4K context, 8 micro-batches per replica;
    // at 8K context under CP2 (ring attention: more ops per layer), 16 per replica.
    const Scaled small = deepseek_v3_256(1);
    const Scaled large = deepseek_v3_256(2);
    const int small_seq = 4096, small_batch = 64 * 8;
    const int large_seq = 8192, large_batch = 32 * 16;
    const auto fresh_small = training::simulate_step(small.cluster, small.workload, small_seq, small_batch);
    const auto fresh_large = training::simulate_step(large.cluster, large.workload, large_seq, large_batch);
    REQUIRE(fresh_large.ops > fresh_small.ops);

    training::StepBuffers buffers;
    CHECK(buffers.bytes() == 0);
    // Larger first: the smaller step fits in what it left, which does not grow.
    check_same(training::simulate_step(large.cluster, large.workload, large_seq, large_batch, nullptr, {}, &buffers),
               fresh_large);
    const std::size_t held = buffers.bytes();
    CHECK(held > 0);
    check_same(training::simulate_step(small.cluster, small.workload, small_seq, small_batch, nullptr, {}, &buffers),
               fresh_small);
    CHECK(buffers.bytes() == held);
    // Then larger again, on buffers the smaller step filled last.
    check_same(training::simulate_step(large.cluster, large.workload, large_seq, large_batch, nullptr, {}, &buffers),
               fresh_large);

    // Full mode (every GPU: the symmetric replay and then the expanded one, both on the buffers),
    // and the symmetric step again after it.
    training::StepOptions full_mode;
    full_mode.full = true;
    const auto fresh_full =
        training::simulate_step(small.cluster, small.workload, small_seq, small_batch, nullptr, full_mode);
    check_same(
        training::simulate_step(small.cluster, small.workload, small_seq, small_batch, nullptr, full_mode, &buffers),
        fresh_full);
    CHECK(buffers.bytes() > held);
    check_same(training::simulate_step(small.cluster, small.workload, small_seq, small_batch, nullptr, {}, &buffers),
               fresh_small);
}

TEST_CASE("build_program writes into the storage it is given and builds the same program") {
    // Contract (training/program_builder.hpp): "its ops written into `storage` (cleared first, its
    // capacity reused) ... The program is the same as build_program's."
    const Scaled s = deepseek_v3_256(1);
    const training::Program fresh = training::build_program(s.cluster, s.workload, 4096, 64 * 8);
    engine::HugeVector<training::Op> storage(fresh.ops.size()); // filled with default ops
    storage.reserve(2 * fresh.ops.size() + 10'000);                // more than the builder reserves
    const training::Op* memory = storage.data();
    const training::Program reused = training::build_program(s.cluster, s.workload, 4096, 64 * 8, std::move(storage));
    CHECK(reused.ops.data() == memory);
    REQUIRE(reused.ops.size() == fresh.ops.size());
    std::size_t differ = 0;
    for (std::size_t i = 0; i < fresh.ops.size(); ++i) {
        const training::Op& a = reused.ops[i];
        const training::Op& b = fresh.ops[i];
        const bool same = a.rank == b.rank && a.stream == b.stream && a.phase == b.phase && a.slot == b.slot &&
                          a.block == b.block && a.micro_batch == b.micro_batch && a.layer == b.layer &&
                          a.is_compute() == b.is_compute() && a.peer == b.peer &&
                          (a.is_compute() || (reused.comm(a).kind == fresh.comm(b).kind &&
                                              reused.comm(a).groups == fresh.comm(b).groups &&
                                              reused.comm(a).bytes == fresh.comm(b).bytes)) &&
                          std::equal(a.deps.begin(), a.deps.end(), b.deps.begin(), b.deps.end());
        if (!same) ++differ;
    }
    CHECK(differ == 0);
}
