// The flow network against closed forms on an idle network, and its sharing under contention.
#include "network/flow_network.hpp"
#include "network/alpha_beta_network.hpp"

#include "layout/rank_grid.hpp"
#include "workload/parallel_spec.hpp"

#include "engine/simulation.hpp"
#include "test_clusters.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <map>
#include <stdexcept>
#include <vector>

using namespace tcsim;
using collective::CollectiveKind;
using layout::Dim;
using network::Algorithm;
using network::FlowNetwork;
using network::FlowNetworkOptions;

namespace {

double now_s(const engine::Simulation& sim) { return engine::to_seconds(sim.now().time_since_epoch()); }

enum class Mode { symmetric, full };

/// A collective as a layout names it: the dimension, the group's size and the representative
/// (symmetric: the pipeline stage, whose every copy runs at once; full: the calling GPU). The
/// test network below turns it into the group set the flow network runs, through the RankGrid.
struct Call {
    CollectiveKind kind = CollectiveKind::all_reduce;
    Dim dim = Dim::dp;
    collective::GroupPlacement group;
    units::Bytes bytes;
    collective::ExpertRouting routing;
    bool crosses_nodes = false;
    int rank = 0;
    int peer_rank = -1; ///< send_recv: the receiving stage or GPU; -1: a ring shift in `dim`
};

Call call(CollectiveKind kind, Dim dim, int size, int per_node, double bytes, int rank = 0) {
    Call w;
    w.kind = kind;
    w.dim = dim;
    w.group = collective::GroupPlacement{size, per_node};
    w.bytes = units::Bytes(bytes);
    w.rank = rank;
    return w;
}

/// An expert dispatch over EP groups of `size` (`per_node` per node): `tokens` per rank, each to
/// `top_k` experts, `token_bytes` per copy.
Call dispatch(int size, int per_node, double tokens, int top_k, double token_bytes) {
    Call w = call(CollectiveKind::ep_dispatch, Dim::ep, size, per_node, 0);
    w.routing.tokens = tokens;
    w.routing.top_k = top_k;
    w.routing.token_bytes = units::Bytes(token_bytes);
    return w;
}

/// A FlowNetwork on the groups of `parallel`'s rank grid, called as a layout names collectives.
class Net {
public:
    Net(engine::Simulation& sim, const topology::ClusterSpec& cluster, const workload::ParallelSpec& parallel,
        FlowNetworkOptions options = {}, Mode mode = Mode::symmetric)
        : grid_(
              layout::GridSpec{parallel.tp, parallel.cp, parallel.dp, parallel.pp, parallel.ep, cluster.gpus_per_node}),
          mode_(mode), net_(sim, cluster, table_, std::move(options)) {}

    collective::CommWork work(const Call& c) {
        collective::CommWork w;
        w.kind = c.kind;
        w.placement = c.group;
        w.bytes = c.bytes;
        w.routing = c.routing;
        w.crosses_nodes = c.crosses_nodes;
        const bool full = mode_ == Mode::full;
        w.member = full ? c.rank : -1;
        if (c.kind == CollectiveKind::send_recv && c.peer_rank >= 0) {
            w.groups = set({0, c.rank, c.peer_rank}, [&] {
                return full ? std::vector<collective::Group>{{c.rank, c.peer_rank}}
                            : grid_.stage_pairs(c.rank, c.peer_rank);
            });
        } else if (c.kind == CollectiveKind::send_recv) {
            w.groups = set({1, static_cast<int>(c.dim), c.rank}, [&] {
                return full ? grid_.ring_pair(c.dim, c.rank) : grid_.stage_ring_pairs(c.dim, c.rank);
            });
        } else {
            // The data-parallel group of DP x CP ranks that hold the same dense weights.
            const Dim dim = c.dim == Dim::dp && c.group.size == grid_.group_size(Dim::dp_cp) && grid_.spec().cp > 1
                                ? Dim::dp_cp
                                : c.dim;
            REQUIRE(c.group.size == grid_.group_size(dim));
            const int anchor = full ? grid_.group_of(dim, c.rank).front() : c.rank;
            w.groups = set({2, static_cast<int>(dim), anchor}, [&] {
                return full ? std::vector<collective::Group>{grid_.group_of(dim, c.rank)}
                            : grid_.stage_groups(dim, c.rank);
            });
        }
        return w;
    }
    void transfer(const Call& c, std::function<void()> done) { net_.transfer(work(c), std::move(done)); }
    Algorithm algorithm_for(const Call& c) { return net_.algorithm_for(work(c)); }
    units::Seconds estimate(const Call& c) { return net_.estimate(work(c)); }
    [[nodiscard]] std::size_t classes_in_flight() const { return net_.classes_in_flight(); }
    [[nodiscard]] const network::FlowNetworkStats& stats() const { return net_.stats(); }

private:
    template <class Make>
    collective::GroupSetId set(std::array<int, 3> key, Make make) {
        const auto it = sets_.find(key);
        if (it != sets_.end()) return it->second;
        return sets_.emplace(key, table_.add(make())).first->second;
    }
    layout::RankGrid grid_;
    Mode mode_;
    collective::GroupTable table_; // before net_, which refers to it
    FlowNetwork net_;
    std::map<std::array<int, 3>, collective::GroupSetId> sets_;
};

/// Runs `w` alone on a fresh network; returns its time.
double time_alone(const topology::ClusterSpec& cluster, const workload::ParallelSpec& parallel, const Call& w,
                  FlowNetworkOptions options = {}, Mode mode = Mode::symmetric) {
    engine::Simulation sim;
    Net net(sim, cluster, parallel, std::move(options), mode);
    double end = -1;
    net.transfer(w, [&] { end = now_s(sim); });
    sim.run();
    return end;
}

workload::ParallelSpec parallel_layout(int tp, int dp, int pp = 1) {
    workload::ParallelSpec p;
    p.tp = tp;
    p.dp = dp;
    p.pp = pp;
    p.ep = 1;
    return p;
}

FlowNetworkOptions force(Algorithm a) {
    FlowNetworkOptions o;
    for (auto k : {CollectiveKind::all_reduce, CollectiveKind::all_gather, CollectiveKind::reduce_scatter})
        o.algorithms[k] = a;
    return o;
}

struct ClosedForm {
    double bandwidth; ///< B: bytes/s per rank at the ring's bottleneck
    double alpha;     ///< seconds per ring step
    double all_reduce(int n, double s) const { return 2.0 * (n - 1) / n * s / bandwidth + 2.0 * (n - 1) * alpha; }
    double one_way(int n, double s) const { return 1.0 * (n - 1) / n * s / bandwidth + 1.0 * (n - 1) * alpha; }
};

} // namespace

