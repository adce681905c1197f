// Declared ops (exec/op_source.hpp, Executor::declare) against the contract: "the run is the one
// add() would give for each of them, in id order, before start() ... but an op is made only when
// it first matters ... and forgotten once it has finished".
#include "exec/executor.hpp"
#include "exec/op_source.hpp"

#include "engine/simulation.hpp"
#include "seconds_per_byte_network.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

using namespace tcsim;
using exec_test::SecondsPerByteNetwork;

namespace {

constexpr int kCompute = 0; // slotted
constexpr int kComm = 1;    // ready by id
constexpr int kPipe = 2;    // slotted

exec::ExecutorShape three_streams(int lanes) {
    return exec::ExecutorShape{.lanes = lanes,
                               .streams = {{"compute", exec::StreamOrder::slot_by_slot},
                                           {"comm", exec::StreamOrder::ready_by_id},
                                           {"pipe", exec::StreamOrder::slot_by_slot}},
                               .primary_stream = kCompute};
}

/// One op as a test writes it: where, what it waits for, and its work (seconds of compute, or a
/// transfer of that many seconds on a non-compute stream).
struct TestOp {
    int lane = 0;
    int stream = kCompute;
    int slot = 0;
    int category = 0;
    std::vector<exec::OpId> deps;
    double seconds = 1;
};

collective::CommWork taking(double seconds) {
    collective::CommWork w;
    w.kind = collective::CollectiveKind::send_recv;
    w.bytes = units::Bytes(seconds);
    return w;
}

/// The same ops, answered as a source; counts how many times each op was made.
class ListSource final : public exec::OpSource {
public:
    ListSource(const std::vector<TestOp>& ops, int lanes, int streams) : made(ops.size(), 0), ops_(ops) {
        slots_.resize(static_cast<std::size_t>(lanes * streams));
        for (const TestOp& op : ops) {
            auto& list = slots_[static_cast<std::size_t>(op.lane * streams + op.stream)];
            auto at = std::find_if(list.begin(), list.end(), [&](const exec::SlotCount& c) { return c.slot == op.slot; });
            if (at == list.end())
                list.push_back({op.slot, 1});
            else
                ++at->ops;
        }
        for (auto& list : slots_)
            std::sort(list.begin(), list.end(), [](const auto& a, const auto& b) { return a.slot < b.slot; });
        streams_ = streams;
    }
    [[nodiscard]] std::size_t ops() const override { return ops_.size(); }
    void make(exec::OpId id, exec::OpSpec& spec, exec::OpWork& work) override {
        const TestOp& op = ops_[id];
        ++made[id];
        spec = {.lane = op.lane, .stream = op.stream, .slot = op.slot, .category = op.category, .deps = op.deps};
        comm_ = taking(op.seconds);
        // Odd ids give their compute time already rounded (OpWork::rounded), even ids leave it
        // to the executor: the same run either way.
        const units::Seconds time(op.seconds);
        const std::optional<engine::Duration> rounded =
            id % 2 == 1 ? std::optional(engine::to_duration(time, engine::Rounding::up)) : std::nullopt;
        work = op.stream == kCompute ? exec::OpWork{.compute = time, .comm = nullptr, .rounded = rounded}
                                     : exec::OpWork{.compute = units::Seconds(0), .comm = &comm_, .rounded = std::nullopt};
    }
    std::span<const exec::OpId> successors(exec::OpId id, std::vector<exec::OpId>& out) override {
        out.clear();
        for (exec::OpId s = 0; s < ops_.size(); ++s)
            for (exec::OpId d : ops_[s].deps)
                if (d == id) out.push_back(s);
        return out;
    }
    void roots(std::vector<exec::OpId>& out) override {
        out.clear();
        for (exec::OpId s = 0; s < ops_.size(); ++s)
            if (ops_[s].deps.empty()) out.push_back(s);
    }
    [[nodiscard]] std::span<const exec::SlotCount> slots(int lane, int stream) override {
        return slots_[static_cast<std::size_t>(lane * streams_ + stream)];
    }
    std::vector<int> made;

private:
    const std::vector<TestOp>& ops_;
    std::vector<std::vector<exec::SlotCount>> slots_;
    int streams_ = 0;
    collective::CommWork comm_;
};

/// What a run shows: every start (op, time) and finish (op, start, end) in the order they
/// happened, and every lane's account.
struct Run {
    std::vector<std::pair<exec::OpId, double>> starts;
    std::vector<exec::OpSpan> finishes;
    std::vector<exec::LaneAccount> accounts;
    std::size_t peak_held = 0;
};

Run run(const std::vector<TestOp>& ops, int lanes, bool declared) {
    engine::Simulation sim;
    SecondsPerByteNetwork net(sim);
    exec::Executor ex(sim, net, three_streams(lanes));
    Run out;
    ex.set_observer({.started = [&](exec::OpId op, double t) { out.starts.emplace_back(op, t); },
                     .finished = [&](const exec::OpSpan& s) { out.finishes.push_back(s); }});
    ListSource source(ops, lanes, 3);
    if (declared) {
        ex.declare(source);
    } else {
        for (const TestOp& op : ops) {
            const exec::OpSpec spec{
                .lane = op.lane, .stream = op.stream, .slot = op.slot, .category = op.category, .deps = op.deps};
            if (op.stream == kCompute)
                ex.add(spec, units::Seconds(op.seconds));
            else
                ex.add(spec, taking(op.seconds));
        }
    }
    out.accounts = ex.run();
    out.peak_held = ex.peak_ops_held();
    if (declared)
        for (int m : source.made) CHECK(m == 1); // each op made once, however many ops it follows
    return out;
}

void check_same(const Run& a, const Run& b) {
    REQUIRE(a.starts.size() == b.starts.size());
    for (std::size_t i = 0; i < a.starts.size(); ++i) {
        CHECK(a.starts[i].first == b.starts[i].first);
        CHECK(a.starts[i].second == b.starts[i].second);
    }
    REQUIRE(a.finishes.size() == b.finishes.size());
    for (std::size_t i = 0; i < a.finishes.size(); ++i) {
        CHECK(a.finishes[i].op == b.finishes[i].op);
        CHECK(a.finishes[i].start_s == b.finishes[i].start_s);
        CHECK(a.finishes[i].end_s == b.finishes[i].end_s);
    }
    REQUIRE(a.accounts.size() == b.accounts.size());
    for (std::size_t l = 0; l < a.accounts.size(); ++l) {
        CHECK(a.accounts[l].finish_s == b.accounts[l].finish_s);
        CHECK(a.accounts[l].stream_busy_s == b.accounts[l].stream_busy_s);
        CHECK(a.accounts[l].category_busy_s == b.accounts[l].category_busy_s);
        CHECK(a.accounts[l].idle_other_in_flight_s == b.accounts[l].idle_other_in_flight_s);
        CHECK(a.accounts[l].idle_nothing_in_flight_s == b.accounts[l].idle_nothing_in_flight_s);
    }
}

} // namespace

