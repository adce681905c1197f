#include "network/collective_benchmark.hpp"

#include "engine/simulation.hpp"
#include "network/flow_network.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>
#include <string>
#include <utility>

namespace tcsim::network {

using collective::CollectiveKind;

namespace {

constexpr std::array<std::pair<BenchmarkOp, std::string_view>, 6> kOpNames{{
    {BenchmarkOp::all_reduce, "all_reduce"},
    {BenchmarkOp::all_gather, "all_gather"},
    {BenchmarkOp::reduce_scatter, "reduce_scatter"},
    {BenchmarkOp::all_to_all, "all_to_all"},
    {BenchmarkOp::ep_dispatch, "ep_dispatch"},
    {BenchmarkOp::ep_combine, "ep_combine"},
}};

CollectiveKind kind_of(BenchmarkOp op) {
    switch (op) {
    case BenchmarkOp::all_reduce: return CollectiveKind::all_reduce;
    case BenchmarkOp::all_gather: return CollectiveKind::all_gather;
    case BenchmarkOp::reduce_scatter: return CollectiveKind::reduce_scatter;
    case BenchmarkOp::all_to_all: return CollectiveKind::all_to_all;
    case BenchmarkOp::ep_dispatch: return CollectiveKind::ep_dispatch;
    case BenchmarkOp::ep_combine: return CollectiveKind::ep_combine;
    }
    return CollectiveKind::all_reduce;
}

} // namespace

std::string_view to_string(BenchmarkOp op) {
    for (const auto& [k, name] : kOpNames)
        if (k == op) return name;
    return "?";
}

std::optional<BenchmarkOp> benchmark_op_from_string(std::string_view text) {
    for (const auto& [k, name] : kOpNames)
        if (name == text) return k;
    return std::nullopt;
}

std::vector<units::Bytes> doubling_sizes(units::Bytes from, units::Bytes to) {
    if (!(from.value() > 0) || to < from) throw std::invalid_argument("sizes: need 0 < from <= to");
    std::vector<units::Bytes> out;
    for (double s = from.value(); s <= to.value() * (1 + 1e-12); s *= 2) out.emplace_back(s);
    return out;
}

std::vector<CollectiveBenchmarkRow> run_collective_benchmark(const topology::ClusterSpec& cluster,
                                                             const CollectiveBenchmarkSpec& spec) {
    const int n = spec.gpus;
    const int g = cluster.gpus_per_node;
    if (n < 2) throw std::invalid_argument("collective: " + std::to_string(n) + " GPUs; a collective needs at least 2");
    if (n > cluster.gpus() || (n > g && n % g != 0))
        throw std::invalid_argument("collective: " + std::to_string(n) + " GPUs on cluster " + cluster.name + " (" +
                                    std::to_string(cluster.nodes) + " x " + std::to_string(g) +
                                    " GPUs; more than one node needs whole nodes)");
    if (spec.sizes.empty()) throw std::invalid_argument("collective: no message sizes");
    const bool expert = spec.op == BenchmarkOp::ep_dispatch || spec.op == BenchmarkOp::ep_combine;
    if (expert && !(spec.token_bytes.value() > 0))
        throw std::invalid_argument("collective: token size must be positive");
    if (expert && (spec.top_k < 1 || spec.top_k > n))
        throw std::invalid_argument("collective: top-k " + std::to_string(spec.top_k) +
                                    " experts per token; expected 1 to the " + std::to_string(n) + " GPUs taking part");
    if (expert && spec.max_nodes < 0)
        throw std::invalid_argument("collective: max nodes " + std::to_string(spec.max_nodes) +
                                    "; expected 0 (unlimited) or more");

    // One group: GPUs 0 .. n-1, as nccl-tests runs on the first n GPUs.
    collective::GroupTable groups;
    collective::Group all(static_cast<std::size_t>(n));
    for (int r = 0; r < n; ++r) all[static_cast<std::size_t>(r)] = r;
    engine::Simulation sim;
    FlowNetworkOptions options;
    options.ecmp = spec.ecmp;
    options.algorithms[kind_of(spec.op)] = spec.algorithm;
    FlowNetwork network(sim, cluster, groups, options);

    collective::CommWork work;
    work.kind = kind_of(spec.op);
    work.groups = groups.add({all});
    work.placement = collective::GroupPlacement{n, std::min(n, g)};
    work.routing.top_k = spec.top_k;
    work.routing.max_nodes = spec.max_nodes;
    work.routing.token_bytes = spec.token_bytes;
    // Forced onto the pairwise exchange, an expert op is NCCL's all-to-all of every token copy.
    if (expert && spec.algorithm == Algorithm::pairwise) work.routing.exchange = collective::ExpertExchange::every_copy;

    const int nodes = (n + g - 1) / g;
    const int per_node = std::min(n, g);
    const int allowed = spec.max_nodes > 0 ? std::min(spec.max_nodes, nodes) : nodes;
    std::vector<CollectiveBenchmarkRow> rows;
    for (const units::Bytes size : spec.sizes) {
        work.bytes = size;
        const double tokens = size.value() / spec.token_bytes.value();
        work.routing.tokens = expert ? tokens : 0.0;
        CollectiveBenchmarkRow row;
        row.size = size;
        row.algorithm = network.algorithm_for(work);
        const double start = engine::to_seconds(sim.now().time_since_epoch());
        double end = start;
        network.transfer(work, [&] { end = engine::to_seconds(sim.now().time_since_epoch()); });
        sim.run();
        row.time = units::Seconds(end - start);
        const double t = row.time.count();
        row.algbw = units::Bandwidth(size.value() / t);
        const double ratio = static_cast<double>(n - 1) / n;
        switch (spec.op) {
        case BenchmarkOp::all_reduce: row.busbw = row.algbw * (2 * ratio); break;
        case BenchmarkOp::all_gather:
        case BenchmarkOp::reduce_scatter:
        case BenchmarkOp::all_to_all: row.busbw = row.algbw * ratio; break;
        case BenchmarkOp::ep_dispatch:
        case BenchmarkOp::ep_combine: {
            double copies = 0;
            if (row.algorithm == Algorithm::pairwise)
                copies = spec.top_k * ratio; // nccl-tests' all-to-all busbw of the copies sent
            else if (row.algorithm == Algorithm::deepep_low_latency)
                copies = spec.top_k;
            else if (nodes > 1)
                copies = expected_nodes_per_token(allowed, spec.top_k);
            else
                copies = expected_gpus_per_token(per_node, spec.top_k);
            row.busbw = units::Bandwidth(tokens * copies * spec.token_bytes.value() / t);
            break;
        }
        }
        rows.push_back(row);
        if (spec.progress) spec.progress(rows.size(), spec.sizes.size());
    }
    return rows;
}

} // namespace tcsim::network
