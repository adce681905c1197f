// Full mode against symmetric mode on one training step: every GPU simulated (each collective
// rendezvousing its members) beside one representative per pipeline stage, on the flow network.
// By default the built-in scenario at its shipped scale: DeepSeek-V3 on 2,048 H800s (PP16
// DualPipe, EP64, 120 micro-batches per replica). Prints the machine and the build type (figures
// from a Debug build or another machine are not comparable), the wall time of each mode and both
// simulated step times with their ratio, which DESIGN.md wants within 1 %.
//
// Usage: full_mode_bench [--cluster FILE --workload FILE] [--nodes N] [--pp N] [--dp N] [--cp N]
//                       [--seq N] [--batch N] [--symmetric-only]
//   --cluster/--workload  any shipped pair (default: the built-in DeepSeek-V3 scenario)
//   --nodes               use that many nodes of the cluster (default: as many as the layout needs)
//   --pp/--dp/--cp        override the layout's pipeline, data and context parallelism
//   --seq                 sequence length (default: the workload's)
//   --batch               global batch in sequences (default: the steady batch the run model
//                         simulates, run::runnable_batch of the workload's)
//   --symmetric-only      stop after the symmetric step (e.g. to see a program's size)
#include "machine.hpp"

#include "config/builtin_files.hpp"
#include "config/config_files.hpp"
#include "config/load_cluster.hpp"
#include "config/load_workload.hpp"
#include "run/run_model.hpp"
#include "training/step_simulator.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <fstream>
#include <string>
#include <thread>

#ifndef TCSIM_BUILD_TYPE
#define TCSIM_BUILD_TYPE "unknown"
#endif

namespace {

using namespace tcsim;
using Clock = std::chrono::steady_clock;
using tcsim::bench::cpu_model;
using tcsim::bench::seconds_since;

/// Peak resident memory of this process so far (VmHWM), in GiB; 0 where /proc has none.
double peak_memory_gib() {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("VmHWM:", 0) == 0) return std::atof(line.c_str() + 6) / (1024.0 * 1024.0);
    return 0;
}

struct Args {
    std::string cluster, workload;
    int nodes = 0, pp = 0, dp = 0, cp = 0, seq = 0, batch = 0;
    bool symmetric_only = false;
};

int usage() {
    std::fprintf(stderr, "usage: full_mode_bench [--cluster FILE --workload FILE] [--nodes N] [--pp N] [--dp N] "
                         "[--cp N] [--seq N] [--batch N] [--symmetric-only]\n");
    return 2;
}

} // namespace

int main(int argc, char** argv) {
    Args a;
    for (int i = 1; i < argc; ++i) {
        const bool has_value = i + 1 < argc;
        auto number = [&](int& into) {
            into = std::atoi(argv[++i]);
            return into > 0;
        };
        if (has_value && std::strcmp(argv[i], "--cluster") == 0)
            a.cluster = argv[++i];
        else if (has_value && std::strcmp(argv[i], "--workload") == 0)
            a.workload = argv[++i];
        else if (has_value && std::strcmp(argv[i], "--nodes") == 0 && number(a.nodes))
            continue;
        else if (has_value && std::strcmp(argv[i], "--pp") == 0 && number(a.pp))
            continue;
        else if (has_value && std::strcmp(argv[i], "--dp") == 0 && number(a.dp))
            continue;
        else if (has_value && std::strcmp(argv[i], "--cp") == 0 && number(a.cp))
            continue;
        else if (has_value && std::strcmp(argv[i], "--seq") == 0 && number(a.seq))
            continue;
        else if (has_value && std::strcmp(argv[i], "--batch") == 0 && number(a.batch))
            continue;
        else if (std::strcmp(argv[i], "--symmetric-only") == 0)
            a.symmetric_only = true;
        else
            return usage();
    }
    if (a.cluster.empty() != a.workload.empty()) return usage();
    std::printf("full_mode_bench: machine %s, %u hardware threads (one used), build type %s\n", cpu_model().c_str(),
                std::thread::hardware_concurrency(), TCSIM_BUILD_TYPE);
    try {
        const config::DiskFiles disk;
        const config::ConfigFiles& files =
            a.cluster.empty() ? static_cast<const config::ConfigFiles&>(config::builtin_files()) : disk;
        auto cluster =
            config::load_cluster(files, a.cluster.empty() ? std::string(config::kBuiltinCluster) : a.cluster);
        auto w = config::load_workload(files, a.workload.empty() ? std::string(config::kBuiltinWorkload) : a.workload);
        if (a.pp > 0) w.parallel.pp = a.pp;
        if (a.dp > 0) w.parallel.dp = a.dp;
        if (a.cp > 0) w.parallel.cp = a.cp;
        if (a.seq > 0) w.training.seq_len = a.seq;
        cluster.nodes = a.nodes > 0 ? a.nodes : (w.parallel.gpus() + cluster.gpus_per_node - 1) / cluster.gpus_per_node;
        const int seq_len = w.training.seq_len;
        const int batch = a.batch > 0 ? a.batch : run::runnable_batch(w.parallel, w.training.global_batch_sequences);
        std::printf("scenario: %s on %s, %d nodes: %d GPUs (TP%d CP%d PP%d DP%d EP%d), seq %d, batch %d\n",
                    w.name.c_str(), cluster.name.c_str(), cluster.nodes, w.parallel.gpus(), w.parallel.tp,
                    w.parallel.cp, w.parallel.pp, w.parallel.dp, w.parallel.ep, seq_len, batch);
        std::fflush(stdout);

        training::StepOptions options;
        options.fabric = network::make_fabric(cluster);
        auto start = Clock::now();
        const auto sym = training::simulate_step(cluster, w, seq_len, batch, nullptr, options);
        const double sym_wall = seconds_since(start);
        std::printf("symmetric mode: %zu ops, wall %.3f s, step %.6f s\n", sym.ops, sym_wall, sym.step_seconds);
        std::fflush(stdout);
        if (a.symmetric_only) return 0;
        options.full = true;
        start = Clock::now();
        const auto full = training::simulate_step(cluster, w, seq_len, batch, nullptr, options);
        const double full_wall = seconds_since(start);
        std::printf("full mode:      %zu ops, wall %.3f s, step %.6f s (peak memory %.2f GiB)\n", full.ops, full_wall,
                    full.step_seconds, peak_memory_gib());
        std::printf("full / symmetric step time: %.6f (%+.3f %%)\n", full.step_seconds / sym.step_seconds,
                    100.0 * (full.step_seconds / sym.step_seconds - 1.0));
    } catch (const std::exception& e) {
        std::printf("failed: %s\n", e.what());
        return 1;
    }
    return 0;
}