// The oracle (DESIGN.md "Network"; issue 3): on an idle network
//     ring all-reduce             T = 2(n-1)/n * S/B + 2(n-1) * alpha
//     ring reduce-scatter/gather  T =  (n-1)/n * S/B +  (n-1) * alpha
// with B the per-rank bandwidth at the ring's bottleneck and alpha the latency of one step.

TEST_CASE("ring collectives inside one NVLink domain match the alpha-beta closed forms (2-8 GPUs)") {
    // B = NVLink per direction x efficiency = 450 GB/s x 0.82; alpha = GPU -> switch -> GPU.
    const auto cluster = test::make_cluster({});
    const ClosedForm f{450e9 * 0.82, 3.33e-6};
    for (int n = 2; n <= 8; ++n) {
        for (double s : {1048576.0, 1073741824.0}) {
            CAPTURE(n);
            CAPTURE(s);
            for (auto kind : {CollectiveKind::all_reduce, CollectiveKind::reduce_scatter, CollectiveKind::all_gather}) {
                const double t =
                    time_alone(cluster, parallel_layout(n, 1), call(kind, Dim::tp, n, n, s), force(Algorithm::ring));
                const double expected = kind == CollectiveKind::all_reduce ? f.all_reduce(n, s) : f.one_way(n, s);
                CHECK(t == doctest::Approx(expected).epsilon(0.01));
            }
        }
    }
}

TEST_CASE("ring collectives of one GPU per node match the closed forms from 2 to 1,024 GPUs") {
    // 1,024 single-GPU nodes on one switch: B = one 400 Gb/s NIC x 0.94, alpha = the fabric's
    // end-to-end latency (3.7 us).
    test::ClusterShape shape;
    shape.nodes = 1024;
    shape.gpus_per_node = 1;
    shape.nics_per_node = 1;
    shape.fabric = topology::FabricKind::fat_tree;
    shape.tiers = 1;
    shape.radix = 1024;
    const auto cluster = test::make_cluster(shape);
    for (int n : {2, 3, 4, 16, 128, 1024}) {
        for (double s : {1048576.0, 1073741824.0}) {
            CAPTURE(n);
            CAPTURE(s);
            const ClosedForm f{50e9 * 0.94, 3.7e-6};
            const auto lay = parallel_layout(1, n);
            for (auto kind : {CollectiveKind::all_reduce, CollectiveKind::reduce_scatter, CollectiveKind::all_gather}) {
                const double t = time_alone(cluster, lay, call(kind, Dim::dp, n, 1, s), force(Algorithm::ring));
                const double expected = kind == CollectiveKind::all_reduce ? f.all_reduce(n, s) : f.one_way(n, s);
                CHECK(t == doctest::Approx(expected).epsilon(0.01));
            }
        }
    }
}

TEST_CASE("ring collectives over whole 8-GPU nodes match the closed forms from 16 to 1,024 GPUs") {
    // NCCL runs 8 rings, one per NIC; each GPU sends 1/8 of the ring traffic through its NIC
    // and 7/8 over NVLink, so B = min(8 x NIC, 8/7 x NVLink) = min(8 x 47, 8/7 x 369) GB/s =
    // 376 GB/s (NIC-bound) and alpha = the slowest step, across the fabric (3.7 us).
    test::ClusterShape shape;
    shape.nodes = 128;
    shape.fabric = topology::FabricKind::fat_tree;
    shape.tiers = 1;
    shape.radix = 1024;
    const auto cluster = test::make_cluster(shape);
    const ClosedForm f{8 * 50e9 * 0.94, 3.7e-6};
    for (int n : {16, 64, 256, 1024}) {
        for (double s : {1048576.0, 1073741824.0}) {
            CAPTURE(n);
            CAPTURE(s);
            const auto lay = parallel_layout(1, n);
            for (auto kind : {CollectiveKind::all_reduce, CollectiveKind::reduce_scatter, CollectiveKind::all_gather}) {
                const double t = time_alone(cluster, lay, call(kind, Dim::dp, n, 8, s), force(Algorithm::ring));
                const double expected = kind == CollectiveKind::all_reduce ? f.all_reduce(n, s) : f.one_way(n, s);
                CHECK(t == doctest::Approx(expected).epsilon(0.01));
            }
        }
    }
}

