// Full mode (every GPU simulated, each collective waiting for all members of its group) against
// symmetric mode (one representative per pipeline stage), and the agreed order in which the
// members of a group issue its collectives (training/issue_order.hpp).
#include "compute/compute_model.hpp"
#include "config/config_files.hpp"
#include "config/load_cluster.hpp"
#include "config/load_workload.hpp"
#include "engine/simulation.hpp"
#include "network/flow_network.hpp"
#include "training/full_expansion.hpp"
#include "training/issue_order.hpp"
#include "training/program_builder.hpp"
#include "training/step_replay.hpp"
#include "training/step_simulator.hpp"
#include "workload/plan_check.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

using namespace tcsim;

namespace {

/// One node of two GPUs on a 100 GB/s NVLink, kernels at their roofline with no launch cost.
topology::ClusterSpec two_gpu_node() {
    topology::ClusterSpec c;
    c.name = "two GPUs";
    c.nodes = 1;
    c.gpus_per_node = 2;
    c.gpu.name = "test-gpu";
    c.gpu.dense_peak[static_cast<int>(hardware::Dtype::bf16)] = units::FlopRate(1000e12);
    c.gpu.hbm_bandwidth = units::Bandwidth(1e12);
    c.gpu.compute_units = 100;
    c.nvlink_per_direction = units::Bandwidth(100e9);
    c.nics_per_node = 2;
    c.nic_bandwidth = units::Bandwidth(50e9);
    c.efficiency.compute.memory = 1.0;
    c.efficiency.links = {{{"nvlink", 1.0}, {"network", 1.0}}, std::nullopt, {1.0, 1.0, units::Seconds(0.0)}, ""};
    return c;
}

/// A block of one element-wise kernel moving `bytes` through HBM.
training::ComputeBlock moving(const char* name, double bytes) {
    compute::Kernel k;
    k.cls = compute::OpClass::elementwise;
    k.bytes = units::Bytes(bytes);
    return {name, {k}};
}

/// DeepSeek-V3's model, recipe and layout (TP1, EP64, DualPipe, ZeRO-1) on `nodes` nodes of its
/// cluster at PP `pp` x DP `dp`.
struct Scaled {
    topology::ClusterSpec cluster;
    workload::Workload workload;
};
Scaled deepseek_v3(int pp, int dp) {
    const config::DiskFiles files;
    Scaled s{config::load_cluster(files, "topologies/deepseek-v3-h800.toml"),
             config::load_workload(files, "workloads/deepseek-v3.toml")};
    s.workload.parallel.pp = pp;
    s.workload.parallel.dp = dp;
    s.cluster.nodes = pp * dp / s.cluster.gpus_per_node;
    return s;
}

} // namespace

