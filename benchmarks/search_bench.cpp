// Search throughput: GPT-3 175B on 64 A100s (8 DGX A100 nodes of topologies/a100-cluster.toml),
// the default space of `tcsim search`, which covers Calculon's (TP, PP, interleaving,
// recomputation, optimizer sharding, micro-batch; calculon/llm/optimal_execution.py), at
// GPT-3's batch of 1,536 sequences. Prints layouts checked, screened and simulated per second
// and the whole search's wall clock beside Calculon's 242 configurations per second (the figure
// issue 16 quotes for its GPT-3 175B / 64 A100 search), with the machine and build type.
//
//   search_bench [threads]   (default: the hardware's concurrency)
#include "config/config_files.hpp"
#include "config/load_cluster.hpp"
#include "config/load_prices.hpp"
#include "config/load_workload.hpp"
#include "economics/cost_model.hpp"
#include "machine.hpp"
#include "search/layout_search.hpp"
#include "search/search_space.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

#ifndef TCSIM_SOURCE_DIR
#define TCSIM_SOURCE_DIR "."
#endif
#ifndef TCSIM_BUILD_TYPE
#define TCSIM_BUILD_TYPE "unknown"
#endif

int main(int argc, char** argv) {
    using namespace tcsim;
    const std::string root = TCSIM_SOURCE_DIR;
    const int threads =
        argc > 1 ? std::atoi(argv[1]) : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    const config::DiskFiles files;
    topology::ClusterSpec cluster = config::load_cluster(files, root + "/topologies/a100-cluster.toml");
    cluster.nodes = 8;
    const workload::Workload workload = config::load_workload(files, root + "/workloads/gpt3-175b.toml");
    const auto prices = config::load_prices(files, root + "/topologies/prices.toml", cluster.catalog_gpus);
    search::SearchOptions options;
    options.threads = threads;
    const auto start = std::chrono::steady_clock::now();
    const search::SearchResult r =
        search::search_layouts(cluster, workload, {}, economics::price_for(prices, cluster.gpu.name), options);
    const double total = bench::seconds_since(start);

    std::printf("search_bench: GPT-3 175B on 64 A100-80GB (8 DGX A100 nodes), batch %d x %d tokens, default space\n",
                r.global_batch_sequences, r.seq_len);
    std::printf("machine: %s, %u hardware threads, %d used; build type %s\n", bench::cpu_model().c_str(),
                std::thread::hardware_concurrency(), threads, TCSIM_BUILD_TYPE);
    std::printf("  checked   %7zu layouts in %7.2f s  %9.1f layouts/s (plan check, batch, memory model)\n",
                r.candidates, r.seconds_checking, static_cast<double>(r.candidates) / r.seconds_checking);
    std::printf("  screened  %7zu layouts in %7.2f s  %9.1f layouts/s (two alpha-beta steps each)\n", r.screened,
                r.seconds_screening, static_cast<double>(r.screened) / r.seconds_screening);
    std::printf("  simulated %7zu layouts in %7.2f s  %9.2f layouts/s (full step, flow network)\n", r.ranked.size(),
                r.seconds_simulating, static_cast<double>(r.ranked.size()) / r.seconds_simulating);
    std::printf("  whole search %.2f s: %.1f layouts enumerated per second; Calculon: 242 configurations/s\n", total,
                static_cast<double>(r.candidates) / total);
    if (!r.ranked.empty())
        std::printf("  fastest: %s, %.3f s per step, MFU %.1f %%\n", search::describe(r.ranked.front().layout).c_str(),
                    r.ranked.front().step.step_seconds, 100.0 * r.ranked.front().step.mfu);
    return 0;
}