TEST_CASE("estimate() equals the time of a transfer alone") {
    const auto cluster = test::make_cluster({.nodes = 4});
    engine::Simulation sim;
    Net net(sim, cluster, parallel_layout(1, 32));
    const auto w = call(CollectiveKind::all_gather, Dim::dp, 32, 8, 3e8);
    const double estimate = net.estimate(w).count();
    double end = -1;
    net.transfer(w, [&] { end = now_s(sim); });
    sim.run();
    CHECK(end == doctest::Approx(estimate).epsilon(1e-9));
}

TEST_CASE("pipeline send: every GPU of the stage sends to the same position of the next stage") {
    // Two nodes, one stage each (tp = 8): 8 flows, GPU i -> GPU 8 + i over rail i's leaf.
    // T = S / (NIC x efficiency) + latency through one leaf (2.8 us).
    const auto cluster = test::make_cluster({.nodes = 2});
    Call w;
    w.kind = CollectiveKind::send_recv;
    w.dim = Dim::pp;
    w.group = {2, 1};
    w.crosses_nodes = true;
    w.bytes = units::Bytes(1e8);
    w.rank = 0;
    w.peer_rank = 1;
    CHECK(time_alone(cluster, parallel_layout(8, 1, 2), w) == doctest::Approx(1e8 / 47e9 + 2.8e-6).epsilon(1e-6));
}

TEST_CASE("contention: a 2:1 oversubscribed spine roughly halves a fabric-crossing all-to-all") {
    // 16 nodes x 8 GPUs on a 2-tier fat tree of radix 32: two nodes (16 NICs) per leaf, 8 leaves.
    // An all-to-all over all 128 GPUs sends S/128 from each GPU to each other: 120 of its 127
    // flows leave the node through its NIC, 112 of them also climb to the spine. Per flow rate:
    //     NIC:    47 GB/s / 120
    //     spine:  16 x 47 GB/s / o / (16 x 112)       per leaf, o = oversubscription
    // 1:1 is NIC-bound; 2:1 is spine-bound, and bandwidth falls to (47/2/112) / (47/120) =
    // 120/224 = 0.536 of the non-blocking figure: "half", slightly more because 8 of the 120
    // remote flows stay under their leaf. (ECMP spread over the spines, so no hash collisions.)
    test::ClusterShape shape;
    shape.nodes = 16;
    shape.fabric = topology::FabricKind::fat_tree;
    shape.radix = 32;
    FlowNetworkOptions options;
    options.ecmp = topology::Ecmp::spread;
    const auto w = call(CollectiveKind::all_to_all, Dim::dp, 128, 8, 4.0 * 1073741824.0);
    shape.oversubscription = 1.0;
    const double full = time_alone(test::make_cluster(shape), parallel_layout(1, 128), w, options);
    shape.oversubscription = 2.0;
    const double half = time_alone(test::make_cluster(shape), parallel_layout(1, 128), w, options);
    CHECK(full / half == doctest::Approx(120.0 / 224.0).epsilon(0.01));
    // With hashed ECMP, collisions on the spine make 1:1 slower than NIC-bound, but the
    // oversubscribed fabric is still about twice as slow.
    options.ecmp = topology::Ecmp::hashed;
    shape.oversubscription = 1.0;
    const double full_hashed = time_alone(test::make_cluster(shape), parallel_layout(1, 128), w, options);
    shape.oversubscription = 2.0;
    const double half_hashed = time_alone(test::make_cluster(shape), parallel_layout(1, 128), w, options);
    CHECK(full_hashed >= full * (1 - 1e-9));
    CHECK(full_hashed / half_hashed == doctest::Approx(0.5).epsilon(0.15));
}

TEST_CASE("contention: collectives on disjoint links do not slow each other") {
    // Two stages, one node each: each stage's tensor-parallel all-reduce stays on its own NVLink.
    const auto cluster = test::make_cluster({.nodes = 2});
    const auto lay = parallel_layout(8, 1, 2);
    const auto a = call(CollectiveKind::all_reduce, Dim::tp, 8, 8, 5e8, 0);
    const auto b = call(CollectiveKind::all_reduce, Dim::tp, 8, 8, 5e8, 1);
    const double alone = time_alone(cluster, lay, a);
    engine::Simulation sim;
    Net net(sim, cluster, lay);
    double end_a = -1, end_b = -1;
    net.transfer(a, [&] { end_a = now_s(sim); });
    net.transfer(b, [&] { end_b = now_s(sim); });
    sim.run();
    CHECK(end_a == doctest::Approx(alone).epsilon(1e-9));
    CHECK(end_b == doctest::Approx(alone).epsilon(1e-9));
}