TEST_CASE("full mode: the members of a group issue its collectives in one agreed order, not as each is ready") {
    // GPU 0 makes X's input first and Y's second; GPU 1 the reverse (its blocks in the other
    // order). Issuing by readiness, GPU 0 calls X while GPU 1 calls Y: a communicator's members
    // would disagree on its first collective (NCCL requires one order on all ranks), which the
    // rendezvous refuses. In the agreed order (X then Y on both), GPU 1 holds Y until it has
    // called X: X starts when its last member arrives (GPU 1, after both its blocks), and Y
    // when X ends, so the step ends at short + long + t(X) + t(Y), each collective alone on the
    // link (issued by readiness and paired by the group, it would be long + max(t(X), t(Y))).
    const auto cluster = two_gpu_node();
    training::Program p;
    p.ranks = 2;
    p.micro_batches = 1;
    p.blocks = {moving("short", 1e9), moving("long", 3e9)}; // 1 ms and 3 ms at 1 TB/s
    const auto pair = p.groups.add({{0, 1}});
    auto compute = [&](int rank, int block, int slot) {
        training::Op op;
        op.rank = rank;
        op.block = block;
        op.slot = slot;
        p.ops.push_back(op);
        return static_cast<training::OpIndex>(p.ops.size() - 1);
    };
    auto collective = [&](int rank, collective::CollectiveKind kind, double bytes, training::OpIndex input, int issue) {
        training::Op op;
        op.rank = rank;
        op.stream = training::Stream::comm;
        collective::CommWork work;
        work.kind = kind;
        work.groups = pair;
        work.placement = {2, 2};
        work.bytes = units::Bytes(bytes);
        work.member = rank;
        op.comm = p.add_comm(work);
        op.issue = issue;
        op.deps = {input};
        p.ops.push_back(op);
    };
    using collective::CollectiveKind;
    const auto x0 = compute(0, 0, 0); // GPU 0: X's input (short), then Y's (long)
    const auto y0 = compute(0, 1, 1);
    const auto y1 = compute(1, 0, 0); // GPU 1: Y's input (short), then X's (long)
    const auto x1 = compute(1, 1, 1);
    collective(0, CollectiveKind::all_reduce, 400e6, x0, 0);
    collective(0, CollectiveKind::all_gather, 200e6, y0, 1);
    collective(1, CollectiveKind::all_gather, 200e6, y1, 1);
    collective(1, CollectiveKind::all_reduce, 400e6, x1, 0);

    const compute::ComputeModel model(cluster.gpu, cluster.efficiency.compute, 0);
    auto replay = [&](const training::Program& program) {
        engine::Simulation sim;
        network::FlowNetwork net(sim, cluster, program.groups);
        training::StepReplay step(program, model, net, sim);
        double finish = 0;
        for (const auto& r : step.run()) finish = std::max(finish, r.finish_s);
        return finish;
    };
    SUBCASE("issued as each becomes ready, the members disagree") {
        p.comm_order = training::CommOrder::ready;
        CHECK_THROWS_WITH_AS(replay(p),
                             doctest::Contains("issued all_gather where its group's collective #0 is all_reduce"),
                             std::logic_error);
    }
    SUBCASE("issued in the agreed order, each collective starts when its last member calls it") {
        p.comm_order = training::CommOrder::agreed;
        engine::Simulation idle;
        network::FlowNetwork net(idle, cluster, p.groups);
        const double t_x = net.estimate(p.comm(p.ops[4])).count();
        const double t_y = net.estimate(p.comm(p.ops[5])).count();
        const double t_short = model.block_time(p.blocks[0]).count();
        const double t_long = model.block_time(p.blocks[1]).count();
        REQUIRE(t_short == doctest::Approx(1e-3));
        REQUIRE(t_long == doctest::Approx(3e-3));
        // Ring all-reduce 2 (n-1)/n S / B = 400 MB / 100 GB/s; all-gather (n-1)/n S / B.
        REQUIRE(t_x == doctest::Approx(4e-3).epsilon(0.01));
        REQUIRE(t_y == doctest::Approx(1e-3).epsilon(0.01));
        CHECK(replay(p) == doctest::Approx(t_short + t_long + t_x + t_y).epsilon(1e-6));
    }
    SUBCASE("a communication op without a place in the agreed order is refused") {
        p.comm_order = training::CommOrder::agreed;
        p.ops[5].issue = -1;
        CHECK_THROWS_WITH_AS(replay(p), doctest::Contains("without a place in its stream's agreed issue order"),
                             std::logic_error);
    }
}

