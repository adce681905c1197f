// The search in three passes over threads (check, screen, simulate), each writing its results
// by candidate index, so that nothing depends on which thread finished first.
#include "search/layout_search.hpp"

#include "network/make_network.hpp"
#include "run/run_model.hpp"
#include "run/parallel_map.hpp"
#include "search/screen.hpp"
#include "training/memory_model.hpp"
#include "training/step_simulator.hpp"
#include "workload/plan_check.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <stdexcept>

namespace tcsim::search {
namespace {

constexpr double seconds_per_day = 86400.0;

/// What the check pass found for one candidate: refused (with a rule) or feasible.
struct Checked {
    std::string rule; ///< empty: feasible
    Refusal refusal;
    double memory_bytes = 0;
    double capacity_bytes = 0;
};

Checked check(const topology::ClusterSpec& cluster, const workload::Workload& workload, const LayoutCandidate& c) {
    Checked out;
    out.refusal.layout = c;
    const workload::Workload w = with_layout(workload, c);
    try {
        workload::check_plan(cluster, w);
    } catch (const workload::PlanError& e) {
        out.rule = "plan check";
        out.refusal.reason = e.problems().empty() ? e.what() : e.problems().front();
        return out;
    }
    const int batch = w.training.global_batch_sequences;
    const int runnable = run::runnable_batch(w.parallel, batch);
    if (runnable != batch) {
        out.rule = "global batch";
        out.refusal.reason = "runs " + std::to_string(runnable) + " sequences per step, not the global batch of " +
                             std::to_string(batch) + " (" + std::string(workload::to_string(w.parallel.schedule)) +
                             " on DP" + std::to_string(w.parallel.dp) + " x micro-batch " +
                             std::to_string(w.parallel.micro_batch_sequences) + ")";
        return out;
    }
    const training::MemoryEstimate memory = training::estimate_memory(cluster, w, w.training.seq_len, batch);
    out.memory_bytes = memory.worst().total();
    out.capacity_bytes = memory.capacity;
    if (!memory.fits()) {
        out.rule = "memory";
        out.refusal.memory_bytes = out.memory_bytes;
        out.refusal.capacity_bytes = out.capacity_bytes;
        char text[160];
        std::snprintf(text, sizeof text, "needs %.1f GB per GPU on pipeline rank %d, the GPU has %.1f GB",
                      out.memory_bytes / 1e9, memory.worst().rank, out.capacity_bytes / 1e9);
        out.refusal.reason = text;
    }
    return out;
}

struct Screened {
    bool ok = false;
    double seconds = 0;
    std::string reason; ///< why the simulator refused the schedule
};

RankedLayout price(const RankedLayout& partial, const workload::Workload& workload,
                   const economics::RentalPrice& rental) {
    RankedLayout r = partial;
    const double tokens_per_s = r.step.tokens_per_step / r.step.step_seconds;
    r.days = workload.training.tokens / tokens_per_s / seconds_per_day;
    r.gpu_hours = r.days * 24.0 * r.step.gpus;
    r.dollars = r.gpu_hours * rental.per_gpu_hour.value();
    return r;
}

double since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

} // namespace

SearchResult search_layouts(const topology::ClusterSpec& cluster, const workload::Workload& workload,
                            const SearchBounds& bounds, const economics::RentalPrice& rental,
                            const SearchOptions& options) {
    SearchResult result;
    result.workload = workload.name;
    result.cluster = cluster.name;
    result.gpu = cluster.gpu.name;
    result.gpus = cluster.nodes * cluster.gpus_per_node;
    result.seq_len = workload.training.seq_len;
    result.global_batch_sequences = workload.training.global_batch_sequences;
    result.tokens = workload.training.tokens;
    result.price = rental;
    const int threads = std::max(1, options.threads);
    auto ticker = [&options](const std::string& stage, std::size_t total) -> std::function<void(std::size_t)> {
        if (!options.progress) return {};
        return [&options, stage, total](std::size_t done) { options.progress(stage, done, total); };
    };

    // 1. Enumerate and check: the plan rules, the batch, memory.
    auto start = std::chrono::steady_clock::now();
    const std::vector<LayoutCandidate> candidates = enumerate_layouts(cluster, workload, bounds);
    result.candidates = candidates.size();
    const auto checked = run::parallel_map<Checked>(
        candidates.size(), threads, [&](std::size_t i) { return check(cluster, workload, candidates[i]); },
        ticker("check", candidates.size()));
    std::map<std::string, RefusalCount> refusals;
    auto refuse = [&refusals](const std::string& rule, const Refusal& r) {
        RefusalCount& count = refusals[rule];
        if (count.count++ == 0) {
            count.rule = rule;
            count.example = r;
        }
    };
    std::vector<std::size_t> feasible;
    std::vector<Refusal> memory_refused;
    for (std::size_t i = 0; i < checked.size(); ++i) {
        if (checked[i].rule.empty()) {
            feasible.push_back(i);
            continue;
        }
        refuse(checked[i].rule, checked[i].refusal);
        if (checked[i].rule == "memory") memory_refused.push_back(checked[i].refusal);
    }
    result.feasible = feasible.size();
    result.seconds_checking = since(start);

    // 2. Screen every feasible candidate.
    start = std::chrono::steady_clock::now();
    const int batch = workload.training.global_batch_sequences;
    const auto screened = run::parallel_map<Screened>(
        feasible.size(), threads,
        [&](std::size_t k) {
            Screened s;
            try {
                s.seconds = screen_step_seconds(cluster, with_layout(workload, candidates[feasible[k]]), batch);
                s.ok = true;
            } catch (const workload::PlanError& e) {
                s.reason = e.what();
            } catch (const std::invalid_argument& e) {
                s.reason = e.what(); // a schedule that cannot run this layout (pipeline_schedule.hpp)
            }
            return s;
        },
        ticker("screen", feasible.size()));
    std::vector<std::pair<double, std::size_t>> order; // (screened seconds, candidate index)
    for (std::size_t k = 0; k < feasible.size(); ++k) {
        if (screened[k].ok) {
            order.emplace_back(screened[k].seconds, feasible[k]);
        } else {
            refuse("schedule", Refusal{candidates[feasible[k]], screened[k].reason, 0, 0});
        }
    }
    result.screened = order.size();
    std::sort(order.begin(), order.end(), [&candidates](const auto& a, const auto& b) {
        if (a.first != b.first) return a.first < b.first;
        return candidates[a.second] < candidates[b.second];
    });
    if (order.size() > static_cast<std::size_t>(std::max(0, options.top)))
        order.resize(static_cast<std::size_t>(std::max(0, options.top)));
    result.seconds_screening = since(start);

    // 3. Simulate the best in full (and the workload's own layout), on one shared fabric.
    start = std::chrono::steady_clock::now();
    training::StepOptions step_options;
    step_options.fabric = network::make_fabric(cluster);
    std::vector<LayoutCandidate> to_simulate;
    std::vector<double> screen_of, memory_of;
    for (const auto& [seconds, i] : order) {
        to_simulate.push_back(candidates[i]);
        screen_of.push_back(seconds);
        memory_of.push_back(checked[i].memory_bytes);
    }
    const LayoutCandidate own{workload.parallel, workload.training.recompute};
    const Checked own_check = check(cluster, workload, own);
    if (own_check.rule.empty()) {
        to_simulate.push_back(own);
        screen_of.push_back(0);
        memory_of.push_back(own_check.memory_bytes);
    } else {
        result.own_refused = own_check.refusal;
        result.own_refused->reason = own_check.rule + ": " + own_check.refusal.reason;
    }
    const double capacity = cluster.gpu.hbm_capacity.value();
    auto simulated = run::parallel_map<RankedLayout>(
        to_simulate.size(), threads,
        [&](std::size_t k) {
            RankedLayout r;
            r.layout = to_simulate[k];
            r.screen_seconds = screen_of[k];
            r.memory_bytes = memory_of[k];
            r.capacity_bytes = capacity;
            r.step = training::simulate_step(cluster, with_layout(workload, to_simulate[k]), workload.training.seq_len,
                                             batch, nullptr, step_options);
            return price(r, workload, rental);
        },
        ticker("simulate", to_simulate.size()));
    if (own_check.rule.empty()) {
        result.own = simulated.back();
        simulated.pop_back();
    }
    std::sort(simulated.begin(), simulated.end(), [](const RankedLayout& a, const RankedLayout& b) {
        if (a.step.step_seconds != b.step.step_seconds) return a.step.step_seconds < b.step.step_seconds;
        return a.layout < b.layout;
    });
    result.ranked = std::move(simulated);
    result.seconds_simulating = since(start);

    // Near misses: refused for memory, by how far over capacity, then the total order.
    std::sort(memory_refused.begin(), memory_refused.end(), [](const Refusal& a, const Refusal& b) {
        const double ra = a.memory_bytes / a.capacity_bytes, rb = b.memory_bytes / b.capacity_bytes;
        if (ra != rb) return ra < rb;
        return a.layout < b.layout;
    });
    if (memory_refused.size() > static_cast<std::size_t>(std::max(0, options.near_misses)))
        memory_refused.resize(static_cast<std::size_t>(std::max(0, options.near_misses)));
    result.near_misses = std::move(memory_refused);
    for (auto& [rule, count] : refusals) result.refusals.push_back(count);
    return result;
}

} // namespace tcsim::search
