// Full mode against symmetric mode on one training step: every GPU simulated (each collective
// rendezvousing its members) beside one representative per pipeline stage, on the flow network.
// By default the built-in scenario at its shipped scale: DeepSeek-V3 on 2,048 H800s (PP16
// DualPipe, EP64, 120 micro-batches per replica). Prints the machine and the build type (figures
// from a Debug build or another machine are not comparable), the wall time of each mode and both
// simulated step times with their ratio, which DESIGN.md wants within 1 %.
//
// Usage: full_mode_bench [--cluster FILE --workload FILE] [--nodes N] [--pp N] [--dp N] [--cp N]
//                       [--seq N] [--batch N] [--stage N] [--symmetric-only]
//        full_mode_bench --all [--limit SECONDS]
//   --cluster/--workload  any shipped pair (default: the built-in DeepSeek-V3 scenario)
//   --nodes               use that many nodes of the cluster (default: as many as the layout needs)
//   --pp/--dp/--cp        override the layout's pipeline, data and context parallelism
//   --seq                 sequence length (default: the workload's)
//   --batch               global batch in sequences (default: the steady batch the run model
//                         simulates, run::runnable_batch of the workload's)
//   --stage N             the workload's N-th context-extension stage (its layout, sequence, batch)
//   --symmetric-only      stop after the symmetric step (e.g. to see a program's size)
//   --all                 every shipped workload on its cluster at its shipped scale, and
//                         DeepSeek-V3's two extension stages, each in a child process (its own
//                         peak memory) under a CPU-time limit (--limit, default 600 s)
#include "machine.hpp"

#include "config/builtin_files.hpp"
#include "config/config_files.hpp"
#include "config/load_cluster.hpp"
#include "config/load_workload.hpp"
#include "run/run_model.hpp"
#include "training/step_simulator.hpp"

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <fstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#ifndef TCSIM_SOURCE_DIR
#define TCSIM_SOURCE_DIR "."
#endif
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
    int stage = 0; ///< 1-based: the workload's context-extension stage instead of pre-training
    bool all = false;
    int limit_s = 600;
};

/// Every shipped workload on the cluster it was written for (as tests/cli/CMakeLists.txt runs
/// them), with the nodes it uses where that is not the whole cluster.
struct Shipped {
    const char* workload;
    const char* cluster;
    const char* nodes; ///< nullptr: the layout's
};
constexpr Shipped kShipped[] = {
    {"bloom-176b", "jean-zay-a100", nullptr},
    {"deepseek-v2", "deepseek-v3-h800", nullptr},
    {"deepseek-v3", "deepseek-v3-h800", nullptr},
    {"gemma3-27b", "dgx-h100-superpod", nullptr},
    {"gpt-oss-120b", "dgx-h100-superpod", nullptr},
    {"gpt3-175b", "a100-cluster", "128"},
    {"gpt4-moe-estimate", "a100-25k-gpt4-estimate", nullptr},
    {"llama1-65b", "a100-cluster", "256"},
    {"llama2-70b", "a100-cluster", "256"},
    {"llama3.1-405b", "llama3-h100-roce", nullptr},
    {"llama4-maverick", "llama3-h100-roce", nullptr},
    {"minitron-8b", "dgx-h100-superpod", nullptr},
    {"mixtral-8x7b", "dgx-h100-superpod", nullptr},
    {"opt-175b", "a100-cluster", "124"},
    {"qwen3-235b-a22b", "deepseek-v3-h800", nullptr},
};

/// --all: each shipped pair (and DeepSeek-V3's extension stages) in a child process of its own,
/// so that its peak memory is its own, under a CPU-time limit.
int run_all(const char* self, int limit_s) {
    const std::string root = TCSIM_SOURCE_DIR;
    struct Job {
        std::string workload, cluster, nodes, stage;
    };
    std::vector<Job> jobs;
    for (const Shipped& x : kShipped) {
        jobs.push_back({x.workload, x.cluster, x.nodes ? x.nodes : "", ""});
        if (std::string(x.workload) == "deepseek-v3")
            for (const char* stage : {"1", "2"}) jobs.push_back({x.workload, x.cluster, "", stage});
    }
    for (const Job& j : jobs) {
        std::printf("\n== %s on %s%s%s\n", j.workload.c_str(), j.cluster.c_str(),
                    j.stage.empty() ? "" : ", extension stage ", j.stage.c_str());
        std::fflush(stdout);
        std::vector<std::string> args{self, "--cluster", root + "/topologies/" + j.cluster + ".toml", "--workload",
                                      root + "/workloads/" + j.workload + ".toml"};
        if (!j.nodes.empty()) args.insert(args.end(), {"--nodes", j.nodes});
        if (!j.stage.empty()) args.insert(args.end(), {"--stage", j.stage});
        const pid_t pid = fork();
        if (pid < 0) return 2;
        if (pid == 0) {
            const rlimit cpu{static_cast<rlim_t>(limit_s), static_cast<rlim_t>(limit_s) + 1};
            setrlimit(RLIMIT_CPU, &cpu);
            std::vector<char*> argv;
            for (auto& a : args) argv.push_back(a.data());
            argv.push_back(nullptr);
            execv(self, argv.data());
            std::_Exit(127);
        }
        int status = 0;
        rusage usage{};
        wait4(pid, &status, 0, &usage);
        const double cpu_s = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                             static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1e-6;
        std::printf("   process: CPU %.1f s, peak RSS %.2f GiB%s\n", cpu_s,
                    static_cast<double>(usage.ru_maxrss) / (1024.0 * 1024.0),
                    WIFSIGNALED(status) ? " (killed: CPU limit)" : "");
        std::fflush(stdout);
    }
    return 0;
}