TEST_CASE("the agreed order is the symmetric replay's own: replayed in it, the step is the same to the nanosecond") {
    // DeepSeek-V3's layout on 256 GPUs (PP4 x DP64, 8 micro-batches): DualPipe overlaps a forward
    // and a backward chunk, so a stage's expert dispatches and combines do not become ready in
    // program order; the agreed order is the order they ran in, and running in it changes nothing.
    const auto s = deepseek_v3(4, 64);
    auto program = training::build_program(s.cluster, s.workload, s.workload.training.seq_len, 64 * 8);
    const compute::ComputeModel model(s.cluster.gpu, s.cluster.efficiency.compute,
                                      s.workload.parallel.compute_units_held());
    auto replay = [&](const training::Program& p, std::vector<training::OpSpan>* spans) {
        engine::Simulation sim;
        network::FlowNetwork net(sim, s.cluster, p.groups);
        training::StepReplay step(p, model, net, sim);
        if (spans != nullptr) step.set_observer([spans](const training::OpSpan& span) { spans->push_back(span); });
        return step.run();
    };
    std::vector<training::OpSpan> spans;
    const auto by_readiness = replay(program, &spans);
    training::agree_issue_order(program, spans);
    CHECK(program.comm_order == training::CommOrder::agreed);
    // Positions 0, 1, 2, ... per rank and stream; and somewhere not the program's order.
    std::vector<std::vector<int>> seen(static_cast<std::size_t>(program.ranks * training::kStreamCount));
    std::size_t overtakes = 0;
    for (training::OpIndex i = 0; i < program.ops.size(); ++i) {
        const auto& op = program.ops[i];
        if (op.is_compute()) {
            CHECK(op.issue == -1);
            continue;
        }
        seen[static_cast<std::size_t>(op.rank * training::kStreamCount + static_cast<int>(op.stream))].push_back(
            op.issue);
    }
    for (auto& positions : seen) {
        std::vector<int> sorted = positions;
        std::sort(sorted.begin(), sorted.end());
        for (std::size_t k = 0; k < sorted.size(); ++k) CHECK(sorted[k] == static_cast<int>(k));
        for (std::size_t k = 1; k < positions.size(); ++k) overtakes += positions[k] < positions[k - 1] ? 1 : 0;
    }
    CHECK(overtakes > 0);
    std::vector<training::OpSpan> again;
    const auto in_agreed_order = replay(program, &again);
    REQUIRE(in_agreed_order.size() == by_readiness.size());
    for (std::size_t r = 0; r < by_readiness.size(); ++r) {
        CHECK(in_agreed_order[r].finish_s == by_readiness[r].finish_s);
        CHECK(in_agreed_order[r].breakdown.exposed_comm_s == by_readiness[r].breakdown.exposed_comm_s);
    }
    REQUIRE(again.size() == spans.size());
    std::size_t moved = 0;
    for (std::size_t k = 0; k < spans.size(); ++k)
        moved += again[k].op != spans[k].op || again[k].start_s != spans[k].start_s ? 1 : 0;
    CHECK(moved == 0);
    // Every GPU of a stage keeps its stage's order.
    const auto full = training::expand_to_full(program);
    CHECK(full.comm_order == training::CommOrder::agreed);
    std::vector<std::vector<training::OpIndex>> of_stage(static_cast<std::size_t>(program.ranks));
    for (training::OpIndex i = 0; i < program.ops.size(); ++i)
        of_stage[static_cast<std::size_t>(program.ops[i].rank)].push_back(i);
    std::size_t next = 0, differ = 0;
    for (int g = 0; g < full.ranks; ++g)
        for (const auto i : of_stage[static_cast<std::size_t>(g / program.gpus_per_rank)])
            differ += full.ops[next++].issue != program.ops[i].issue ? 1 : 0;
    CHECK(differ == 0);
}

namespace {

/// The step of `s` at `micro_batches` per replica in symmetric and in full mode: they agree within
/// 1 %, full mode runs every GPU's ops, and expert communication is a real part of the step (the
/// comparison is not between two compute-only runs).
void check_modes_agree(const Scaled& s, int micro_batches) {
    training::StepOptions full_mode;
    full_mode.full = true;
    const int dp = s.workload.parallel.dp;
    const int batch = dp * micro_batches;
    const auto sym = training::simulate_step(s.cluster, s.workload, s.workload.training.seq_len, batch);
    const auto full =
        training::simulate_step(s.cluster, s.workload, s.workload.training.seq_len, batch, nullptr, full_mode);
    CHECK(full.ops == sym.ops * static_cast<std::uint64_t>(dp));
    CHECK(full.step_seconds == doctest::Approx(sym.step_seconds).epsilon(0.01));
    CHECK(sym.ranks.front().expert_comm_s > 0.05 * sym.step_seconds);
}

} // namespace

TEST_CASE("full and symmetric mode agree within 1 % on DeepSeek-V3's DualPipe layout at 512 GPUs") {
    // The shipped per-GPU layout (TP1, EP64, DualPipe, ZeRO-1, one sequence per micro-batch) at
    // PP4 x DP128: two expert-parallel groups of 64 per stage, expert data parallelism over 2, 8
    // micro-batches per replica. DESIGN.md: "on small clusters both modes must agree". (256 GPUs,
    // PP4 x DP64: tests/sim/test_deepseek_v3.cpp.)
    check_modes_agree(deepseek_v3(4, 128), 8);
}

TEST_CASE("full and symmetric mode agree within 1 % with NCCL's all-to-all dispatcher (every token copy)") {
    // The same model at PP4 x DP64 (256 GPUs, EP64 over 8 nodes) with moe_dispatcher = "alltoall":
    // each EP group's copies run pairwise, rendezvousing member by member in full mode.
    auto s = deepseek_v3(4, 64);
    s.workload.parallel.moe_dispatcher = workload::MoeDispatcher::alltoall;
    check_modes_agree(s, 8);
}

