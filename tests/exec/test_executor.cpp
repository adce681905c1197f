// The executor against its contract (sim/exec/executor.hpp), with hand-derived timings: compute
// ops take whole seconds and a stand-in network completes a transfer after as many seconds as
// it has bytes, so every start and end below is an exact number.
#include "exec/executor.hpp"

#include "engine/simulation.hpp"
#include "network/network_model.hpp"
#include "seconds_per_byte_network.hpp"

#include <doctest/doctest.h>

#include <array>
#include <functional>
#include <span>
#include <vector>

using namespace tcsim;

namespace {

using exec_test::SecondsPerByteNetwork;

constexpr int kCompute = 0;
constexpr int kComm = 1;

exec::ExecutorShape two_streams(exec::StreamOrder compute_order) {
    return exec::ExecutorShape{.lanes = 1,
                               .streams = {{"compute", compute_order}, {"comm", exec::StreamOrder::ready_by_id}},
                               .primary_stream = kCompute};
}

collective::CommWork taking_seconds(double seconds) {
    collective::CommWork w;
    w.kind = collective::CollectiveKind::send_recv;
    w.bytes = units::Bytes(seconds);
    return w;
}

/// Records every finished op's span, indexed by op id.
struct Spans {
    std::vector<exec::OpSpan> by_op;
    void record(const exec::OpSpan& s) {
        if (by_op.size() <= s.op) by_op.resize(s.op + 1);
        by_op[s.op] = s;
    }
};

/// The graph of the first case below: compute A (1 s); transfer B (2 s, category 1) after A;
/// compute C (1 s) after B.
void add_a_b_c(exec::Executor& ex) {
    const exec::OpId a = ex.add({.lane = 0, .stream = kCompute}, units::Seconds(1.0));
    const std::array<exec::OpId, 1> after_a{a};
    const exec::OpId b = ex.add({.lane = 0, .stream = kComm, .category = 1, .deps = after_a}, taking_seconds(2.0));
    const std::array<exec::OpId, 1> after_b{b};
    ex.add({.lane = 0, .stream = kCompute, .deps = after_b}, units::Seconds(1.0));
}

/// A [0, 1], B [1, 3], C [3, 4].
void check_a_b_c(const Spans& spans) {
    REQUIRE(spans.by_op.size() == 3);
    CHECK(spans.by_op[0].start_s == 0.0);
    CHECK(spans.by_op[0].end_s == 1.0);
    CHECK(spans.by_op[1].start_s == 1.0);
    CHECK(spans.by_op[1].end_s == 3.0);
    CHECK(spans.by_op[2].start_s == 3.0);
    CHECK(spans.by_op[2].end_s == 4.0);
}

} // namespace

TEST_CASE("two dependent ops on two streams run back to back, and the wait is idle with other work in flight") {
    // Contract: "an op starts when the ops it depends on are done and its stream is free";
    // the primary stream's idle time is "split into time while other work of this lane (an op
    // on another stream) was in flight and time with nothing of this lane in flight".
    // Hand-derived: compute A [0, 1]; transfer B (2 s) after A: [1, 3]; compute C after B:
    // [3, 4]. Compute busy 2 s, comm busy 2 s, compute idle 2 s while B was in flight.
    engine::Simulation sim;
    SecondsPerByteNetwork net(sim);
    exec::Executor ex(sim, net, two_streams(exec::StreamOrder::ready_by_id));
    Spans spans;
    ex.set_observer({.started = {}, .finished = [&](const exec::OpSpan& s) { spans.record(s); }});
    add_a_b_c(ex);
    const auto accounts = ex.run();

    check_a_b_c(spans);
    REQUIRE(accounts.size() == 1);
    const auto& lane = accounts[0];
    CHECK(lane.finish_s == 4.0);
    CHECK(lane.stream_busy_s[kCompute] == 2.0);
    CHECK(lane.stream_busy_s[kComm] == 2.0);
    REQUIRE(lane.category_busy_s.size() == 2);
    CHECK(lane.category_busy_s[0] == 2.0);
    CHECK(lane.category_busy_s[1] == 2.0);
    CHECK(lane.idle_other_in_flight_s == 2.0);
    CHECK(lane.idle_nothing_in_flight_s == 0.0);
}

