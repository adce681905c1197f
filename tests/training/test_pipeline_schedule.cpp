// Pipeline schedules as op orders: every micro-batch's forward and backward appear exactly once
// per chunk, forward before backward on each rank, and DualPipe follows its reference counts.
#include "training/pipeline_schedule.hpp"

#include <doctest/doctest.h>

#include <map>
#include <set>
#include <stdexcept>
#include <tuple>

using namespace tcsim::workload;
using namespace tcsim::training;

namespace {

struct Counts {
    std::map<std::tuple<int, int>, int> forward, backward, weight;
};

/// Checks the invariants every schedule must hold and returns the per-(mb, chunk) counts of
/// one rank.
Counts check_rank(const std::vector<Action>& order, bool split_allowed) {
    Counts c;
    std::set<std::tuple<int, int>> forwarded, backwarded;
    auto on_forward = [&](int mb, int chunk) {
        ++c.forward[{mb, chunk}];
        forwarded.insert({mb, chunk});
    };
    auto on_backward = [&](int mb, int chunk) {
        CHECK_MESSAGE(forwarded.count({mb, chunk}) == 1, "backward of mb " << mb << " before its forward");
        ++c.backward[{mb, chunk}];
        backwarded.insert({mb, chunk});
    };
    for (const Action& a : order) {
        switch (a.kind) {
        case ActionKind::forward: on_forward(a.micro_batch, a.chunk); break;
        case ActionKind::backward: on_backward(a.micro_batch, a.chunk); break;
        case ActionKind::backward_input:
            CHECK(split_allowed);
            on_backward(a.micro_batch, a.chunk);
            break;
        case ActionKind::weight:
            CHECK(backwarded.count({a.micro_batch, a.chunk}) == 1);
            ++c.weight[{a.micro_batch, a.chunk}];
            break;
        case ActionKind::forward_backward:
            on_forward(a.micro_batch, a.chunk);
            on_backward(a.micro_batch2, a.chunk2);
            break;
        }
    }
    return c;
}

} // namespace

TEST_CASE("1F1B: P-r-1 warm-up forwards, every micro-batch once, forward before backward") {
    const int P = 4, M = 8;
    const auto orders = make_schedule(PipelineSchedule::one_f_one_b, P, M, 1);
    REQUIRE(orders.size() == 4);
    for (int r = 0; r < P; ++r) {
        const auto& o = orders[static_cast<std::size_t>(r)];
        CHECK(o.size() == 2 * M);
        const Counts c = check_rank(o, false);
        CHECK(c.forward.size() == M);
        CHECK(c.backward.size() == M);
        // The first P-r-1 actions are forwards, then the first backward follows one more forward.
        for (int i = 0; i < P - r; ++i) CHECK(o[static_cast<std::size_t>(i)].kind == ActionKind::forward);
        CHECK(o[static_cast<std::size_t>(P - r)].kind == ActionKind::backward);
    }
}

TEST_CASE("GPipe runs all forwards before any backward") {
    const auto orders = make_schedule(PipelineSchedule::gpipe, 2, 3, 1);
    for (const auto& o : orders) {
        for (int i = 0; i < 3; ++i) CHECK(o[static_cast<std::size_t>(i)].kind == ActionKind::forward);
        for (int i = 3; i < 6; ++i) CHECK(o[static_cast<std::size_t>(i)].kind == ActionKind::backward);
    }
}

TEST_CASE("zero-bubble splits every backward into input and weight parts") {
    const int P = 4, M = 8;
    const auto orders = make_schedule(PipelineSchedule::zero_bubble, P, M, 1);
    for (const auto& o : orders) {
        const Counts c = check_rank(o, true);
        CHECK(c.backward.size() == M);
        CHECK(c.weight.size() == M);
    }
    // The last rank has no warm-up, so it runs each weight gradient right after its input gradient.
    const auto& last = orders.back();
    CHECK(last[1].kind == ActionKind::backward_input);
    CHECK(last[2].kind == ActionKind::weight);
}

TEST_CASE("interleaved 1F1B visits every chunk of every micro-batch, chunks in order for forwards") {
    const int P = 4, M = 8, V = 2;
    const auto orders = make_schedule(PipelineSchedule::interleaved_1f1b, P, M, V);
    for (const auto& o : orders) {
        const Counts c = check_rank(o, false);
        CHECK(c.forward.size() == M * V);
        CHECK(c.backward.size() == M * V);
    }
    CHECK(chunks_per_rank(PipelineSchedule::interleaved_1f1b, V) == 2);
    CHECK(model_stages(PipelineSchedule::interleaved_1f1b, P, V) == 8);
    CHECK(model_stage(PipelineSchedule::interleaved_1f1b, P, 1, 1) == 5);
    CHECK_THROWS_AS(make_schedule(PipelineSchedule::interleaved_1f1b, 4, 6, 2), std::invalid_argument);
}