namespace {

/// One full-mode step of `program` (its issue order agreed from a symmetric replay first, as
/// simulate_step does), the executor holding `held`: the ranks' times, every op's span, and the
/// most op records held at once.
struct FullRun {
    std::vector<training::RankTimes> ranks;
    std::vector<training::OpSpan> spans;
    std::size_t peak_held = 0;
    std::size_t ops = 0;
};
FullRun run_full(const Scaled& s, int seq_len, int batch, training::HeldOps held) {
    auto program = training::build_program(s.cluster, s.workload, seq_len, batch);
    const compute::ComputeModel model(s.cluster.gpu, s.cluster.efficiency.compute,
                                      s.workload.parallel.compute_units_held());
    {
        engine::Simulation sim;
        network::FlowNetwork net(sim, s.cluster, program.groups);
        training::StepReplay step(program, model, net, sim);
        std::vector<training::OpSpan> spans;
        step.set_observer([&spans](const training::OpSpan& span) { spans.push_back(span); });
        step.run();
        training::agree_issue_order(program, spans);
    }
    training::FullExpansion expansion(program);
    engine::Simulation sim;
    network::FlowNetworkOptions flow;
    flow.beyond_index = network::RateUpdate::incremental;
    network::FlowNetwork net(sim, s.cluster, expansion.groups(), flow);
    training::StepReplay step(expansion, program, model, net, sim, nullptr, held);
    FullRun out;
    step.set_observer([&out](const training::OpSpan& span) { out.spans.push_back(span); });
    out.ranks = step.run();
    out.peak_held = step.peak_ops_held();
    out.ops = expansion.ops();
    return out;
}

void check_same_run(const FullRun& a, const FullRun& b) {
    REQUIRE(a.ranks.size() == b.ranks.size());
    for (std::size_t r = 0; r < a.ranks.size(); ++r) {
        CHECK(a.ranks[r].finish_s == b.ranks[r].finish_s);
        CHECK(a.ranks[r].breakdown.compute_s == b.ranks[r].breakdown.compute_s);
        CHECK(a.ranks[r].breakdown.exposed_comm_s == b.ranks[r].breakdown.exposed_comm_s);
        CHECK(a.ranks[r].breakdown.bubble_s == b.ranks[r].breakdown.bubble_s);
        CHECK(a.ranks[r].expert_comm_s == b.ranks[r].expert_comm_s);
    }
    REQUIRE(a.spans.size() == b.spans.size());
    std::size_t differ = 0;
    for (std::size_t k = 0; k < a.spans.size(); ++k)
        differ += a.spans[k].op != b.spans[k].op || a.spans[k].start_s != b.spans[k].start_s ||
                          a.spans[k].end_s != b.spans[k].end_s
                      ? 1
                      : 0;
    CHECK(differ == 0);
}

} // namespace

TEST_CASE("full mode holding only the ops in flight runs the step event for event as holding every op") {
    // StepReplay's contract: "The run is the same either way; the second holds far less."
    // DeepSeek-V3's DualPipe layout at PP4 x DP64 (expert dispatch and combine, pipeline sends
    // both ways), 8 micro-batches per replica: every op's start and end, in completion order,
    // and every GPU's accounts, equal to the bit.
    const auto s = deepseek_v3(4, 64);
    const auto all = run_full(s, s.workload.training.seq_len, 64 * 8, training::HeldOps::all);
    const auto in_flight = run_full(s, s.workload.training.seq_len, 64 * 8, training::HeldOps::in_flight);
    CHECK(all.spans.size() == all.ops);
    check_same_run(all, in_flight);
    CHECK(all.peak_held == all.ops);
    // In flight: a small fraction of the step's ops at once (measured: under 5 %).
    CHECK(in_flight.peak_held * 20 < in_flight.ops);
}

