// The fabric builders and routing: shapes, capacities, latencies and ECMP, against the sizing
// rules and measurements they encode (facts from hardware_and_pricing.md, copied here).
#include "topology/fabric_builders.hpp"
#include "topology/shortest_path_router.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <memory>
#include <set>
#include <stdexcept>
#include <thread>
#include <utility>
#include <vector>

using namespace tcsim;
using topology::ClusterGraph;
using topology::Ecmp;
using topology::VertexKind;

namespace {

topology::ClusterSpec cluster(int nodes, int gpus_per_node, int nics, topology::FabricKind kind, int tiers, int radix,
                              double oversubscription = 1.0, int planes = 1) {
    topology::ClusterSpec c;
    c.name = "test";
    c.nodes = nodes;
    c.gpus_per_node = gpus_per_node;
    c.nvlink_per_direction = units::gigabytes_per_second(450);
    c.nvlink_latency = units::microseconds(3.33);
    c.nics_per_node = nics;
    c.nic_bandwidth = units::gigabits_per_second(400);
    c.fabric.kind = kind;
    c.fabric.tiers = tiers;
    c.fabric.switch_radix = radix;
    c.fabric.oversubscription = oversubscription;
    c.fabric.planes = planes;
    c.fabric.latency = units::microseconds(3.7);
    return c;
}

int count(const ClusterGraph& g, VertexKind kind, int tier = 0) {
    int n = 0;
    for (std::size_t v = 0; v < g.vertex_count(); ++v) {
        const auto& x = g.vertex(static_cast<topology::VertexId>(v));
        if (x.kind == kind && (tier == 0 || x.tier == tier)) ++n;
    }
    return n;
}

int network_links(const topology::Route& r, const ClusterGraph& g) {
    int n = 0;
    for (const auto& ls : r.links)
        if (g.link(ls.link).link_class.name() == "network") ++n;
    return n;
}

int nvlink_links(const topology::Route& r, const ClusterGraph& g) {
    int n = 0;
    for (const auto& ls : r.links)
        if (g.link(ls.link).link_class.name() == "nvlink") ++n;
    return n;
}

} // namespace

TEST_CASE("an HGX node is 8 GPUs on one NVSwitch, one NIC each, and GPU-to-GPU goes through the switch") {
    const auto g = topology::build_cluster_graph(cluster(1, 8, 8, topology::FabricKind::fat_tree, 2, 64));
    CHECK(g.gpus() == 8);
    CHECK(count(g, VertexKind::scale_up_switch) == 1);
    // A single node needs no scale-out fabric.
    CHECK(count(g, VertexKind::nic) == 0);
    const auto r = g.route(0, 5);
    CHECK(r.links.size() == 2);
    CHECK(nvlink_links(r, g) == 2);
    CHECK(r.latency.count() == doctest::Approx(3.33e-6));
    for (const auto& ls : r.links) CHECK(g.link(ls.link).bandwidth.value() == doctest::Approx(450e9));
}

TEST_CASE("an NVL72 domain puts 72 GPUs behind one switch fabric") {
    auto c = cluster(2, 72, 72, topology::FabricKind::rail_optimized, 2, 144);
    c.nvlink_per_direction = units::gigabytes_per_second(900); // NVLink 5: 1.8 TB/s per GPU (2a)
    const auto g = topology::build_cluster_graph(c);
    CHECK(g.gpus() == 144);
    CHECK(count(g, VertexKind::scale_up_switch) == 2);
    CHECK(nvlink_links(g.route(0, 71), g) == 2);
    CHECK(network_links(g.route(0, 72), g) == 2); // GPU 0 of each domain on rail 0's leaf
}