TEST_CASE("contention: two collectives on one link share it fairly") {
    // Two single-GPU nodes; two data-parallel all-reduces of the same pair at once. A 2-rank
    // ring sends S each way, so alone T = S/B + 2 alpha; together each gets B/2 while both run.
    // With sizes S and 2S: the first finishes at 2S/B (+ 2 alpha), the second has S left and
    // runs alone: 3S/B (+ 2 alpha).
    test::ClusterShape shape;
    shape.nodes = 2;
    shape.gpus_per_node = 1;
    shape.nics_per_node = 1;
    shape.fabric = topology::FabricKind::fat_tree;
    const auto cluster = test::make_cluster(shape);
    const double B = 47e9;
    const double alpha = 2.8e-6;
    const double S = 1e9;
    engine::Simulation sim;
    Net net(sim, cluster, parallel_layout(1, 2), force(Algorithm::ring));
    double end_small = -1, end_large = -1;
    net.transfer(call(CollectiveKind::all_reduce, Dim::dp, 2, 1, S), [&] { end_small = now_s(sim); });
    net.transfer(call(CollectiveKind::all_reduce, Dim::dp, 2, 1, 2 * S), [&] { end_large = now_s(sim); });
    // The network keeps exactly one pending event: the next completion.
    CHECK(sim.pending() == 1);
    CHECK(net.classes_in_flight() == 2);
    sim.run();
    CHECK(end_small == doctest::Approx(2 * S / B + 2 * alpha).epsilon(1e-6));
    CHECK(end_large == doctest::Approx(3 * S / B + 2 * alpha).epsilon(1e-6));
}

TEST_CASE("symmetric copies contend where they share links: data-parallel rings under top-of-rack leaves") {
    // tp = 8, dp = 4 on 4 nodes: 8 copies of the DP ring, one per local index. On a rail-optimized
    // fabric each copy has its own rail; under ToR leaves of radix 4 (2 NICs each) with 4:1
    // oversubscription they share the leaf uplinks, so the copies slow each other down.
    test::ClusterShape shape;
    shape.nodes = 4;
    const auto w = call(CollectiveKind::all_reduce, Dim::dp, 4, 1, 1e9);
    const double rail = time_alone(test::make_cluster(shape), parallel_layout(8, 4), w, force(Algorithm::ring));
    const double alone = 2.0 * 3 / 4 * 1e9 / 47e9 + 2.0 * 3 * 2.8e-6;
    CHECK(rail == doctest::Approx(alone).epsilon(1e-6));
    shape.fabric = topology::FabricKind::fat_tree;
    shape.radix = 32;
    shape.oversubscription = 4.0;
    const double shared = time_alone(test::make_cluster(shape), parallel_layout(8, 4), w, force(Algorithm::ring));
    CHECK(shared > 1.5 * rail);
}

TEST_CASE("full mode and symmetric mode agree on a small cluster") {
    // 4 nodes x 8 GPUs, tp 4 x dp 4 x pp 2. Stage s holds GPUs 16s .. 16s+15 (nodes 2s, 2s+1).
    // Both stages run a TP all-reduce and a DP reduce-scatter at once, and stage 0 sends to
    // stage 1. Symmetric mode: one call per stage and collective. Full mode: one call per GPU.
    const auto cluster = test::make_cluster({.nodes = 4});
    const auto lay = parallel_layout(4, 4, 2);
    auto tp_ar = [](int rank) { return call(CollectiveKind::all_reduce, Dim::tp, 4, 4, 2e8, rank); };
    auto dp_rs = [](int rank) { return call(CollectiveKind::reduce_scatter, Dim::dp, 4, 2, 6e8, rank); };
    auto send = [](int from, int to) {
        Call w;
        w.kind = CollectiveKind::send_recv;
        w.dim = Dim::pp;
        w.group = {2, 1};
        w.bytes = units::Bytes(3e8);
        w.rank = from;
        w.peer_rank = to;
        return w;
    };
    std::vector<double> symmetric(5, -1);
    {
        engine::Simulation sim;
        Net net(sim, cluster, lay);
        for (int s = 0; s < 2; ++s) {
            net.transfer(tp_ar(s), [&, s] { symmetric[static_cast<std::size_t>(s)] = now_s(sim); });
            net.transfer(dp_rs(s), [&, s] { symmetric[static_cast<std::size_t>(2 + s)] = now_s(sim); });
        }
        net.transfer(send(0, 1), [&] { symmetric[4] = now_s(sim); });
        sim.run();
    }
    std::vector<std::vector<double>> full(5);
    {
        engine::Simulation sim;
        Net net(sim, cluster, lay, {}, Mode::full);
        for (int g = 0; g < 32; ++g) {
            const int s = g / 16;
            net.transfer(tp_ar(g), [&, s] { full[static_cast<std::size_t>(s)].push_back(now_s(sim)); });
            net.transfer(dp_rs(g), [&, s] { full[static_cast<std::size_t>(2 + s)].push_back(now_s(sim)); });
        }
        for (int g = 0; g < 16; ++g) net.transfer(send(g, g + 16), [&] { full[4].push_back(now_s(sim)); });
        sim.run();
    }
    CHECK(full[0].size() == 16);
    CHECK(full[2].size() == 16);
    CHECK(full[4].size() == 16);
    for (std::size_t k = 0; k < 5; ++k) {
        CAPTURE(k);
        REQUIRE(symmetric[k] > 0);
        for (double t : full[k]) CHECK(t == doctest::Approx(symmetric[k]).epsilon(0.01));
    }
}

