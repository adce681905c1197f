// The symmetric step replay with the program's ops declared to the executor
// (training/program_source.hpp) against the same replay with every op copied into the executor's
// tables (training/step_replay.hpp: "The run is the same either way; the second holds far
// less"), and the successor index both declared replays read (training/program_successors.hpp).
#include "compute/compute_model.hpp"
#include "deepseek_v3_256.hpp"
#include "engine/simulation.hpp"
#include "network/alpha_beta_network.hpp"
#include "network/flow_network.hpp"
#include "training/issue_order.hpp"
#include "training/program_builder.hpp"
#include "training/program_successors.hpp"
#include "training/step_replay.hpp"

#include <doctest/doctest.h>

#include <cstddef>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

using namespace tcsim;
using training_test::deepseek_v3_256;
using training_test::Scaled;

namespace {

/// One symmetric replay on the flow network: every op's span in completion order, every rank's
/// accounts, the engine's events and the most op records the executor held.
struct Replay {
    std::vector<training::RankTimes> ranks;
    std::vector<training::OpSpan> spans;
    std::uint64_t events = 0;
    std::size_t peak_held = 0;
};
Replay replay(const Scaled& s, const training::Program& program, training::HeldOps held,
              training::StepBuffers* buffers = nullptr) {
    const compute::ComputeModel model(s.cluster.gpu, s.cluster.efficiency.compute,
                                      s.workload.parallel.compute_units_held());
    engine::Simulation sim;
    network::FlowNetwork net(sim, s.cluster, program.groups);
    training::StepReplay step(program, model, net, sim, buffers, held);
    Replay out;
    step.set_observer([&out](const training::OpSpan& span) { out.spans.push_back(span); });
    out.ranks = step.run();
    out.events = sim.executed();
    out.peak_held = step.peak_ops_held();
    return out;
}

/// Every op's (id, start, end), in completion order.
std::vector<std::tuple<exec::OpId, double, double>> timeline(const std::vector<training::OpSpan>& spans) {
    std::vector<std::tuple<exec::OpId, double, double>> out;
    out.reserve(spans.size());
    for (const training::OpSpan& s : spans) out.emplace_back(s.op, s.start_s, s.end_s);
    return out;
}

void check_same(const Replay& a, const Replay& b) {
    CHECK(a.events == b.events);
    training_test::check_same_ranks(a.ranks, b.ranks);
    CHECK(timeline(a.spans) == timeline(b.spans));
}

/// A cluster for hand-made programs: DeepSeek-V3's, its GPUs pricing one element-wise block.
struct Small {
    Scaled s = deepseek_v3_256(1);
    training::Program program;
    Small() {
        program.ranks = 2;
        program.micro_batches = 1;
        compute::Kernel k;
        k.cls = compute::OpClass::elementwise;
        k.bytes = units::Bytes(1e9);
        program.blocks = {{"move", {k}}};
    }
    training::OpIndex compute(int rank, int slot, std::vector<training::OpIndex> deps) {
        training::Op op;
        op.rank = rank;
        op.block = 0;
        op.slot = slot;
        op.deps = deps;
        program.ops.push_back(op);
        return static_cast<training::OpIndex>(program.ops.size() - 1);
    }
    /// The replay's spans on the alpha-beta network (the hand-made programs communicate nothing).
    std::vector<training::OpSpan> run(training::HeldOps held) const {
        const compute::ComputeModel model(s.cluster.gpu, s.cluster.efficiency.compute, 0.0);
        engine::Simulation sim;
        network::AlphaBetaNetwork net(sim, s.cluster);
        training::StepReplay step(program, model, net, sim, nullptr, held);
        std::vector<training::OpSpan> spans;
        step.set_observer([&spans](const training::OpSpan& span) { spans.push_back(span); });
        step.run();
        return spans;
    }
};

} // namespace