TEST_CASE("full mode holding only the ops in flight: the same with context parallelism's ring shifts") {
    // The 32K extension stage's shape, small: CP2 (each GPU's ring shift a group set of its own)
    // x DP32 x PP2 at 8,192 tokens, 4 micro-batches per replica.
    auto s = deepseek_v3(2, 32);
    s.workload.parallel.cp = 2;
    s.cluster.nodes = 2 * 2 * 32 / s.cluster.gpus_per_node;
    const auto all = run_full(s, 8192, 32 * 4, training::HeldOps::all);
    const auto in_flight = run_full(s, 8192, 32 * 4, training::HeldOps::in_flight);
    check_same_run(all, in_flight);
    CHECK(in_flight.peak_held * 10 < in_flight.ops);
}

TEST_CASE("full expansion answers backwards: each op's successors and the ops without dependencies, as the written-out program has them") {
    // full_expansion.hpp: "successors(id, out) ... ascending, each as many times as it names
    // `id`"; "roots(out) ... the ops without dependencies, ascending"; locate(id) the (GPU,
    // position) of id = base(GPU) + position. Checked against expand_to_full's Program, its
    // dependencies reversed, on DeepSeek-V3's DualPipe layout at PP4 x CP2 x DP32, 8,192 tokens.
    auto s = deepseek_v3(4, 32);
    s.workload.parallel.cp = 2;
    s.cluster.nodes = 4 * 2 * 32 / s.cluster.gpus_per_node;
    auto program = training::build_program(s.cluster, s.workload, 8192, 32 * 8);
    const auto full = training::expand_to_full(program);
    training::FullExpansion expansion(program);
    REQUIRE(expansion.ops() == full.ops.size());
    std::vector<std::vector<training::OpIndex>> successors(full.ops.size());
    std::vector<training::OpIndex> roots;
    for (training::OpIndex i = 0; i < full.ops.size(); ++i) {
        for (const auto d : full.ops[i].deps) successors[d].push_back(i);
        if (full.ops[i].deps.empty()) roots.push_back(i);
    }
    std::vector<training::OpIndex> out;
    std::size_t differ = 0, misplaced = 0, edges = 0;
    for (training::OpIndex i = 0; i < full.ops.size(); ++i) {
        expansion.successors(i, out);
        differ += out != successors[i] ? 1 : 0;
        edges += out.size();
        const auto at = expansion.locate(i);
        misplaced += at.gpu != full.ops[i].rank || expansion.base(at.gpu) + at.position != i ? 1 : 0;
    }
    CHECK(differ == 0);
    CHECK(misplaced == 0);
    CHECK(edges == expansion.dependencies());
    expansion.roots(out);
    CHECK(out == roots);
    CHECK(!roots.empty());
    CHECK_THROWS_AS((void)expansion.locate(static_cast<training::OpIndex>(full.ops.size())), std::out_of_range);
}

TEST_CASE("full mode refuses at once a step past its limits, naming the ops, the reason and the way out") {
    // step_simulator.hpp: kMaxFullModeOps (1G ops: about 6 bytes and 1 us of CPU each), and
    // kMaxFullModeTraceOps (40M) with a trace, which keeps every op and its span (~270 bytes).
    // The GPT-4 estimate on 24,960 A100: 156,419,328 ops at its own batch (runs, untraced), seven
    // times that at seven times the batch.
    const config::DiskFiles files;
    const auto cluster = config::load_cluster(files, "topologies/a100-25k-gpt4-estimate.toml");
    const auto w = config::load_workload(files, "workloads/gpt4-moe-estimate.toml");
    training::StepOptions full;
    full.full = true;
    auto problem = [&](int batch, training::StepTrace* trace) {
        try {
            training::simulate_step(cluster, w, w.training.seq_len, batch, trace, full);
        } catch (const workload::PlanError& e) {
            REQUIRE(e.problems().size() == 1);
            return e.problems().front();
        }
        return std::string("not refused");
    };
    CHECK(problem(7 * 7280, nullptr) ==
          "the step expands to 1092219648 ops over 24960 GPUs (about 6 GB and 18 minutes of CPU at about 1 us per "
          "op), more than the 1000000000 full mode simulates in one step; symmetric mode (without --full) simulates "
          "one GPU per pipeline stage, or simulate fewer GPUs (--nodes, --gpus)");
    training::StepTrace trace;
    CHECK(problem(7280, &trace) ==
          "the step expands to 156419328 ops, more than the 40000000 full mode traces (a trace keeps every op and its "
          "span, about 42 GB here); trace it in symmetric mode (without --full), or run it without --trace");
}
