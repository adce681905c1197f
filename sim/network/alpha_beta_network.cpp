#include "network/alpha_beta_network.hpp"

#include <algorithm>
#include <stdexcept>

namespace tcsim::network {

using collective::CollectiveKind;

AlphaBetaNetwork::AlphaBetaNetwork(engine::Simulation& sim, const topology::ClusterSpec& cluster)
    : sim_(sim), nvlink_(cluster.nvlink_per_direction.value() * cluster.efficiency.links.fraction("nvlink")),
      nic_(cluster.network_per_gpu().value() * cluster.efficiency.links.fraction("network")),
      nvlink_alpha_(cluster.nvlink_latency.count()), fabric_alpha_(cluster.fabric.latency.count()) {
    if (nvlink_ <= 0 && cluster.gpus_per_node > 1)
        throw std::invalid_argument("cluster " + cluster.name + ": no NVLink bandwidth");
    if (nic_ <= 0 && cluster.nodes > 1)
        throw std::invalid_argument("cluster " + cluster.name + ": no network bandwidth");
}

units::Seconds AlphaBetaNetwork::estimate(const collective::CommWork& w) const {
    const auto& g = w.placement;
    const double n = g.size;
    const double S = w.bytes.value();
    if (g.size <= 1 || S <= 0) return units::Seconds(0.0);
    const bool cross = g.nodes() > 1;
    const double per_node = g.ranks_per_node;
    const double ring_bw = cross ? (per_node > 1 ? std::min(nvlink_, per_node * nic_) : nic_) : nvlink_;
    const double alpha = cross ? fabric_alpha_ : nvlink_alpha_;
    double t = 0.0;
    switch (w.kind) {
    case CollectiveKind::all_reduce: t = 2 * (n - 1) / n * S / ring_bw + 2 * (n - 1) * alpha; break;
    case CollectiveKind::reduce_scatter:
    case CollectiveKind::all_gather: t = (n - 1) / n * S / ring_bw + (n - 1) * alpha; break;
    case CollectiveKind::all_to_all: {
        const double remote = S * (n - per_node) / n;
        const double local = S * (per_node - 1) / n;
        t = std::max(cross ? remote / nic_ : 0.0, local / nvlink_) + alpha;
        break;
    }
    case CollectiveKind::send_recv:
        t = S / (w.crosses_nodes ? nic_ : nvlink_) + (w.crosses_nodes ? fabric_alpha_ : nvlink_alpha_);
        break;
    case CollectiveKind::ep_dispatch:
    case CollectiveKind::ep_combine: {
        const auto& r = w.routing;
        const double nodes = g.nodes();
        const double b = r.token_bytes.value();
        // NCCL's all-to-all sends every copy, k/n of the tokens to each rank; DeepEP a token once
        // per node it needs (at most min(k, nodes, the node limit)), then to every GPU it needs.
        const bool every_copy = r.exchange == collective::ExpertExchange::every_copy;
        double m = std::min<double>(r.top_k, nodes);
        if (r.max_nodes > 0) m = std::min<double>(m, r.max_nodes);
        if (every_copy) m = r.top_k;
        const double remote = cross ? r.tokens * m * (1.0 - 1.0 / nodes) * b : 0.0;
        const double local = every_copy ? r.tokens * r.top_k * (per_node - 1) / n * b
                                        : r.tokens * r.top_k * (1.0 - 1.0 / per_node) * b;
        t = std::max(cross ? remote / nic_ : 0.0, per_node > 1 ? local / nvlink_ : 0.0) + alpha;
        break;
    }
    }
    return units::Seconds(t);
}

void AlphaBetaNetwork::transfer(const collective::CommWork& work, std::function<void()> done) {
    sim_.schedule_after(engine::to_duration(estimate(work), engine::Rounding::up), std::move(done));
}

} // namespace tcsim::network
