#include "search/search_space.hpp"

#include "run/run_result.hpp"

#include <algorithm>

namespace tcsim::search {
namespace {

using workload::PipelineSchedule;
using workload::Recompute;

std::vector<int> divisors(long long n) {
    std::vector<int> out;
    for (long long d = 1; d <= n; ++d)
        if (n % d == 0) out.push_back(static_cast<int>(d));
    return out;
}

template <class T>
std::vector<T> or_default(const std::vector<T>& given, std::vector<T> fallback) {
    return given.empty() ? fallback : given;
}

bool allowed(const std::vector<int>& bound, int value) {
    return bound.empty() || std::find(bound.begin(), bound.end(), value) != bound.end();
}

std::string to_string(Recompute r) {
    switch (r) {
    case Recompute::none: return "none";
    case Recompute::selective: return "selective";
    case Recompute::full: return "full";
    }
    return "?";
}

} // namespace

std::string describe(const LayoutCandidate& c) {
    return run::layout_text(c.parallel) + ", mbs " + std::to_string(c.parallel.micro_batch_sequences) + ", ZeRO-" +
           std::to_string(c.parallel.zero_stage) + ", recompute " + to_string(c.recompute);
}

workload::Workload with_layout(const workload::Workload& workload, const LayoutCandidate& candidate) {
    workload::Workload w = workload;
    w.parallel = candidate.parallel;
    w.training.recompute = candidate.recompute;
    w.training.extension.clear();
    return w;
}

std::vector<LayoutCandidate> enumerate_layouts(const topology::ClusterSpec& cluster, const workload::Workload& workload,
                                               const SearchBounds& b) {
    const long long gpus = static_cast<long long>(cluster.nodes) * cluster.gpus_per_node;
    const bool moe = workload.model.ffn.is_moe();
    const std::vector<int> tps = or_default(b.tp, divisors(cluster.gpus_per_node));
    const std::vector<int> pps = or_default(b.pp, divisors(gpus));
    const std::vector<int> cps = or_default(b.cp, {1, 2, 4, 8});
    const std::vector<int> eps =
        or_default(b.ep, moe ? divisors(workload.model.ffn.routed_experts) : std::vector<int>{1});
    const std::vector<int> etps = or_default(b.etp, moe ? divisors(cluster.gpus_per_node) : std::vector<int>{1});
    const std::vector<int> mbss = or_default(b.mbs, {1, 2, 4, 8});
    const std::vector<int> zeros = or_default(b.zero, {0, 1, 2, 3});
    const std::vector<int> vpps = or_default(b.vpp, {2, 3, 4, 6, 8});
    const std::vector<Recompute> recomputes =
        or_default(b.recompute, {Recompute::none, Recompute::selective, Recompute::full});
    const std::vector<PipelineSchedule> schedules =
        or_default(b.schedule, {PipelineSchedule::one_f_one_b, PipelineSchedule::interleaved_1f1b,
                                PipelineSchedule::zero_bubble, PipelineSchedule::dualpipe, PipelineSchedule::gpipe});

    std::vector<LayoutCandidate> out;
    for (const int tp : tps)
        for (const int cp : cps)
            for (const int pp : pps) {
                const long long model_parallel = static_cast<long long>(tp) * pp * cp;
                if (gpus % model_parallel != 0) continue;
                const int dp = static_cast<int>(gpus / model_parallel);
                if (!allowed(b.dp, dp)) continue;
                // (schedule, virtual stages) pairs: one stage runs plain 1F1B.
                std::vector<std::pair<PipelineSchedule, int>> pipelines;
                if (pp == 1) {
                    pipelines.emplace_back(PipelineSchedule::one_f_one_b, 1);
                } else {
                    for (const PipelineSchedule s : schedules) {
                        if (s != PipelineSchedule::interleaved_1f1b) {
                            pipelines.emplace_back(s, 1);
                            continue;
                        }
                        for (const int v : vpps)
                            if (v >= 2) pipelines.emplace_back(s, v);
                    }
                }
                for (const int ep : eps)
                    for (const int etp : etps)
                        for (const int mbs : mbss)
                            for (const int zero : zeros) {
                                // With one replica of every weight (DP x CP = 1 and one expert
                                // replica) there is nothing to shard: every ZeRO stage is the
                                // same layout, kept once as the first stage allowed.
                                const long long expert_dp =
                                    static_cast<long long>(tp) * cp * dp / (static_cast<long long>(ep) * etp);
                                if (dp * cp == 1 && (!moe || expert_dp <= 1) && zero != zeros.front()) continue;
                                for (const Recompute r : recomputes)
                                    for (const auto& [schedule, v] : pipelines) {
                                        LayoutCandidate c;
                                        c.parallel = workload.parallel;
                                        c.parallel.tp = tp;
                                        c.parallel.pp = pp;
                                        c.parallel.cp = cp;
                                        c.parallel.dp = dp;
                                        c.parallel.ep = ep;
                                        c.parallel.etp = etp;
                                        c.parallel.micro_batch_sequences = mbs;
                                        c.parallel.zero_stage = zero;
                                        c.parallel.schedule = schedule;
                                        c.parallel.virtual_stages = v;
                                        c.parallel.overlap_param_gather =
                                            workload.parallel.overlap_param_gather && (zero == 1 || zero == 2);
                                        // A custom pipeline layout names its chunks: kept where the
                                        // candidate has the workload's chunks, else the split rule.
                                        if (pp != workload.parallel.pp || schedule != workload.parallel.schedule ||
                                            v != workload.parallel.virtual_stages)
                                            c.parallel.pipeline_layout.clear();
                                        c.recompute = r;
                                        out.push_back(c);
                                    }
                            }
            }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

} // namespace tcsim::search