TEST_CASE("full mode waits for every member before a collective starts") {
    const auto cluster = test::make_cluster({.nodes = 1});
    engine::Simulation sim;
    Net net(sim, cluster, parallel_layout(8, 1), {}, Mode::full);
    int done = 0;
    for (int g = 0; g < 7; ++g) net.transfer(call(CollectiveKind::all_gather, Dim::tp, 8, 8, 1e6, g), [&] { ++done; });
    sim.run();
    CHECK(done == 0);
    CHECK(net.classes_in_flight() == 0);
    net.transfer(call(CollectiveKind::all_gather, Dim::tp, 8, 8, 1e6, 7), [&] { ++done; });
    sim.run();
    CHECK(done == 8);
    // A member that issues something else where its group expects the all-gather is an error.
    for (int g = 0; g < 7; ++g) net.transfer(call(CollectiveKind::all_gather, Dim::tp, 8, 8, 1e6, g), [] {});
    CHECK_THROWS_AS(net.transfer(call(CollectiveKind::all_reduce, Dim::tp, 8, 8, 1e6, 7), [] {}), std::logic_error);
}

TEST_CASE("memoisation: a repeated collective routes and solves once") {
    const auto cluster = test::make_cluster({.nodes = 4});
    engine::Simulation sim;
    Net net(sim, cluster, parallel_layout(1, 32));
    const auto w = call(CollectiveKind::reduce_scatter, Dim::dp, 32, 8, 1e8);
    std::vector<double> times;
    for (int i = 0; i < 3; ++i) {
        const double start = now_s(sim);
        net.transfer(w, [&, start] { times.push_back(now_s(sim) - start); });
        sim.run();
    }
    CHECK(net.stats().templates == 1);
    CHECK(net.stats().solves == 1);
    CHECK(net.stats().reuses >= 2);
    CHECK(times[1] == doctest::Approx(times[0]).epsilon(1e-9));
    CHECK(times[2] == doctest::Approx(times[0]).epsilon(1e-9));
}

TEST_CASE("algorithm choice follows NCCL by size and scale") {
    // One H100 node: NVLink SHARP all-reduce; one A100 node (NVSwitch gen2): ring.
    const auto h100 = test::make_cluster({.nodes = 4});
    engine::Simulation sim;
    Net net(sim, h100, parallel_layout(8, 4));
    CHECK(net.algorithm_for(call(CollectiveKind::all_reduce, Dim::tp, 8, 8, 1e9)) == Algorithm::nvls);
    const auto a100 = test::make_cluster({.gpu = "A100-80GB-SXM", .nodes = 4, .nvlink_bidirectional_gbps = 600});
    Net net_a(sim, a100, parallel_layout(8, 4));
    CHECK(net_a.algorithm_for(call(CollectiveKind::all_reduce, Dim::tp, 8, 8, 1e9)) == Algorithm::ring);
    // Across nodes: tree while the ring is latency-bound, ring once bandwidth dominates.
    Net net_x(sim, h100, parallel_layout(1, 32));
    CHECK(net_x.algorithm_for(call(CollectiveKind::all_reduce, Dim::dp, 32, 8, 1e5)) == Algorithm::tree);
    CHECK(net_x.algorithm_for(call(CollectiveKind::all_reduce, Dim::dp, 32, 8, 1e9)) == Algorithm::ring);
    CHECK(net_x.algorithm_for(call(CollectiveKind::reduce_scatter, Dim::dp, 32, 8, 1e5)) == Algorithm::ring);
}

TEST_CASE("expert dispatch with node-limited routing: IB to the same-rail GPU, then NVLink") {
    // EP64 over 8 H800 nodes, 8 experts per token on at most 4 nodes, balanced routing:
    // m_eff = 4 (1 - (3/4)^8) = 3.60 nodes per token, 7/8 of them remote; per GPU the NIC
    // carries T x 3.60 x 7/8 token copies at 0.87 x 50 GB/s (the DeepEP RDMA fraction of
    // test_clusters.hpp's links). NVLink carries D (7/8) copies, D = 32 (1 - (31/32)^8) = 7.17,
    // at 0.66 x 200 GB/s: less, so the dispatch is IB-bound.
    test::ClusterShape shape;
    shape.gpu = "H800-SXM";
    shape.nvlink_bidirectional_gbps = 400;
    shape.nodes = 8;
    shape.fabric = topology::FabricKind::multi_plane;
    shape.planes = 8;
    const auto cluster = test::make_cluster(shape);
    workload::ParallelSpec lay = parallel_layout(1, 64);
    lay.ep = 64;
    Call w = call(CollectiveKind::ep_dispatch, Dim::ep, 64, 8, 0);
    w.routing.tokens = 4096;
    w.routing.top_k = 8;
    w.routing.max_nodes = 4;
    w.routing.token_bytes = units::Bytes(7392);
    const double m_eff = 4 * (1 - std::pow(0.75, 8));
    const double ib = 4096 * m_eff * 7.0 / 8.0 * 7392 / (0.87 * 50e9);
    const double t = time_alone(cluster, lay, w);
    CHECK(t == doctest::Approx(ib + 2.8e-6 + 3.33e-6).epsilon(1e-3));
    // Unlimited routing (8 nodes allowed) moves more bytes over the fabric.
    w.routing.max_nodes = 0;
    CHECK(time_alone(cluster, lay, w) > 1.2 * t);
}

