// Whole-run scaling (issue 18): wall time and peak resident memory of one whole `tcsim run`
// (scenario::load_run then scenario::evaluate: batch ramp and steady state, the 1,000-sample
// failure Monte Carlo, the prices; weak scaling: the global batch and the ramp's start grow with
// the GPUs; the context-extension stages are left out, their batches being fixed in the file)
// of DeepSeek-V3 on its H800 cluster (topologies/deepseek-v3-h800.toml) and of Llama 3.1 405B on
// the Llama 3 H100 RoCE cluster (topologies/llama3-h100-roce.toml), each resized with --gpus
// (scenario::ClusterUse, DP re-derived) to 1,024 ... 131,072 GPUs. Each size runs in a child
// process of its own so that its peak RSS (getrusage's ru_maxrss, from wait4) is its own; a child
// that runs past the time limit (CPU seconds) is killed and reported as such; a size whose layout
// is refused says why in one line (Llama 3.1 405B at 1,024 GPUs: at DP8, ZeRO-2 shards gradients
// and optimizer over 8 GPUs only, and pipeline rank 15 needs 86.8 of 85.9 GB). Prints the machine
// and build type.
//
//   scale_bench [max_gpus] [limit_seconds]   (defaults: 131072, 120)
#include "config/config_files.hpp"
#include "config/overrides.hpp"
#include "machine.hpp"
#include "scenario/evaluate.hpp"
#include "scenario/load.hpp"

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <thread>

#ifndef TCSIM_SOURCE_DIR
#define TCSIM_SOURCE_DIR "."
#endif
#ifndef TCSIM_BUILD_TYPE
#define TCSIM_BUILD_TYPE "unknown"
#endif

namespace {

struct Case {
    const char* name;
    const char* cluster;
    const char* workload;
    int base_gpus;      ///< the GPUs the workload file's layout uses
    long batch;         ///< its global_batch_sequences
    long ramp_start;    ///< its training.ramp.start_sequences
    int fabric_limit;   ///< the most GPUs the file's fabric can be built for
    const char* larger; ///< the cluster override used beyond that
};

// The child: one whole run; writes its wall time and step time to `fd`; exit 0 when it ran.
[[noreturn]] void run_child(const Case& c, int gpus, int fd) {
    using namespace tcsim;
    const std::string root = TCSIM_SOURCE_DIR;
    try {
        config::DiskFiles files;
        // Weak scaling: the batch (and the ramp's start) grow with the GPUs, so that every
        // replica runs the file's micro-batches at every size.
        config::Overrides overrides;
        overrides.add_set("workload.training.global_batch_sequences=" + std::to_string(c.batch * gpus / c.base_gpus));
        overrides.add_set("workload.training.ramp.start_sequences=" +
                          std::to_string(c.ramp_start * gpus / c.base_gpus));
        if (gpus > c.fabric_limit) overrides.add_set(c.larger);
        files.set_overrides(overrides);
        scenario::ClusterUse use;
        use.gpus = gpus;
        scenario::Options options;
        options.no_extension =
            true; // the extension stages' batches are in an array of tables: not scalable by override
        const auto start = std::chrono::steady_clock::now();
        const scenario::Inputs inputs = scenario::load_run(files, root + "/topologies/" + c.cluster,
                                                           root + "/workloads/" + c.workload, use, options);
        const report::RunReport report = scenario::evaluate(inputs);
        const double seconds = bench::seconds_since(start);
        const double days = report.run.seconds() / 86400.0; // without failures
        const std::string line = std::to_string(seconds) + " " + std::to_string(days) + "\n";
        if (write(fd, line.data(), line.size()) < 0) std::_Exit(3);
        std::_Exit(0);
    } catch (const std::exception& e) {
        // One line: the refusal's last clause (the file names are long) and, for memory, its total.
        const std::string what = e.what();
        const std::string first = what.substr(0, what.find('\n'));
        const std::size_t clause = first.rfind(": ");
        std::string line = "refused: " + (clause == std::string::npos ? first : first.substr(clause + 2));
        if (const std::size_t total = what.find("\n  total"); total != std::string::npos) {
            const std::size_t from = what.find_first_not_of(' ', total + 1);
            std::string total_line;
            for (const char ch : what.substr(from, what.find('\n', from) - from))
                if (ch != ' ' || (!total_line.empty() && total_line.back() != ' ')) total_line += ch;
            line += " (" + total_line + ")";
        }
        line += "\n";
        if (write(fd, line.data(), line.size()) < 0) std::_Exit(3);
        std::_Exit(1);
    }
}

} // namespace