int usage() {
    std::fprintf(stderr, "usage: full_mode_bench [--cluster FILE --workload FILE] [--nodes N] [--pp N] [--dp N] "
                         "[--cp N] [--seq N] [--batch N] [--stage N] [--symmetric-only] | --all [--limit S]\n");
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
        else if (has_value && std::strcmp(argv[i], "--stage") == 0 && number(a.stage))
            continue;
        else if (has_value && std::strcmp(argv[i], "--limit") == 0 && number(a.limit_s))
            continue;
        else if (std::strcmp(argv[i], "--symmetric-only") == 0)
            a.symmetric_only = true;
        else if (std::strcmp(argv[i], "--all") == 0)
            a.all = true;
        else
            return usage();
    }
    if (a.cluster.empty() != a.workload.empty()) return usage();
    std::printf("full_mode_bench: machine %s, %u hardware threads (one used), build type %s\n", cpu_model().c_str(),
                std::thread::hardware_concurrency(), TCSIM_BUILD_TYPE);
    if (a.all) return run_all(argv[0], a.limit_s);
    try {
        const config::DiskFiles disk;
        const config::ConfigFiles& files =
            a.cluster.empty() ? static_cast<const config::ConfigFiles&>(config::builtin_files()) : disk;
        auto cluster =
            config::load_cluster(files, a.cluster.empty() ? std::string(config::kBuiltinCluster) : a.cluster);
        auto w = config::load_workload(files, a.workload.empty() ? std::string(config::kBuiltinWorkload) : a.workload);
        if (a.stage > 0) {
            if (a.stage > static_cast<int>(w.training.extension.size()))
                throw std::invalid_argument("--stage " + std::to_string(a.stage) + ": the workload has " +
                                            std::to_string(w.training.extension.size()) + " extension stages");
            const auto& e = w.training.extension[static_cast<std::size_t>(a.stage - 1)];
            const auto& layout = e.parallel ? *e.parallel : w.parallel;
            w = run::stage_workload(w, e, run::runnable_batch(layout, e.global_batch_sequences));
        }
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
        double cpu = tcsim::bench::cpu_seconds();
        const auto sym = training::simulate_step(cluster, w, seq_len, batch, nullptr, options);
        const double sym_wall = seconds_since(start);
        const double sym_cpu = tcsim::bench::cpu_seconds() - cpu;
        const double sym_peak = peak_memory_gib();
        std::printf("symmetric mode: %zu ops, wall %.3f s, CPU %.3f s, step %.6f s (peak memory %.2f GiB)\n", sym.ops,
                    sym_wall, sym_cpu, sym.step_seconds, sym_peak);
        std::fflush(stdout);
        if (a.symmetric_only) return 0;
        options.full = true;
        start = Clock::now();
        cpu = tcsim::bench::cpu_seconds();
        const auto full = training::simulate_step(cluster, w, seq_len, batch, nullptr, options);
        const double full_wall = seconds_since(start);
        const double full_cpu = tcsim::bench::cpu_seconds() - cpu;
        const double full_peak = peak_memory_gib();
        std::printf("full mode:      %zu ops, wall %.3f s, CPU %.3f s, step %.6f s (peak memory %.2f GiB, about %.0f "
                    "bytes per op)\n",
                    full.ops, full_wall, full_cpu, full.step_seconds, full_peak,
                    (full_peak - sym_peak) * 1024.0 * 1024.0 * 1024.0 / static_cast<double>(full.ops));
        // CPU per op and per engine event (op completions, flow completions, collective ends).
        std::printf("full mode cost: %.2f us CPU per op, %llu engine events, %.2f us CPU per event\n",
                    1e6 * full_cpu / static_cast<double>(full.ops), static_cast<unsigned long long>(full.events),
                    1e6 * full_cpu / static_cast<double>(full.events));
        std::printf("full / symmetric step time: %.6f (%+.3f %%)\n", full.step_seconds / sym.step_seconds,
                    100.0 * (full.step_seconds / sym.step_seconds - 1.0));
    } catch (const std::exception& e) {
        std::printf("failed: %s\n", e.what());
        return 1;
    }
    return 0;
}