TEST_CASE("expert dispatch by NCCL's all-to-all: every token copy to its expert's GPU, at NCCL's fractions") {
    // EP8 in one H100 node, 8 experts per token spread over the 8 GPUs: Megatron-Core's alltoall
    // dispatcher permutes each token once per expert and sends the copies by rank, k/n = 1 of the
    // payload P to each of the 7 peers over the GPU's NVLink at NCCL's 0.82 x 450 GB/s:
    // T = 7 P / 369 GB/s + 3.33 us. DeepEP sends a token once per GPU it needs, D = 8 (1 - (7/8)^8)
    // = 5.25 of 8, so D/8 of P to each peer at its own 0.66.
    const auto node = test::make_cluster({.nodes = 1});
    workload::ParallelSpec lay = parallel_layout(1, 8);
    lay.ep = 8;
    const Call w = dispatch(8, 8, 4096, 8, 7168);
    const double payload = 4096.0 * 7168;
    Call nccl = w;
    nccl.routing.exchange = collective::ExpertExchange::every_copy;
    engine::Simulation sim;
    Net net(sim, node, lay);
    CHECK(net.algorithm_for(nccl) == Algorithm::pairwise);
    CHECK(net.algorithm_for(w) == Algorithm::deepep_normal);
    const double nccl_t = time_alone(node, lay, nccl);
    CHECK(nccl_t == doctest::Approx(7 * payload / (0.82 * 450e9) + 3.33e-6).epsilon(1e-6));
    const double distinct = 8 * (1 - std::pow(7.0 / 8.0, 8));
    CHECK(time_alone(node, lay, w) ==
          doctest::Approx(7 * distinct / 8 * payload / (0.66 * 450e9) + 3.33e-6).epsilon(1e-6));
    Call back = nccl;
    back.kind = CollectiveKind::ep_combine;
    CHECK(time_alone(node, lay, back) == doctest::Approx(nccl_t).epsilon(1e-12));
    // EP16 over two nodes: NCCL's copies to the other node are 8 x 8/16 = 4 P per GPU, each NIC
    // sending them at best at 0.94 x 50 GB/s; DeepEP sends each token once to the other node
    // (m_eff = 2 (1 - 1/2^8) = 1.99 nodes, half of them remote: 0.996 P) at 0.87 x 50 GB/s.
    const auto two = test::make_cluster({.nodes = 2});
    workload::ParallelSpec lay16 = parallel_layout(1, 16);
    lay16.ep = 16;
    const Call wide = dispatch(16, 8, 4096, 8, 7168);
    Call wide_nccl = wide;
    wide_nccl.routing.exchange = collective::ExpertExchange::every_copy;
    const double nic_bound = 4 * payload / (0.94 * 50e9);
    const double t16 = time_alone(two, lay16, wide_nccl);
    CHECK(t16 >= nic_bound);
    CHECK(t16 < 1.25 * nic_bound);
    const double deepep16 = time_alone(two, lay16, wide);
    CHECK(deepep16 == doctest::Approx(2 * (1 - std::pow(0.5, 8)) / 2 * payload / (0.87 * 50e9) + 3.7e-6 + 3.33e-6)
                          .epsilon(1e-3));
    CHECK(t16 > 3.5 * deepep16);
    // The closed form the layout search screens with charges the same copies.
    engine::Simulation ab_sim;
    network::AlphaBetaNetwork closed(ab_sim, two);
    collective::CommWork cw;
    cw.kind = CollectiveKind::ep_dispatch;
    cw.placement = collective::GroupPlacement{16, 8};
    cw.bytes = units::Bytes(payload * 8);
    cw.routing = wide_nccl.routing;
    CHECK(closed.estimate(cw).count() == doctest::Approx(4 * payload / (0.94 * 50e9) + 3.7e-6).epsilon(1e-9));
    cw.routing.exchange = collective::ExpertExchange::deduplicated;
    CHECK(closed.estimate(cw).count() < 0.5 * (4 * payload / (0.94 * 50e9)));
    // Inside one node NCCL's copies are k/n to each of the other 7 GPUs: 7 P over NVLink.
    cw.routing.exchange = collective::ExpertExchange::every_copy;
    cw.placement = collective::GroupPlacement{8, 8};
    engine::Simulation one_sim;
    network::AlphaBetaNetwork one(one_sim, node);
    CHECK(one.estimate(cw).count() == doctest::Approx(7 * payload / (0.82 * 450e9) + 3.33e-6).epsilon(1e-9));
}