TEST_CASE("a slotted stream never starts an op of a later slot before its current slot has started") {
    // Contract: "A slotted stream ... never starts an op of a later slot before every op of its
    // current slot ... has started"; a stream otherwise runs "its ready ops lowest id first".
    // Ops: X a 2 s transfer; P (slot 0, 1 s) after X; Q (slot 1, 1 s) with no dependencies.
    // Slotted: Q waits for P, which waits for X: P [2, 3], Q [3, 4], and the compute stream is
    // idle [0, 2] while X is in flight. Ready by id: Q runs at once, [0, 1], and P [2, 3].
    for (const auto order : {exec::StreamOrder::slot_by_slot, exec::StreamOrder::ready_by_id}) {
        CAPTURE(static_cast<int>(order));
        engine::Simulation sim;
        SecondsPerByteNetwork net(sim);
        exec::Executor ex(sim, net, two_streams(order));
        Spans spans;
        ex.set_observer({.started = {}, .finished = [&](const exec::OpSpan& s) { spans.record(s); }});
        const exec::OpId x = ex.add({.lane = 0, .stream = kComm}, taking_seconds(2.0));
        const std::array<exec::OpId, 1> after_x{x};
        ex.add({.lane = 0, .stream = kCompute, .slot = 0, .deps = after_x}, units::Seconds(1.0));
        ex.add({.lane = 0, .stream = kCompute, .slot = 1}, units::Seconds(1.0));
        const auto accounts = ex.run();
        REQUIRE(spans.by_op.size() == 3);
        CHECK(spans.by_op[0].end_s == 2.0);
        CHECK(spans.by_op[1].start_s == 2.0);
        CHECK(spans.by_op[1].end_s == 3.0);
        if (order == exec::StreamOrder::slot_by_slot) {
            CHECK(spans.by_op[2].start_s == 3.0);
            CHECK(spans.by_op[2].end_s == 4.0);
            CHECK(accounts[0].idle_other_in_flight_s == 2.0);
            CHECK(accounts[0].finish_s == 4.0);
        } else {
            CHECK(spans.by_op[2].start_s == 0.0);
            CHECK(spans.by_op[2].end_s == 1.0);
            CHECK(accounts[0].idle_other_in_flight_s == 1.0); // [1, 2]: X still in flight
            CHECK(accounts[0].finish_s == 3.0);
        }
    }
}

TEST_CASE("ready ops of one slot start lowest id first, not first ready first") {
    // Contract: "A stream runs its ready ops lowest id first." Three streams: compute op 0 keeps
    // the compute stream busy [0, 3]; transfers 1 (comm, 2 s) and 2 (pp, 1 s) run [0, 2] and
    // [0, 1]; compute ops 3 (after 1) and 4 (after 2), both in slot 0, become ready at 2 and 1.
    // When the stream frees at 3, op 3 (the lower id) runs first: [3, 4], then op 4: [4, 5].
    engine::Simulation sim;
    SecondsPerByteNetwork net(sim);
    exec::Executor ex(sim, net,
                      exec::ExecutorShape{.lanes = 1,
                                          .streams = {{"compute", exec::StreamOrder::slot_by_slot},
                                                      {"comm", exec::StreamOrder::ready_by_id},
                                                      {"pp", exec::StreamOrder::ready_by_id}},
                                          .primary_stream = kCompute});
    Spans spans;
    ex.set_observer({.started = {}, .finished = [&](const exec::OpSpan& s) { spans.record(s); }});
    ex.add({.lane = 0, .stream = kCompute}, units::Seconds(3.0));
    const std::array<exec::OpId, 1> after_1{ex.add({.lane = 0, .stream = kComm}, taking_seconds(2.0))};
    const std::array<exec::OpId, 1> after_2{ex.add({.lane = 0, .stream = 2}, taking_seconds(1.0))};
    ex.add({.lane = 0, .stream = kCompute, .deps = after_1}, units::Seconds(1.0));
    ex.add({.lane = 0, .stream = kCompute, .deps = after_2}, units::Seconds(1.0));
    ex.run();
    REQUIRE(spans.by_op.size() == 5);
    CHECK(spans.by_op[3].start_s == 3.0);
    CHECK(spans.by_op[3].end_s == 4.0);
    CHECK(spans.by_op[4].start_s == 4.0);
    CHECK(spans.by_op[4].end_s == 5.0);
}

