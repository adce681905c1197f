#include "network/algorithm_choice.hpp"

#include <algorithm>
#include <limits>
#include <span>
#include <vector>

namespace tcsim::network {

using collective::CollectiveKind;
using collective::CommWork;

double payload_of(const CommWork& w) {
    if (w.kind == CollectiveKind::ep_dispatch || w.kind == CollectiveKind::ep_combine) {
        if (w.routing.tokens > 0) return w.routing.tokens * w.routing.token_bytes.value();
        return w.bytes.value() / std::max(1, w.routing.top_k);
    }
    return w.bytes.value();
}

AlgorithmChoice::AlgorithmChoice(CollectiveTemplates& templates, LinkSharing& sharing,
                                 std::map<CollectiveKind, Algorithm> forced)
    : templates_(templates), sharing_(sharing), forced_(std::move(forced)) {}

double AlgorithmChoice::idle_seconds(std::uint32_t collective, double payload) {
    constexpr double kInfinity = std::numeric_limits<double>::infinity();
    const RoutedCollective& rc = templates_.collective(collective);
    std::vector<std::pair<std::uint32_t, double>> left; // class, bytes per flow
    for (std::uint32_t c : rc.classes) {
        const double bytes = templates_.cls(c).bytes_per_payload * payload;
        if (bytes > 0) left.emplace_back(c, bytes);
    }
    double t = 0;
    while (!left.empty()) {
        std::sort(left.begin(), left.end());
        std::vector<std::uint32_t> ids;
        for (const auto& [c, b] : left) ids.push_back(c);
        const std::span<const double> rates = sharing_.rates(ids);
        double step = kInfinity;
        for (std::size_t k = 0; k < left.size(); ++k) step = std::min(step, left[k].second / rates[k]);
        std::vector<std::pair<std::uint32_t, double>> next;
        for (std::size_t k = 0; k < left.size(); ++k) {
            const double b = left[k].second - rates[k] * step;
            if (b > 1e-9 * left[k].second && left[k].second / rates[k] > step) next.emplace_back(left[k].first, b);
        }
        t += step;
        left = std::move(next);
    }
    return t + rc.latency;
}

Algorithm AlgorithmChoice::choose(const CommWork& w) {
    const auto forced = forced_.find(w.kind);
    if (forced != forced_.end() && forced->second != Algorithm::automatic) return forced->second;
    // Scale-up domains that are not a switch: the vendor library's own algorithm where the
    // group fits it (XLA's rings per torus dimension, RCCL/HCCL's direct mesh exchange).
    const topology::ScaleUpKind wiring = templates_.planner().graph().scale_up().kind;
    const bool dense = w.kind == CollectiveKind::all_reduce || w.kind == CollectiveKind::all_gather ||
                       w.kind == CollectiveKind::reduce_scatter;
    if (dense && wiring != topology::ScaleUpKind::switched) {
        const Key key{signature_of(w), -1.0};
        const auto memo = memo_.find(key);
        if (memo != memo_.end() && memo->second != Algorithm::automatic) return memo->second;
        if (memo == memo_.end()) {
            const Algorithm native =
                wiring == topology::ScaleUpKind::torus ? Algorithm::torus_ring : Algorithm::mesh_direct;
            const bool fits = templates_.planner().applicable(w.kind, native, templates_.groups_of(w));
            memo_.emplace(key, fits ? native : Algorithm::automatic);
            if (fits) return native;
        }
    }
    switch (w.kind) {
    case CollectiveKind::all_gather:
    case CollectiveKind::reduce_scatter: return Algorithm::ring;
    case CollectiveKind::all_to_all: return Algorithm::pairwise;
    case CollectiveKind::send_recv: return Algorithm::direct;
    case CollectiveKind::ep_dispatch:
    case CollectiveKind::ep_combine:
    case CollectiveKind::all_reduce: break;
    }
    // Choices below depend on the group's placement and, for all-reduce, the size: memoised.
    const bool expert = w.kind != CollectiveKind::all_reduce;
    const double payload = expert ? 0.0 : payload_of(w);
    const Key key{signature_of(w), payload};
    const auto memo = memo_.find(key);
    if (memo != memo_.end()) return memo->second;
    const auto& groups = templates_.groups_of(w);
    const CollectivePlanner& planner = templates_.planner();
    Algorithm choice = Algorithm::ring;
    if (expert && w.routing.exchange == collective::ExpertExchange::every_copy) {
        choice = Algorithm::pairwise; // NCCL's all-to-all of every token copy
    } else if (expert) {
        // Groups straddling nodes unevenly have no same-rail partner on every node.
        choice = planner.applicable(w.kind, Algorithm::deepep_normal, groups) ? Algorithm::deepep_normal
                                                                              : Algorithm::deepep_low_latency;
    } else if (planner.applicable(w.kind, Algorithm::nvls, groups)) {
        const std::uint32_t ring = templates_.get(w, Algorithm::ring);
        const std::uint32_t nvls = templates_.get(w, Algorithm::nvls);
        if (idle_seconds(nvls, payload) < idle_seconds(ring, payload)) choice = Algorithm::nvls;
    } else if (planner.applicable(w.kind, Algorithm::tree, groups)) {
        const std::uint32_t ring = templates_.get(w, Algorithm::ring);
        const double latency = templates_.collective(ring).latency;
        if (latency > idle_seconds(ring, payload) - latency) choice = Algorithm::tree;
    }
    memo_.emplace(key, choice);
    return choice;
}

} // namespace tcsim::network