TEST_CASE("groups that straddle nodes unevenly run one ring in rank order") {
    // dp = 12 on 8-GPU nodes: 8 ranks on node 0, 4 on node 1. One ring 0 -> 1 -> ... -> 11 -> 0
    // crosses the fabric twice (GPU 7 -> GPU 8 and GPU 11 -> GPU 0, both across rails, so over
    // the spine: 3.7 us); each crossing is one flow on its own NIC, so B = 47 GB/s.
    const auto cluster = test::make_cluster({.nodes = 2});
    const auto w = call(CollectiveKind::all_reduce, Dim::dp, 12, 8, 1e9);
    const double t = time_alone(cluster, parallel_layout(1, 12), w, force(Algorithm::ring));
    CHECK(t == doctest::Approx(2.0 * 11 / 12 * 1e9 / 47e9 + 2.0 * 11 * 3.7e-6).epsilon(1e-6));
    // Expert dispatch has no same-rail partner on every node: the low-latency kernels are used.
    workload::ParallelSpec lay = parallel_layout(1, 12);
    lay.ep = 12;
    engine::Simulation sim;
    Net net(sim, cluster, lay);
    Call ep = call(CollectiveKind::ep_dispatch, Dim::ep, 12, 8, 0);
    ep.routing.tokens = 1024;
    ep.routing.top_k = 8;
    ep.routing.token_bytes = units::Bytes(7168);
    CHECK(net.algorithm_for(ep) == Algorithm::deepep_low_latency);
    CHECK(net.estimate(ep).count() > 0);
}

TEST_CASE("copies of different shapes are planned shape by shape (EP8 groups on 12-GPU nodes)") {
    // 24 GPUs as 2 nodes of 12, EP 8: group {0..7} sits on node 0, {8..15} straddles 4 + 4,
    // {16..23} sits on node 1. Each algorithm plans one shape from its first group; a plan read
    // from {0..7} alone indexed past the straddling group's 4 ranks per node (an "internal error:
    // route: GPU out of range" on a 72-GPU NVL72 node at EP16). The straddling copy sends half
    // of each token's copies over the NICs, so the dispatch is slower than the same EP8 on
    // 8-GPU nodes, where every copy stays on NVLink.
    test::ClusterShape twelve;
    twelve.nodes = 2;
    twelve.gpus_per_node = 12;
    twelve.nics_per_node = 12;
    workload::ParallelSpec lay = parallel_layout(1, 24);
    lay.ep = 8;
    const Call ep = dispatch(8, 8, 4096, 8, 7168);
    const double mixed = time_alone(test::make_cluster(twelve), lay, ep);
    test::ClusterShape eight;
    eight.nodes = 3;
    const double aligned = time_alone(test::make_cluster(eight), lay, ep);
    CHECK(aligned > 0.0);
    CHECK(mixed > aligned);
}

TEST_CASE("a send_recv without a peer is a ring shift inside the dimension's groups (context parallelism)") {
    // tp 4 x cp 4 on two nodes: CP groups {0,4,8,12}, {1,5,9,13}, ... Each rank sends S to the
    // next: 0 -> 4 and 8 -> 12 over NVLink, 4 -> 8 and 12 -> 0 across the fabric, each on its own
    // NIC and across rails (GPU 4 is on rail 4, GPU 8 on rail 0), so over the spine:
    // T = S / 47 GB/s + 3.7 us, in both modes.
    const auto cluster = test::make_cluster({.nodes = 2});
    workload::ParallelSpec lay = parallel_layout(4, 1);
    lay.cp = 4;
    Call w;
    w.kind = CollectiveKind::send_recv;
    w.dim = Dim::cp;
    w.group = {2, 1};
    w.crosses_nodes = true;
    w.bytes = units::Bytes(1e8);
    w.rank = 0;
    const double expected = 1e8 / 47e9 + 3.7e-6;
    CHECK(time_alone(cluster, lay, w) == doctest::Approx(expected).epsilon(1e-6));
    engine::Simulation sim;
    Net net(sim, cluster, lay, {}, Mode::full);
    std::vector<double> ends;
    for (int g = 0; g < 16; ++g) {
        w.rank = g;
        net.transfer(w, [&] { ends.push_back(now_s(sim)); });
    }
    sim.run();
    REQUIRE(ends.size() == 16);
    CHECK(*std::max_element(ends.begin(), ends.end()) == doctest::Approx(expected).epsilon(1e-6));
}

