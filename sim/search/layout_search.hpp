// `tcsim search` as a library call: which layout of a workload runs fastest on a cluster.
//
// Contract
// - Every candidate of the space (search_space.hpp) is checked with the plan check
//   (workload::check_plan, the same rules `tcsim run` applies), must run the workload's global
//   batch exactly (run::runnable_batch: comparing layouts at different batches would compare
//   different training), and must fit in GPU memory by the memory model
//   (training::estimate_memory at that batch). Refused candidates are counted by reason; those
//   refused only for memory are the near misses, closest to fitting first.
// - Candidates that pass are ranked by the screen (screen.hpp); the `top` best (ties broken by
//   the candidates' total order) are simulated in full (training::simulate_step, symmetric
//   mode, flow network sharing one fabric) at the global batch and ranked by that step time
//   (ties again by the total order). A candidate whose step the simulator refuses (e.g.
//   DualPipe on an odd number of stages) is counted with its reason.
// - Figures: days, GPU-hours and dollars are for the workload's tokens at the steady step's
//   throughput, failure-free, without batch ramp or context extension (`tcsim run` adds them).
// - The workload's own layout is checked and, when it passes, simulated as a reference.
// - Deterministic: the result is the same for any thread count.
#pragma once

#include "economics/price.hpp"
#include "report/inputs_at_median.hpp"
#include "search/search_space.hpp"
#include "topology/cluster.hpp"
#include "training/step_result.hpp"
#include "workload/workload.hpp"

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace tcsim::search {

struct SearchOptions {
    int top = 10;        ///< candidates simulated in full
    int near_misses = 5; ///< memory-refused candidates reported
    int threads = 1;
    /// Called as work finishes: the stage ("check", "screen", "simulate"), done, total. Called
    /// from worker threads, one call at a time.
    std::function<void(const std::string&, std::size_t, std::size_t)> progress;
};

/// A candidate simulated in full, with what it costs.
struct RankedLayout {
    LayoutCandidate layout;
    double screen_seconds = 0; ///< the screen's estimate of its step
    training::StepResult step;
    double memory_bytes = 0; ///< worst pipeline rank's memory
    double capacity_bytes = 0;
    double days = 0; ///< the workload's tokens at this step's throughput, failure-free
    double gpu_hours = 0;
    double dollars = 0; ///< GPU-hours at the rental price
};

/// A refused candidate and why.
struct Refusal {
    LayoutCandidate layout;
    std::string reason;
    double memory_bytes = 0;   ///< memory refusals: what the worst rank needs
    double capacity_bytes = 0; ///< and what the GPU has
};

struct RefusalCount {
    std::string rule; ///< "plan check", "global batch", "memory", "schedule"
    std::size_t count = 0;
    Refusal example; ///< the first refused for this rule, in the candidates' order
};

struct SearchResult {
    std::string workload;
    std::string cluster;
    std::string gpu;
    int gpus = 0;
    int seq_len = 0;
    int global_batch_sequences = 0;
    double tokens = 0;
    economics::RentalPrice price;
    std::size_t candidates = 0; ///< enumerated
    std::size_t feasible = 0;   ///< passed the plan check, the batch and memory
    std::size_t screened = 0;   ///< screened (feasible and runnable by the schedule)
    std::vector<RefusalCount> refusals;
    std::vector<RankedLayout> ranked; ///< fastest first
    std::vector<Refusal> near_misses; ///< refused for memory, closest to fitting first
    /// The workload's own layout: simulated when it passes, else why it is refused.
    std::optional<RankedLayout> own;
    std::optional<Refusal> own_refused;
    double seconds_checking = 0, seconds_screening = 0, seconds_simulating = 0; ///< wall clock
    /// Inputs the files gave as ranges (issue 20), searched at their median: filled by the caller
    /// that loaded the files, written as a note by the writers.
    std::vector<report::InputAtMedian> inputs_at_median;
};

[[nodiscard]] SearchResult search_layouts(const topology::ClusterSpec& cluster, const workload::Workload& workload,
                                          const SearchBounds& bounds, const economics::RentalPrice& price,
                                          const SearchOptions& options);

} // namespace tcsim::search