int main(int argc, char** argv) {
    const long max_gpus = argc > 1 ? std::atol(argv[1]) : 131072;
    const int limit = argc > 2 ? std::atoi(argv[2]) : 120;
    const Case cases[] = {// Beyond 16,384 GPUs the 2-tier planes of radix 64 run out of spine ports: 3 tiers.
                          {"DeepSeek-V3", "deepseek-v3-h800.toml", "deepseek-v3.toml", 2048, 15360, 3072, 16384,
                           "cluster.fabric.tiers=3"},
                          // Beyond 65,536 GPUs (64^3 / 4, the 3-tier fat tree of radix 64) switches of radix 128:
                          // Broadcom Tomahawk 5, 51.2 Tb/s as 128 x 400GbE ports (Broadcom BCM78900 product brief).
                          {"Llama 3.1 405B", "llama3-h100-roce.toml", "llama3.1-405b.toml", 16384, 2048, 1024, 65536,
                           "cluster.fabric.switch_radix=128"}};
    const int sizes[] = {1024, 2048, 4096, 16384, 65536, 98304, 131072};
    std::printf("scale_bench: one whole run, weak scaling (load_run + evaluate: ramp, steady state, 1,000 failure "
                "samples, prices; no extension)\n");
    std::printf("machine: %s, %u hardware threads; build type %s; limit %d s per run\n",
                tcsim::bench::cpu_model().c_str(), std::thread::hardware_concurrency(), TCSIM_BUILD_TYPE, limit);
    std::printf("  %-16s %8s %10s %10s %12s %12s\n", "workload", "GPUs", "wall s", "CPU s", "peak RSS MiB",
                "days (no fail)");
    std::fflush(stdout);
    for (const Case& c : cases) {
        for (const int gpus : sizes) {
            if (gpus > max_gpus) continue;
            int fds[2];
            if (pipe(fds) != 0) return 2;
            const pid_t pid = fork();
            if (pid < 0) return 2;
            if (pid == 0) {
                close(fds[0]);
                // The limit is on CPU time (SIGXCPU), with a wall-clock backstop four times as long
                // for a machine shared with other jobs.
                const rlimit cpu{static_cast<rlim_t>(limit), static_cast<rlim_t>(limit) + 1};
                setrlimit(RLIMIT_CPU, &cpu);
                alarm(static_cast<unsigned>(4 * limit));
                run_child(c, gpus, fds[1]);
            }
            close(fds[1]);
            std::string text;
            char buf[512];
            for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;) text.append(buf, static_cast<std::size_t>(n));
            close(fds[0]);
            int status = 0;
            rusage usage{};
            wait4(pid, &status, 0, &usage);
            const double rss_mib = static_cast<double>(usage.ru_maxrss) / 1024.0; // ru_maxrss is in KiB on Linux
            // The child's CPU time (user + system): on a machine shared with other jobs the wall
            // clock counts their time too.
            const double cpu_s = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                                 static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1e-6;
            if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
                double seconds = 0, days = 0;
                std::sscanf(text.c_str(), "%lf %lf", &seconds, &days);
                std::printf("  %-16s %8d %10.3f %10.3f %12.1f %12.2f\n", c.name, gpus, seconds, cpu_s, rss_mib, days);
            } else if (WIFSIGNALED(status)) {
                std::printf("  %-16s %8d %10s %10.3f %12.1f  killed by signal %d (limit %d s)\n", c.name, gpus, "-",
                            cpu_s, rss_mib, WTERMSIG(status), limit);
            } else {
                if (!text.empty() && text.back() == '\n') text.pop_back();
                std::printf("  %-16s %8d %10s %10.3f %12.1f  %s\n", c.name, gpus, "-", cpu_s, rss_mib, text.c_str());
            }
            std::fflush(stdout);
        }
    }
    return 0;
}