TEST_CASE("two-tier fat tree sizing: radix 64 serves 64^2/2 = 2,048 endpoints") {
    // hardware_and_pricing.md 2c: "2-tier max endpoints = k^2/2 ... QM9700 (k=64): 2,048".
    const auto g = topology::build_cluster_graph(cluster(256, 8, 8, topology::FabricKind::fat_tree, 2, 64));
    CHECK(count(g, VertexKind::nic) == 2048);
    CHECK(count(g, VertexKind::network_switch, 1) == 64); // 2,048 NICs / 32 down ports
    CHECK(count(g, VertexKind::network_switch, 2) == 32); // 64 leaves x 32 uplinks / 64 ports
    // One more node needs a spine with more ports than it has.
    CHECK_THROWS_AS(topology::build_cluster_graph(cluster(260, 8, 8, topology::FabricKind::fat_tree, 2, 64)),
                    std::invalid_argument);
}

TEST_CASE("oversubscription divides a leaf's uplink capacity") {
    for (double o : {1.0, 2.0, 4.0}) {
        const auto g = topology::build_cluster_graph(cluster(8, 8, 8, topology::FabricKind::fat_tree, 2, 32, o));
        // Leaf 0 holds 16 NICs (two nodes); its uplinks together carry 16 x 50 GB/s / o.
        topology::VertexId leaf = 0;
        for (std::size_t v = 0; v < g.vertex_count(); ++v)
            if (g.vertex(static_cast<topology::VertexId>(v)).kind == VertexKind::network_switch) {
                leaf = static_cast<topology::VertexId>(v);
                break;
            }
        double up = 0;
        for (auto l : g.out_links(leaf))
            if (g.vertex(g.link(l).to).kind == VertexKind::network_switch) up += g.link(l).bandwidth.value();
        CAPTURE(o);
        CHECK(up == doctest::Approx(16 * 50e9 / o));
    }
}

TEST_CASE("three-tier fat tree: a route between pods climbs to the core") {
    // radix 8: 4 NICs per leaf, pods of 4 leaves. 64 NICs = 16 leaves = 4 pods.
    const auto g = topology::build_cluster_graph(cluster(8, 8, 8, topology::FabricKind::fat_tree, 3, 8));
    CHECK(count(g, VertexKind::network_switch, 1) == 16);
    CHECK(count(g, VertexKind::network_switch, 3) == 4);
    // Same leaf: NIC -> leaf -> NIC. Same pod: + leaf -> agg -> leaf. Across pods: + agg -> core -> agg.
    CHECK(network_links(g.route(0, 8), g) == 4);  // node 0 and node 1 (different leaves, same pod)
    CHECK(network_links(g.route(0, 32), g) == 6); // node 0 and node 4: pod 0 and pod 2
    // Latency: 3.7 us end to end across the top tier, 0.45 us per switch-to-switch link.
    CHECK(g.route(0, 32).latency.count() == doctest::Approx(3.7e-6));
    CHECK(g.route(0, 8).latency.count() == doctest::Approx(3.7e-6 - 2 * 0.45e-6));
}

TEST_CASE("rail-optimized: same-rail traffic crosses one leaf, cross-rail traffic the spine") {
    // DGX SuperPOD H100 scalable unit: 32 nodes, 8 rails, 8 leaves and 4 spines (3a).
    const auto g = topology::build_cluster_graph(cluster(32, 8, 8, topology::FabricKind::rail_optimized, 2, 64));
    CHECK(count(g, VertexKind::network_switch, 1) == 8);
    CHECK(count(g, VertexKind::network_switch, 2) == 4);
    CHECK(network_links(g.route(3, 8 * 17 + 3), g) == 2);
    CHECK(network_links(g.route(3, 8 * 17 + 4), g) == 4);
    // DeepSeek ISCA'25 Table 5 (2f): IB 2.8 us through one leaf, 3.7 us across the spine.
    CHECK(g.route(3, 8 * 17 + 3).latency.count() == doctest::Approx(2.8e-6));
    CHECK(g.route(3, 8 * 17 + 4).latency.count() == doctest::Approx(3.7e-6));
}