TEST_CASE("the symmetric replay with the program's ops declared runs event for event as with them copied") {
    // DeepSeek-V3's 8K-context shape at PP4 x CP2 x DP32 (ring shifts, expert dispatch and combine,
    // pipeline sends both ways, DualPipe's slots), 8 micro-batches per replica: every op's start
    // and end in completion order, every rank's accounts and the engine's event count, to the bit.
    const Scaled s = deepseek_v3_256(2);
    auto program = training::build_program(s.cluster, s.workload, 8192, 32 * 8);
    const Replay copied = replay(s, program, training::HeldOps::all);
    const Replay declared = replay(s, program, training::HeldOps::in_flight);
    CHECK(copied.spans.size() == program.ops.size());
    CHECK(copied.peak_held == program.ops.size());
    check_same(copied, declared);
    // Declared, the executor holds the ops in flight: a small part of the step's (measured: under 1 %).
    CHECK(declared.peak_held * 20 < program.ops.size());

    // On buffers a copied replay filled (the executor's records reused as a pool), and again on
    // those the declared replay left (its successor index rebuilt in place), the same run.
    training::StepBuffers buffers;
    (void)replay(s, program, training::HeldOps::all, &buffers);
    check_same(copied, replay(s, program, training::HeldOps::in_flight, &buffers));
    check_same(copied, replay(s, program, training::HeldOps::in_flight, &buffers));

    // With the agreed issue order full mode gives the program (its communication streams slotted
    // by Op::issue), the two replays again agree.
    training::agree_issue_order(program, copied.spans);
    REQUIRE(program.comm_order == training::CommOrder::agreed);
    check_same(replay(s, program, training::HeldOps::all), replay(s, program, training::HeldOps::in_flight));
}

TEST_CASE("declared ops: a rank's slots listed out of program order still run slot by slot") {
    // Rank 0 computes op 0 in slot 1, op 1 in slot 0 and op 2 (after op 1) in slot 1: the compute
    // stream runs slot 0 (op 1) first, then op 0 and op 2, in id order (executor.hpp, "Order on a
    // stream"). The declared replay's slot list for rank 0 is sorted after the fact.
    Small p;
    p.compute(0, 1, {});
    const auto first = p.compute(0, 0, {});
    p.compute(0, 1, {first});
    p.compute(1, 0, {first});
    const auto copied = p.run(training::HeldOps::all);
    const auto declared = p.run(training::HeldOps::in_flight);
    REQUIRE(copied.size() == 4);
    CHECK(copied[0].op == 1);
    CHECK(timeline(declared) == timeline(copied));
}

TEST_CASE("declared ops refuse a program as copying it does, with the same error") {
    // step_replay.hpp: std::invalid_argument (from the executor) for an op on a rank outside the
    // program or a dependency on an op it does not have; exec::DeadlockError naming the first
    // stuck op.
    auto same_error = [](const Small& p) {
        std::string copied, declared;
        try {
            (void)p.run(training::HeldOps::all);
        } catch (const std::exception& e) {
            copied = e.what();
        }
        try {
            (void)p.run(training::HeldOps::in_flight);
        } catch (const std::exception& e) {
            declared = e.what();
        }
        CHECK(!copied.empty());
        CHECK(declared == copied);
    };
    {
        Small p;
        p.compute(0, 0, {});
        p.compute(2, 0, {}); // rank 2 of 2
        CHECK_THROWS_AS((void)p.run(training::HeldOps::in_flight), std::invalid_argument);
        same_error(p);
    }
    {
        Small p;
        p.compute(0, 0, {7});
        p.compute(1, 0, {9}); // names the highest missing op
        p.compute(1, 0, {8});
        CHECK_THROWS_WITH_AS((void)p.run(training::HeldOps::in_flight), "op 1 depends on a missing op",
                             std::invalid_argument);
        same_error(p);
    }
    {
        Small p;
        const auto later = p.compute(0, 1, {});
        p.compute(0, 0, {later}); // slot 0 waits for slot 1
        CHECK_THROWS_AS((void)p.run(training::HeldOps::in_flight), exec::DeadlockError);
        same_error(p);
    }
}

TEST_CASE("program successors: each op's dependents, ascending, as often as each names it") {
    // program_successors.hpp: "for every op i, the ops naming i, ascending, each as many times as
    // it names i". Op 2 names op 0 twice.
    training::Program p;
    p.ops.resize(4);
    p.ops[1].deps = {0};
    p.ops[2].deps = {1, 0, 0};
    p.ops[3].deps = {1};
    const training::ProgramSuccessors successors(p);
    auto list = [&](training::OpIndex i) {
        const auto s = successors.of(i);
        return std::vector<training::OpIndex>(s.begin(), s.end());
    };
    CHECK(list(0) == std::vector<training::OpIndex>{1, 2, 2});
    CHECK(list(1) == std::vector<training::OpIndex>{2, 3});
    CHECK(list(2).empty());
    CHECK(list(3).empty());

    // Rebuilt for another program in the same tables; a missing dependency is named.
    training::ProgramSuccessors reused(p);
    p.ops.resize(2);
    p.ops[0].deps = {1};
    p.ops[1].deps = {};
    reused.build(p);
    CHECK(reused.of(0).empty());
    REQUIRE(reused.of(1).size() == 1);
    CHECK(reused.of(1)[0] == 0);
    p.ops[1].deps = {5};
    CHECK_THROWS_WITH_AS(reused.build(p), "op 1 depends on a missing op", std::invalid_argument);
}