TEST_CASE("DualPipe: both directions, each micro-batch once, all weight gradients run, reference shape") {
    const int P = 8, M = 20;
    const auto orders = make_schedule(PipelineSchedule::dualpipe, P, M, 1);
    REQUIRE(orders.size() == P);
    for (int r = 0; r < P; ++r) {
        const Counts c = check_rank(orders[static_cast<std::size_t>(r)], true);
        // Every micro-batch of direction d passes this rank once, forward and backward.
        CHECK(c.forward.size() == M);
        CHECK(c.backward.size() == M);
        for (const auto& [key, n] : c.forward) {
            const auto [mb, chunk] = key;
            CHECK(n == 1);
            CHECK(chunk == (mb < M / 2 ? 0 : 1));
        }
        for (const auto& [key, n] : c.weight) CHECK(n == 1);
    }
    // Rank 0 starts with (P/2 - 1) * 2 + 1 forwards of direction 0 (steps 1 and 2 of dualpipe.py).
    const auto& r0 = orders[0];
    for (int i = 0; i < P - 1; ++i) {
        CHECK(r0[static_cast<std::size_t>(i)].kind == ActionKind::forward);
        CHECK(r0[static_cast<std::size_t>(i)].chunk == 0);
    }
    CHECK(r0[static_cast<std::size_t>(P - 1)].chunk == 1);
    // The schedule is symmetric: rank P-1-r mirrors rank r with the directions swapped.
    for (int r = 0; r < P; ++r) {
        const auto& a = orders[static_cast<std::size_t>(r)];
        const auto& b = orders[static_cast<std::size_t>(P - 1 - r)];
        REQUIRE(a.size() == b.size());
        for (std::size_t i = 0; i < a.size(); ++i) {
            CHECK(a[i].kind == b[i].kind);
            CHECK(a[i].chunk == 1 - b[i].chunk);
        }
    }
    // Placement: direction 0 enters at rank 0, direction 1 at rank P-1.
    CHECK(locate_stage(PipelineSchedule::dualpipe, P, M, 0, 0).rank == 0);
    CHECK(locate_stage(PipelineSchedule::dualpipe, P, M, M - 1, 0).rank == P - 1);
    CHECK(model_stage(PipelineSchedule::dualpipe, P, 2, 1) == P - 3);
}

TEST_CASE("DualPipe refuses shapes its reference implementation refuses") {
    CHECK_THROWS_AS(make_schedule(PipelineSchedule::dualpipe, 3, 12, 1), std::invalid_argument);
    CHECK_THROWS_AS(make_schedule(PipelineSchedule::dualpipe, 4, 6, 1), std::invalid_argument);
    CHECK_THROWS_AS(make_schedule(PipelineSchedule::dualpipe, 4, 9, 1), std::invalid_argument);
    CHECK_NOTHROW(make_schedule(PipelineSchedule::dualpipe, 4, 8, 1));
}

TEST_CASE("combined 1F1B (ep_comm_overlap): steady forward/backward pairs of independent micro-batches") {
    // Interleaved: Megatron-Core adds one warm-up forward, then pairs each steady (forward,
    // backward) of the interleaved loop into one action (moe_a2a_overlap.md, "Schedule overview").
    const int P = 4, M = 8, V = 2;
    const auto plain = make_schedule(PipelineSchedule::interleaved_1f1b, P, M, V);
    const auto combined = make_schedule(PipelineSchedule::interleaved_1f1b, P, M, V, true);
    REQUIRE(combined.size() == static_cast<std::size_t>(P));
    for (int r = 0; r < P; ++r) {
        CAPTURE(r);
        const auto& o = combined[static_cast<std::size_t>(r)];
        const Counts c = check_rank(o, false);
        CHECK(c.forward.size() == M * V);
        CHECK(c.backward.size() == M * V);
        const int warmup = std::min(M * V, (P - r - 1) * 2 + (V - 1) * P + 1);
        int alone_forward = 0, alone_backward = 0, pairs = 0;
        for (const Action& a : o) {
            if (a.kind == ActionKind::forward) ++alone_forward;
            if (a.kind == ActionKind::backward) ++alone_backward;
            if (a.kind != ActionKind::forward_backward) continue;
            ++pairs;
            CHECK_FALSE((a.micro_batch == a.micro_batch2 && a.chunk == a.chunk2));
        }
        CHECK(alone_forward == warmup);
        CHECK(alone_backward == warmup);
        CHECK(pairs == M * V - warmup);
        // The plain schedule's first action is the same forward: only the steady state changes.
        CHECK(o.front().kind == ActionKind::forward);
        CHECK(o.front().micro_batch == plain[static_cast<std::size_t>(r)].front().micro_batch);
    }
    // PP1: forward 0 alone, then forward k with backward k-1, then the last backward alone.
    const auto one = make_schedule(PipelineSchedule::one_f_one_b, 1, 4, 1, true);
    REQUIRE(one.size() == 1);
    const auto& o = one.front();
    REQUIRE(o.size() == 5);
    CHECK(o[0].kind == ActionKind::forward);
    CHECK(o[0].micro_batch == 0);
    for (int k = 1; k < 4; ++k) {
        CHECK(o[static_cast<std::size_t>(k)].kind == ActionKind::forward_backward);
        CHECK(o[static_cast<std::size_t>(k)].micro_batch == k);
        CHECK(o[static_cast<std::size_t>(k)].micro_batch2 == k - 1);
    }
    CHECK(o[4].kind == ActionKind::backward);
    CHECK(o[4].micro_batch == 3);
    check_rank(o, false);
    // Megatron-Core needs a virtual pipeline when PP > 1; other schedules have no such pairs.
    CHECK_THROWS_AS(make_schedule(PipelineSchedule::one_f_one_b, 2, 4, 1, true), std::invalid_argument);
    CHECK_THROWS_AS(make_schedule(PipelineSchedule::gpipe, 1, 4, 1, true), std::invalid_argument);
    CHECK_THROWS_AS(make_schedule(PipelineSchedule::dualpipe, 4, 8, 1, true), std::invalid_argument);
}