TEST_CASE("multi-plane: NIC i of every node is in plane i; cross-plane traffic crosses NVLink first (PXN)") {
    // DeepSeek-V3's cluster (3e): 256 nodes, 8 planes of a 2-tier fat tree of 64-port switches.
    const auto g = topology::build_cluster_graph(cluster(256, 8, 8, topology::FabricKind::multi_plane, 2, 64, 1.0, 8));
    CHECK(count(g, VertexKind::network_switch, 1) == 64); // 8 planes x 8 leaves
    CHECK(count(g, VertexKind::network_switch, 2) == 32); // 8 planes x 4 spines
    std::set<int> planes;
    for (auto nic : g.nics_of(8 * 5 + 3)) planes.insert(g.vertex(nic).plane);
    CHECK(planes == std::set<int>{3});
    const auto same = g.route(3, 8 * 40 + 3);
    CHECK(nvlink_links(same, g) == 0);
    const auto cross = g.route(3, 8 * 40 + 6);
    CHECK(nvlink_links(cross, g) == 2); // GPU 3 -> NVSwitch -> GPU 6, then plane 6
    CHECK(cross.latency.count() == doctest::Approx(3.33e-6 + 3.7e-6));
}

TEST_CASE("ECMP is deterministic: hashed picks one spine per pair, spread splits evenly") {
    const auto g = topology::build_cluster_graph(cluster(32, 8, 8, topology::FabricKind::rail_optimized, 2, 64));
    const auto a = g.route(0, 8 * 9 + 5, Ecmp::hashed);
    const auto b = g.route(0, 8 * 9 + 5, Ecmp::hashed);
    REQUIRE(a.links.size() == b.links.size());
    for (std::size_t i = 0; i < a.links.size(); ++i) CHECK(a.links[i].link == b.links[i].link);
    for (const auto& ls : a.links) CHECK(ls.share == 1.0);
    // Different pairs spread over the 4 spines.
    std::set<topology::VertexId> spines;
    for (int dst = 8; dst < 8 * 32; dst += 8 + 1) {
        if (dst % 8 == 0) continue;
        for (const auto& ls : g.route(0, dst).links) {
            const auto to = g.link(ls.link).to;
            if (g.vertex(to).tier == 2) spines.insert(to);
        }
    }
    CHECK(spines.size() == 4);
    const auto s = g.route(0, 8 * 9 + 5, Ecmp::spread);
    double up = 0;
    int up_links = 0;
    for (const auto& ls : s.links)
        if (g.vertex(g.link(ls.link).to).tier == 2) {
            up += ls.share;
            ++up_links;
            CHECK(ls.share == doctest::Approx(0.25));
        }
    CHECK(up_links == 4);
    CHECK(up == doctest::Approx(1.0));
}

TEST_CASE("builders refuse shapes the hardware cannot have") {
    CHECK_THROWS_AS(topology::build_cluster_graph(cluster(2, 8, 3, topology::FabricKind::fat_tree, 2, 64)),
                    std::invalid_argument); // 3 NICs cannot be shared by 8 GPUs
    CHECK_THROWS_AS(topology::build_cluster_graph(cluster(2, 8, 8, topology::FabricKind::multi_plane, 2, 64, 1.0, 3)),
                    std::invalid_argument); // 3 planes do not divide 8 NICs
    CHECK_THROWS_AS(topology::build_cluster_graph(cluster(2, 8, 0, topology::FabricKind::fat_tree, 2, 64)),
                    std::invalid_argument); // two nodes, no NICs
    CHECK_THROWS_AS(topology::build_cluster_graph(cluster(8, 8, 8, topology::FabricKind::fat_tree, 1, 32)),
                    std::invalid_argument); // one switch of 32 ports for 64 NICs
}