TEST_CASE("an op added while the simulation runs starts at the simulated time it was added") {
    // Contract: "an op added (from an observer, or from any event) whose dependencies are all
    // done is ready at once and starts at the simulated time it was added if its stream is
    // free". Compute A [0, 1]; when A finishes, its observer adds transfer B (2 s, no
    // dependencies): [1, 3], and compute C after B: [3, 4]. An engine event at 2.5 s adds
    // compute D, whose stream is free then: [2.5, 3.5]; C, ready at 3, waits for D: [3.5, 4.5].
    engine::Simulation sim;
    SecondsPerByteNetwork net(sim);
    exec::Executor ex(sim, net, two_streams(exec::StreamOrder::ready_by_id));
    Spans spans;
    std::vector<std::pair<exec::OpId, double>> starts;
    ex.set_observer({.started = [&](exec::OpId op, double t) { starts.emplace_back(op, t); },
                     .finished =
                         [&](const exec::OpSpan& s) {
                             spans.record(s);
                             if (s.op != 0) return;
                             const exec::OpId b = ex.add({.lane = 0, .stream = kComm}, taking_seconds(2.0));
                             const std::array<exec::OpId, 1> after_b{b};
                             ex.add({.lane = 0, .stream = kCompute, .deps = after_b}, units::Seconds(1.0));
                         }});
    ex.add({.lane = 0, .stream = kCompute}, units::Seconds(1.0));
    sim.schedule_at(engine::SimTime{} + engine::to_duration(units::Seconds(2.5), engine::Rounding::up),
                    [&] { ex.add({.lane = 0, .stream = kCompute}, units::Seconds(1.0)); });
    const auto accounts = ex.run();

    REQUIRE(ex.ops() == 4);
    REQUIRE(spans.by_op.size() == 4);
    CHECK(spans.by_op[1].start_s == 1.0); // B: added at 1 s by A's observer
    CHECK(spans.by_op[1].end_s == 3.0);
    CHECK(spans.by_op[3].start_s == 2.5); // D: added at 2.5 s by an engine event
    CHECK(spans.by_op[3].end_s == 3.5);
    CHECK(spans.by_op[2].start_s == 3.5); // C: ready at 3 s, its stream busy until 3.5 s
    CHECK(spans.by_op[2].end_s == 4.5);
    REQUIRE(starts.size() == 4);
    CHECK(starts[1] == std::pair<exec::OpId, double>{1, 1.0});
    CHECK(accounts[0].finish_s == 4.5);
    CHECK(accounts[0].stream_busy_s[kCompute] == 3.0);
    CHECK(accounts[0].idle_other_in_flight_s == 1.5); // [1, 2.5]: B in flight
    CHECK(accounts[0].idle_nothing_in_flight_s == 0.0);
}

TEST_CASE("ops that can never start are a deadlock, naming the first op that never became ready") {
    // Contract: "complete() throws DeadlockError if ops are left that never ran: one whose
    // dependencies never finished, or ready ops a slotted stream never started". Op 0 is in
    // slot 1; op 1, in slot 0, depends on op 0: slot 0 never starts, so op 0 never starts and
    // op 1 never becomes ready. Two ops are left.
    engine::Simulation sim;
    SecondsPerByteNetwork net(sim);
    exec::Executor ex(sim, net, two_streams(exec::StreamOrder::slot_by_slot));
    const exec::OpId first = ex.add({.lane = 0, .stream = kCompute, .slot = 1}, units::Seconds(1.0));
    const std::array<exec::OpId, 1> after_first{first};
    ex.add({.lane = 0, .stream = kCompute, .slot = 0, .deps = after_first}, units::Seconds(1.0));
    CHECK_THROWS_WITH_AS(ex.run(), "ops deadlocked: op 1 on lane 0 never became ready (2 ops left)",
                         exec::DeadlockError);
    bool thrown = false;
    try {
        ex.complete();
    } catch (const exec::DeadlockError& e) {
        thrown = true;
        CHECK(e.stuck().never_ready);
        CHECK(e.stuck().op == 1);
        CHECK(e.stuck().lane == 0);
        CHECK(e.stuck().ops_left == 2);
    }
    CHECK(thrown);
}