TEST_CASE("declared ops: a hand graph with a dependency named twice and one on a later op runs as added") {
    // Lane 0: compute A (1 s, slot 0) and C (1 s, slot 1, after B); transfer B (2 s) after A,
    // named twice by C. Lane 1: compute D (3 s) after E, an op added after it (allowed before the
    // start); transfer E (1 s) has no dependencies. A [0, 1], B [1, 3], C [3, 4]; E [0, 1],
    // D [1, 4].
    const std::vector<TestOp> ops{
        {.lane = 0, .stream = kCompute, .slot = 0, .deps = {}, .seconds = 1},
        {.lane = 0, .stream = kComm, .category = 1, .deps = {0}, .seconds = 2},
        {.lane = 0, .stream = kCompute, .slot = 1, .deps = {1, 1}, .seconds = 1},
        {.lane = 1, .stream = kCompute, .slot = 0, .deps = {4}, .seconds = 3},
        {.lane = 1, .stream = kComm, .deps = {}, .seconds = 1},
    };
    const Run added = run(ops, 2, false);
    const Run declared = run(ops, 2, true);
    check_same(added, declared);
    REQUIRE(declared.finishes.size() == 5);
    std::vector<exec::OpSpan> by_op(5);
    for (const auto& s : declared.finishes) by_op[s.op] = s;
    CHECK(by_op[2].start_s == 3.0);
    CHECK(by_op[2].end_s == 4.0);
    CHECK(by_op[3].start_s == 1.0);
    CHECK(by_op[3].end_s == 4.0);
    CHECK(declared.accounts[0].category_busy_s.at(1) == 2.0);
    CHECK(declared.accounts[1].idle_other_in_flight_s == 1.0);
    // Added, every op has a record; declared, at most the ops in flight or waiting on one.
    CHECK(added.peak_held == 5);
    CHECK(declared.peak_held < 5);
}

