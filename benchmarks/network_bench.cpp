// Wall time to simulate one DeepSeek-V3 training step on 2,048 H800s (the built-in scenario:
// 8-plane fat tree, PP16 x DP128 with EP64, DualPipe) in symmetric mode with the flow network,
// next to the same step with closed-form (alpha-beta) pricing, and the program and the warm step
// again on the buffers the step before left (training/step_buffers.hpp: as a run's steps on one
// thread reuse them; the step must come out the same). Target: under 1 s on one core in a
// Release build. Prints the machine and the build type, since figures from a Debug build or
// another machine are not comparable; each phase is timed over three repetitions (median, best).
//
// Usage: network_bench [repetitions]
#include "machine.hpp"

#include "compute/compute_model.hpp"
#include "config/builtin_files.hpp"
#include "config/load_cluster.hpp"
#include "config/load_workload.hpp"
#include "engine/simulation.hpp"
#include "network/alpha_beta_network.hpp"
#include "network/flow_network.hpp"
#include "training/program_builder.hpp"
#include "training/step_buffers.hpp"
#include "training/step_replay.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#ifndef TCSIM_BUILD_TYPE
#define TCSIM_BUILD_TYPE "unknown"
#endif

namespace {

using tcsim::bench::cpu_model;
using tcsim::bench::seconds_since;

using namespace tcsim;
using Clock = std::chrono::steady_clock;

/// Wall and CPU seconds of one timed phase (on a shared machine only the CPU time is ours).
struct Timing {
    double wall_s = 0;
    double cpu_s = 0;
};

struct StepRun {
    double wall_s = 0;
    double cpu_s = 0;
    double step_s = 0;
    std::uint64_t events = 0;
    network::FlowNetworkStats stats;
};

/// `buffers`: an earlier step's, reused (null: fresh tables).
template <class MakeNetwork>
StepRun simulate(const training::Program& program, const topology::ClusterSpec& cluster, const workload::Workload& w,
                 MakeNetwork make, training::StepBuffers* buffers = nullptr) {
    const auto start = Clock::now();
    const double cpu_start = tcsim::bench::cpu_seconds();
    engine::Simulation sim;
    const compute::ComputeModel compute(cluster.gpu, cluster.efficiency.compute, w.parallel.comm_fraction);
    auto network = make(sim);
    training::StepReplay replay(program, compute, *network, sim, buffers);
    const auto ranks = replay.run();
    StepRun out;
    out.wall_s = seconds_since(start);
    out.cpu_s = tcsim::bench::cpu_seconds() - cpu_start;
    for (const auto& r : ranks) out.step_s = std::max(out.step_s, r.finish_s);
    out.events = sim.executed();
    if (auto* flow = dynamic_cast<network::FlowNetwork*>(network.get())) out.stats = flow->stats();
    return out;
}

void report(const char* what, std::vector<Timing> times) {
    std::vector<double> walls, cpus;
    for (const Timing& t : times) walls.push_back(t.wall_s), cpus.push_back(t.cpu_s);
    std::sort(walls.begin(), walls.end());
    std::sort(cpus.begin(), cpus.end());
    std::printf("  %-46s median %8.3f s   best %8.3f s   CPU median %8.3f s   best %8.3f s\n", what,
                walls[walls.size() / 2], walls.front(), cpus[cpus.size() / 2], cpus.front());
}

} // namespace