TEST_CASE("before the start an op may depend on one added later, never on one never added") {
    // Contract: an op depends on ops "by id, on any lane: before start() any id, even of an op
    // added later"; start() "throws std::invalid_argument, naming the op, if an op depends on
    // one that was never added". Op 0 (1 s) after op 1 (2 s): op 1 [0, 2], op 0 [2, 3].
    engine::Simulation sim;
    SecondsPerByteNetwork net(sim);
    exec::Executor ex(sim, net, two_streams(exec::StreamOrder::ready_by_id));
    Spans spans;
    ex.set_observer({.started = {}, .finished = [&](const exec::OpSpan& s) { spans.record(s); }});
    const std::array<exec::OpId, 1> later{1};
    ex.add({.lane = 0, .stream = kCompute, .deps = later}, units::Seconds(1.0));
    ex.add({.lane = 0, .stream = kCompute}, units::Seconds(2.0));
    ex.run();
    REQUIRE(spans.by_op.size() == 2);
    CHECK(spans.by_op[1].end_s == 2.0);
    CHECK(spans.by_op[0].start_s == 2.0);
    CHECK(spans.by_op[0].end_s == 3.0);

    engine::Simulation sim2;
    SecondsPerByteNetwork net2(sim2);
    exec::Executor never(sim2, net2, two_streams(exec::StreamOrder::ready_by_id));
    const std::array<exec::OpId, 1> missing{5};
    never.add({.lane = 0, .stream = kCompute, .deps = missing}, units::Seconds(1.0));
    CHECK_THROWS_WITH_AS(never.start(), "op 0 depends on a missing op", std::invalid_argument);
}

TEST_CASE("once started, an op may not depend on one not yet added, nor join a slot the stream has passed") {
    // Contract: add() "throws std::invalid_argument for ... (once started) a dependency on an op
    // not yet added, and std::logic_error for a slot the stream has already moved past".
    engine::Simulation sim;
    SecondsPerByteNetwork net(sim);
    exec::Executor ex(sim, net, two_streams(exec::StreamOrder::slot_by_slot));
    CHECK_THROWS_AS(ex.add({.lane = 2, .stream = kCompute}, units::Seconds(1.0)), std::invalid_argument);
    ex.add({.lane = 0, .stream = kCompute, .slot = 3}, units::Seconds(1.0));
    ex.start();
    const std::array<exec::OpId, 1> missing{5};
    CHECK_THROWS_AS(ex.add({.lane = 0, .stream = kCompute, .slot = 3, .deps = missing}, units::Seconds(1.0)),
                    std::invalid_argument);
    CHECK_THROWS_WITH_AS(ex.add({.lane = 0, .stream = kCompute, .slot = 2}, units::Seconds(1.0)),
                         "op 1 is in slot 2 of a stream that has started slot 3", std::logic_error);
    sim.run();
    CHECK_NOTHROW(ex.complete());
}

TEST_CASE("an op added during the run to the slot a slotted stream is on runs before later slots") {
    // Contract: a slotted stream "runs its ready ops lowest (slot, id) first", and an op added
    // during the run may be in the slot the stream has started. Op 0 (slot 0) [0, 1] and op 1
    // (slot 1), both ready at 0. When op 0 starts, its observer adds op 2 in slot 0: slot 0 is
    // not done until op 2 has started, so op 2 runs [1, 2] and op 1 [2, 3] (by id alone op 1
    // would be first and slot 0 would never finish: a deadlock).
    engine::Simulation sim;
    SecondsPerByteNetwork net(sim);
    exec::Executor ex(sim, net, two_streams(exec::StreamOrder::slot_by_slot));
    Spans spans;
    ex.set_observer({.started =
                         [&](exec::OpId op, double) {
                             if (op == 0) ex.add({.lane = 0, .stream = kCompute, .slot = 0}, units::Seconds(1.0));
                         },
                     .finished = [&](const exec::OpSpan& s) { spans.record(s); }});
    ex.add({.lane = 0, .stream = kCompute, .slot = 0}, units::Seconds(1.0));
    ex.add({.lane = 0, .stream = kCompute, .slot = 1}, units::Seconds(1.0));
    ex.run();
    REQUIRE(spans.by_op.size() == 3);
    CHECK(spans.by_op[2].start_s == 1.0);
    CHECK(spans.by_op[1].start_s == 2.0);
    CHECK(spans.by_op[1].end_s == 3.0);
}