TEST_CASE("memoisation across networks: the steps of a run on one fabric route and solve each collective once") {
    // Two networks on one fabric, as the steps of a run are: the second names the same groups
    // under another set id (its table holds a set before them) and must reuse the first's routes
    // and rates, with the same time to the nanosecond; groups it has not seen are routed anew.
    const auto cluster = test::make_cluster({.nodes = 4});
    const auto fabric = network::make_fabric(cluster);
    std::vector<collective::Group> rings(8);
    for (int g = 0; g < 32; ++g) rings[static_cast<std::size_t>(g % 8)].push_back(g); // DP4 across nodes, 8 copies
    auto run = [&](collective::GroupTable& table, collective::GroupSetId set, network::FlowNetworkStats& stats) {
        engine::Simulation sim;
        FlowNetwork net(sim, fabric, table);
        collective::CommWork w;
        w.kind = CollectiveKind::all_gather;
        w.groups = set;
        w.placement = collective::GroupPlacement{4, 1};
        w.bytes = units::Bytes(1e8);
        double end = -1;
        net.transfer(w, [&] { end = now_s(sim); });
        sim.run();
        stats = net.stats();
        return end;
    };
    collective::GroupTable first;
    const auto a = first.add(rings);
    network::FlowNetworkStats s1, s2, s3;
    const double t1 = run(first, a, s1);
    CHECK(s1.solves == 1);
    collective::GroupTable second;
    second.add({{0, 8}});
    const auto b = second.add(rings);
    REQUIRE(b != a);
    const double t2 = run(second, b, s2);
    CHECK(s2.templates == 1);
    CHECK(s2.solves == 0);
    CHECK(s2.reuses == 1);
    CHECK(t2 == t1);
    // Other groups (one ring of the eight): routed and solved anew; as fast as the eight at once,
    // each ring having its own rail (one NIC per GPU, the same local index on every node).
    collective::GroupTable third;
    const auto c = third.add({rings.front()});
    const double t3 = run(third, c, s3);
    CHECK(s3.solves == 1);
    CHECK(t3 == doctest::Approx(t1).epsilon(1e-12));
}

TEST_CASE("link sharing found through the link index gives the times found by asking every pair, and rates kept incrementally agree") {
    // flows_in_flight.hpp: with many classes in flight the classes sharing links with one that
    // starts or ends are found through each link's users instead of by asking every pair; the
    // components, and so every rate and completion time, are the same. Or (RateUpdate::
    // incremental, full mode's) the rates are kept by the incremental solver, a region around
    // each change grown until the whole is max-min fair: the same max-min rates to the solvers'
    // precision (1e-9 in a solve, 1e-7 in the check), so the times agree to that. Full mode on 4
    // nodes under 2:1 oversubscribed leaves (so that classes of different groups meet on the
    // uplinks): every GPU's pipeline send, tensor all-reduce and data-parallel reduce-scatter,
    // issued at staggered times (up to a hundred classes in flight, down to none). Indexed from 0
    // classes (always), from 8 (on and off as the count crosses 8 and 2) and never, the
    // completion times agree to the nanosecond with components and to 1e-7 incrementally.
    test::ClusterShape shape;
    shape.nodes = 4;
    shape.fabric = topology::FabricKind::fat_tree;
    shape.radix = 16;
    shape.oversubscription = 2.0;
    const auto cluster = test::make_cluster(shape);
    const auto lay = parallel_layout(4, 4, 2);
    auto run = [&](std::size_t index_from, network::RateUpdate beyond, std::size_t& most) {
        engine::Simulation sim;
        FlowNetworkOptions options;
        options.link_index_from = index_from;
        options.beyond_index = beyond;
        Net net(sim, cluster, lay, options, Mode::full);
        std::vector<double> ends;
        most = 0;
        auto issue = [&](const Call& c, int at_us) {
            sim.schedule_at(engine::SimTime(engine::Duration(at_us * 1000LL)), [&, c] {
                net.transfer(c, [&] { ends.push_back(now_s(sim)); });
                most = std::max(most, net.classes_in_flight());
            });
        };
        for (int round = 0; round < 3; ++round)
            for (int g = 0; g < 32; ++g) {
                const int at = round * 4000 + (g * 37) % 300;
                issue(call(CollectiveKind::all_reduce, Dim::tp, 4, 4, 1e7 * (1 + (g / 4) % 3), g), at);
                issue(call(CollectiveKind::reduce_scatter, Dim::dp, 4, 2, 3e7, g), at + 50);
                if (g < 16) {
                    Call send = call(CollectiveKind::send_recv, Dim::pp, 2, 1, 2e7 * (1 + g % 4), g);
                    send.peer_rank = g + 16;
                    issue(send, at + (g % 5) * 20);
                }
            }
        sim.run();
        CHECK(net.classes_in_flight() == 0);
        return ends;
    };
    using network::RateUpdate;
    std::size_t most_always = 0, most_crossing = 0, most_never = 0, most_inc = 0, most_inc_crossing = 0;
    const auto always = run(0, RateUpdate::components, most_always);
    const auto crossing = run(8, RateUpdate::components, most_crossing);
    const auto never = run(static_cast<std::size_t>(-1), RateUpdate::components, most_never);
    const auto inc_always = run(0, RateUpdate::incremental, most_inc);
    const auto inc_crossing = run(8, RateUpdate::incremental, most_inc_crossing);
    CHECK(most_crossing > 8);
    REQUIRE(never.size() == 3 * (32 * 2 + 16));
    REQUIRE(always.size() == never.size());
    REQUIRE(crossing.size() == never.size());
    REQUIRE(inc_always.size() == never.size());
    REQUIRE(inc_crossing.size() == never.size());
    for (std::size_t k = 0; k < never.size(); ++k) {
        CAPTURE(k);
        CHECK(always[k] == never[k]);
        CHECK(crossing[k] == never[k]);
        CHECK(inc_always[k] == doctest::Approx(never[k]).epsilon(1e-7));
        CHECK(inc_crossing[k] == doctest::Approx(never[k]).epsilon(1e-7));
    }
}