int main(int argc, char** argv) {
    const int repetitions = argc > 1 ? std::max(1, std::atoi(argv[1])) : 3;
    std::printf("network_bench: machine %s, %u hardware threads (one used), build type %s\n", cpu_model().c_str(),
                std::thread::hardware_concurrency(), TCSIM_BUILD_TYPE);
    const auto& files = config::builtin_files();
    const auto cluster = config::load_cluster(files, std::string(config::kBuiltinCluster));
    const auto workload = config::load_workload(files, std::string(config::kBuiltinWorkload));
    const int seq_len = workload.training.seq_len;
    const int batch = workload.training.global_batch_sequences;

    std::vector<Timing> build_walls, flow_walls, warm_walls, alpha_walls, reused_build_walls, reused_warm_walls;
    training::Program program;
    StepRun flow, warm, alpha, reused;
    // The buffers a run's thread keeps from one step to the next (training/step_buffers.hpp).
    training::StepBuffers buffers;
    // A warm fabric: routes and max-min rates memoised by an earlier step, as every step of a run
    // after its first finds them (network/plan_memo.hpp).
    const auto fabric = network::make_fabric(cluster);
    for (int i = 0; i < repetitions; ++i) {
        const auto start = Clock::now();
        const double cpu_start = tcsim::bench::cpu_seconds();
        program = training::build_program(cluster, workload, seq_len, batch);
        build_walls.push_back({seconds_since(start), tcsim::bench::cpu_seconds() - cpu_start});
        flow = simulate(program, cluster, workload, [&](engine::Simulation& sim) {
            return std::make_unique<network::FlowNetwork>(sim, cluster, program.groups);
        });
        flow_walls.push_back({flow.wall_s, flow.cpu_s});
        warm = simulate(program, cluster, workload, [&](engine::Simulation& sim) {
            return std::make_unique<network::FlowNetwork>(sim, fabric, program.groups);
        });
        if (i > 0 || repetitions == 1) warm_walls.push_back({warm.wall_s, warm.cpu_s});
        alpha = simulate(program, cluster, workload, [&](engine::Simulation& sim) {
            return std::make_unique<network::AlphaBetaNetwork>(sim, cluster);
        });
        alpha_walls.push_back({alpha.wall_s, alpha.cpu_s});
        // The same step on the buffers of the step before (the first repetition fills them).
        const auto reused_start = Clock::now();
        const double reused_cpu_start = tcsim::bench::cpu_seconds();
        training::Program on_buffers =
            training::build_program(cluster, workload, seq_len, batch, std::move(buffers.program_ops));
        const Timing reused_build{seconds_since(reused_start), tcsim::bench::cpu_seconds() - reused_cpu_start};
        reused = simulate(
            on_buffers, cluster, workload,
            [&](engine::Simulation& sim) {
                return std::make_unique<network::FlowNetwork>(sim, fabric, on_buffers.groups);
            },
            &buffers);
        buffers.program_ops = std::move(on_buffers.ops);
        if (i > 0 || repetitions == 1) {
            reused_build_walls.push_back(reused_build);
            reused_warm_walls.push_back({reused.wall_s, reused.cpu_s});
        }
    }
    std::size_t collectives = 0;
    for (const auto& op : program.ops)
        if (!op.is_compute()) ++collectives;
    std::printf("scenario: %s on %s: %d GPUs, %d representative ranks, %zu ops (%zu communication), seq %d, batch %d\n",
                workload.name.c_str(), cluster.name.c_str(), workload.parallel.gpus(), program.ranks,
                program.ops.size(), collectives, seq_len, batch);
    std::printf("wall and CPU time (%d repetitions):\n", repetitions);
    report("build_program", build_walls);
    report("step, flow network (symmetric mode)", flow_walls);
    report("step, flow network, warm fabric", warm_walls);
    report("step, alpha-beta network", alpha_walls);
    report("build_program, ops on an earlier step's buffers", reused_build_walls);
    report("step, warm fabric, on an earlier step's buffers", reused_warm_walls);
    if (reused.step_s != warm.step_s) {
        std::printf("the step on reused buffers differs: %.9f s against %.9f s\n", reused.step_s, warm.step_s);
        return 1;
    }
    std::printf("simulated step: flow %.3f s, alpha-beta %.3f s; engine events: flow %llu, alpha-beta %llu\n",
                flow.step_s, alpha.step_s, static_cast<unsigned long long>(flow.events),
                static_cast<unsigned long long>(alpha.events));
    std::printf("flow network: %llu collectives, %llu flow classes, %llu signatures routed, %llu max-min solves, "
                "%llu rate sets reused\n",
                static_cast<unsigned long long>(flow.stats.collectives),
                static_cast<unsigned long long>(flow.stats.class_events),
                static_cast<unsigned long long>(flow.stats.templates),
                static_cast<unsigned long long>(flow.stats.solves), static_cast<unsigned long long>(flow.stats.reuses));

    // Full mode on 256 GPUs: DeepSeek-V3's layers on 32 nodes of the same cluster, PP4 x DP64
    // with EP64 and DualPipe, 8 micro-batches per pipeline; every GPU simulated, collectives
    // rendezvous, beside the symmetric-mode step of the same program.
    auto small = cluster;
    small.nodes = 32;
    auto w256 = workload;
    w256.parallel.pp = 4;
    w256.parallel.dp = 64;
    const int batch256 = 64 * 8;
    const auto sym_program = training::build_program(small, w256, seq_len, batch256);
    const auto full_program = training::expand_to_full(sym_program);
    std::vector<Timing> sym_walls, full_walls;
    StepRun sym, full;
    for (int i = 0; i < repetitions; ++i) {
        sym = simulate(sym_program, small, w256, [&](engine::Simulation& sim) {
            return std::make_unique<network::FlowNetwork>(sim, small, sym_program.groups);
        });
        sym_walls.push_back({sym.wall_s, sym.cpu_s});
        full = simulate(full_program, small, w256, [&](engine::Simulation& sim) {
            return std::make_unique<network::FlowNetwork>(sim, small, full_program.groups);
        });
        full_walls.push_back({full.wall_s, full.cpu_s});
    }
    std::printf("256 GPUs (32 nodes, PP4 x DP64, EP64, DualPipe, batch %d): %zu ops symmetric, %zu ops full\n",
                batch256, sym_program.ops.size(), full_program.ops.size());
    report("step, flow network, symmetric mode", sym_walls);
    report("step, flow network, full mode (every GPU)", full_walls);
    std::printf("simulated step: symmetric %.4f s, full %.4f s (difference %.2f %%)\n", sym.step_s, full.step_s,
                100.0 * (full.step_s / sym.step_s - 1.0));
    return 0;
}