TEST_CASE("a slot whose ops have all started takes an op added later, if no later slot has started") {
    // Op 0 (slot 0) [0, 1]; op 2 (slot 1) waits for a 3 s transfer (op 1); op 3 (slot 2) is ready
    // at 0 but waits for slot 1. At 1 s the stream moves past slot 0 (all its ops started) to
    // slot 1, whose op is not ready. At 1.5 s an event adds op 4 in slot 0: no later slot has
    // started, so the stream steps back and op 4 runs at once [1.5, 2.5]; then op 2 [3, 4] and
    // op 3 [4, 5].
    engine::Simulation sim;
    SecondsPerByteNetwork net(sim);
    exec::Executor ex(sim, net, two_streams(exec::StreamOrder::slot_by_slot));
    Spans spans;
    ex.set_observer({.started = {}, .finished = [&](const exec::OpSpan& s) { spans.record(s); }});
    ex.add({.lane = 0, .stream = kCompute, .slot = 0}, units::Seconds(1.0));
    const exec::OpId transfer = ex.add({.lane = 0, .stream = kComm}, taking_seconds(3.0));
    const std::array<exec::OpId, 1> after_transfer{transfer};
    ex.add({.lane = 0, .stream = kCompute, .slot = 1, .deps = after_transfer}, units::Seconds(1.0));
    ex.add({.lane = 0, .stream = kCompute, .slot = 2}, units::Seconds(1.0));
    sim.schedule_at(engine::SimTime{} + engine::to_duration(units::Seconds(1.5), engine::Rounding::up),
                    [&] { ex.add({.lane = 0, .stream = kCompute, .slot = 0}, units::Seconds(1.0)); });
    ex.run();
    REQUIRE(spans.by_op.size() == 5);
    CHECK(spans.by_op[4].start_s == 1.5);
    CHECK(spans.by_op[2].start_s == 3.0);
    CHECK(spans.by_op[3].start_s == 4.0);
    CHECK(spans.by_op[3].end_s == 5.0);
}

TEST_CASE("an executor on tables an earlier executor left runs as on fresh tables, in their memory") {
    // Contract (exec/executor_tables.hpp): "An executor given the tables clears them when it is
    // constructed (capacity kept) ... a run on reused tables is the same run, event for event,
    // as one on fresh tables." The tables first serve a larger graph that deadlocks (ops left
    // waiting, with their edges), then the graph of the first case above: compute A [0, 1],
    // transfer B (2 s) [1, 3], compute C [3, 4], exactly as there, in no more memory.
    exec::ExecutorTables tables;
    {
        engine::Simulation sim;
        SecondsPerByteNetwork net(sim);
        exec::Executor ex(sim, net, two_streams(exec::StreamOrder::slot_by_slot), tables);
        std::vector<exec::OpId> chain;
        for (int i = 0; i < 64; ++i) {
            const std::array<exec::OpId, 1> after{chain.empty() ? exec::OpId{0} : chain.back()};
            chain.push_back(ex.add({.lane = 0, .stream = i % 2 == 0 ? kCompute : kComm, .slot = 64 - i,
                                    .deps = chain.empty() ? std::span<const exec::OpId>{} : after},
                                   taking_seconds(1.0)));
        }
        CHECK_THROWS_AS(ex.run(), exec::DeadlockError);
    }
    const std::size_t held = tables.bytes();
    CHECK(held > 0);

    engine::Simulation sim;
    SecondsPerByteNetwork net(sim);
    exec::Executor ex(sim, net, two_streams(exec::StreamOrder::ready_by_id), tables);
    Spans spans;
    ex.set_observer({.started = {}, .finished = [&](const exec::OpSpan& s) { spans.record(s); }});
    add_a_b_c(ex);
    CHECK(ex.ops() == 3);
    const auto accounts = ex.run();
    check_a_b_c(spans);
    CHECK(ex.finished_ops() == 3);
    REQUIRE(accounts.size() == 1);
    CHECK(accounts[0].finish_s == 4.0);
    CHECK(accounts[0].idle_other_in_flight_s == 2.0);
    CHECK(tables.bytes() == held);
}