TEST_CASE("declared ops: a seeded random graph on four lanes runs event for event as the same ops added") {
    // Ops depend on up to three earlier ops of any lane (sometimes one twice); slots on the slotted
    // streams never decrease with the id, so the graph cannot deadlock; work of 1 to 4 s makes
    // many ties in time, where the order of events is the executor's to keep.
    std::vector<TestOp> ops;
    std::uint64_t x = 12345;
    auto next = [&](std::uint64_t n) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        return (x >> 33) % n;
    };
    std::vector<int> slot(4 * 3, 0);
    for (exec::OpId i = 0; i < 600; ++i) {
        TestOp op;
        op.lane = static_cast<int>(next(4));
        op.stream = static_cast<int>(next(3));
        int& s = slot[static_cast<std::size_t>(op.lane * 3 + op.stream)];
        s += static_cast<int>(next(3) == 0);
        op.slot = s;
        op.category = static_cast<int>(next(2));
        op.seconds = static_cast<double>(1 + next(4));
        if (i > 0)
            for (std::uint64_t k = next(4); k > 0; --k) op.deps.push_back(static_cast<exec::OpId>(next(i)));
        if (!op.deps.empty() && next(5) == 0) op.deps.push_back(op.deps.front());
        ops.push_back(op);
    }
    const Run added = run(ops, 4, false);
    const Run declared = run(ops, 4, true);
    CHECK(added.finishes.size() == 600);
    check_same(added, declared);
    CHECK(declared.peak_held < 600);
}

TEST_CASE("declared ops: a chain holds one op record however long it is") {
    // Each op depends on the one before: it is made when that one finishes, whose record it
    // takes. 10,000 compute ops of 1 s end at 10,000 s.
    std::vector<TestOp> ops;
    for (exec::OpId i = 0; i < 10'000; ++i) ops.push_back({.deps = i == 0 ? std::vector<exec::OpId>{} : std::vector{i - 1}});
    const Run declared = run(ops, 1, true);
    CHECK(declared.peak_held == 1);
    CHECK(declared.accounts[0].finish_s == 10'000.0);
}

TEST_CASE("declared ops: a deadlock names the first op that never became ready, made or not") {
    // As with added ops: op 0 is in slot 1; op 1, in slot 0, depends on op 0, so neither runs.
    // Op 1 was never made (its dependency never finished); the error names it all the same.
    const std::vector<TestOp> ops{{.slot = 1, .deps = {}}, {.slot = 0, .deps = {0}}};
    engine::Simulation sim;
    SecondsPerByteNetwork net(sim);
    exec::Executor ex(sim, net, three_streams(1));
    ListSource source(ops, 1, 3);
    ex.declare(source);
    CHECK(ex.ops() == 2);
    CHECK_THROWS_WITH_AS(ex.run(), "ops deadlocked: op 1 on lane 0 never became ready (2 ops left)",
                         exec::DeadlockError);
}

TEST_CASE("declared ops: add() is refused after declare(), and declare() on an executor with ops") {
    const std::vector<TestOp> ops(1);
    engine::Simulation sim;
    SecondsPerByteNetwork net(sim);
    ListSource source(ops, 1, 3);
    exec::Executor declared(sim, net, three_streams(1));
    declared.declare(source);
    CHECK_THROWS_AS(declared.add({.lane = 0, .stream = kCompute}, units::Seconds(1.0)), std::logic_error);
    exec::Executor added(sim, net, three_streams(1));
    added.add({.lane = 0, .stream = kCompute}, units::Seconds(1.0));
    CHECK_THROWS_AS(added.declare(source), std::logic_error);
}