TEST_CASE("one graph routes from two threads at once exactly as from one (a fabric shared by simulations on threads)") {
    // The router builds its tables lazily; two threads asking for the same destination leaves at
    // once must get the routes a fresh graph gives one call at a time (any per-call state kept in
    // the router would mix them up). The cache's lock guards a race the release build rarely
    // shows (5/5 passed without it); the sanitize preset's build does: without the lock this test
    // failed there with "division by zero" inside std::unordered_map (a concurrent rehash).
    // 1,024 nodes on 8 planes of radix-64 switches: 256 destination leaves, each table built on
    // first use, both threads building them at the same time.
    const auto spec = cluster(1024, 8, 8, topology::FabricKind::multi_plane, 2, 64, 1.0, 8);
    const auto shared = topology::build_cluster_graph(spec);
    const auto serial = topology::build_cluster_graph(spec);
    std::vector<std::pair<int, int>> pairs;
    for (int d = 8; d < 8 * 1024; d += 1) pairs.emplace_back(d % 8, d);
    auto routes = [&](const ClusterGraph& g) {
        std::vector<topology::Route> out;
        for (const auto& [src, dst] : pairs) out.push_back(g.route(src, dst, Ecmp::spread));
        return out;
    };
    std::vector<topology::Route> a, b;
    std::thread first([&] { a = routes(shared); });
    std::thread second([&] { b = routes(shared); });
    first.join();
    second.join();
    const auto expected = routes(serial);
    REQUIRE(a.size() == expected.size());
    int mismatches = 0;
    for (std::size_t i = 0; i < expected.size(); ++i) {
        for (const auto* got : {&a[i], &b[i]}) {
            bool same = got->links.size() == expected[i].links.size() && got->latency == expected[i].latency;
            for (std::size_t k = 0; same && k < got->links.size(); ++k)
                same = got->links[k].link == expected[i].links[k].link &&
                       got->links[k].share == expected[i].links[k].share;
            if (!same) ++mismatches;
        }
    }
    CHECK(mismatches == 0);
    CHECK(expected.size() > 8000);
}

TEST_CASE("spread routes built from shared leaf-to-leaf paths are the routes computed afresh") {
    // shortest_path_router.hpp: with Ecmp::spread the part of a route between two leaves is
    // shared by every flow between NICs on them. 64 nodes of 8 GPUs, one NIC each, on a
    // three-tier fat tree of 16-port switches (8 NICs per leaf, 8 leaves per pod, 8 pods): routes
    // in one leaf, across a pod and across pods, each against a router that shares nothing.
    const auto spec = cluster(64, 8, 8, topology::FabricKind::fat_tree, 3, 16);
    const auto shared = topology::build_cluster_graph(spec);
    auto fresh = topology::build_cluster_graph(spec);
    fresh.set_router(std::make_unique<topology::ShortestPathRouter>(0));
    const auto& sharing = dynamic_cast<const topology::ShortestPathRouter&>(shared.router());
    const auto& not_sharing = dynamic_cast<const topology::ShortestPathRouter&>(fresh.router());
    int compared = 0, mismatches = 0;
    std::size_t longest = 0;
    for (int src = 0; src < 8 * 64; src += 7)
        for (int dst = 5; dst < 8 * 64; dst += 11) {
            const auto a = shared.route(src, dst, Ecmp::spread);
            const auto b = fresh.route(src, dst, Ecmp::spread);
            bool same = a.links.size() == b.links.size() && a.latency == b.latency;
            for (std::size_t k = 0; same && k < a.links.size(); ++k)
                same = a.links[k].link == b.links[k].link && a.links[k].share == b.links[k].share;
            if (!same) ++mismatches;
            longest = std::max(longest, a.links.size());
            ++compared;
        }
    CHECK(mismatches == 0);
    CHECK(compared > 2000);
    CHECK(longest == 36); // across pods: the four ends and 32 switch links between the leaves
    CHECK(sharing.shared_paths() > 0);
    CHECK(not_sharing.shared_paths() == 0);
}
