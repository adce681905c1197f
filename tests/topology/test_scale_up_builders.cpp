// Scale-up domains that are not a switch (issue 17): the full mesh (xGMI, Gaudi RoCE, HCCS) and
// the TPU ICI torus, and their routers. Link counts and rates follow from the pictures in
// fabrics/full_mesh_node.hpp and fabrics/torus_slice.hpp; hop counts from dimension-order
// routing on a torus (shorter way round each ring).
#include "topology/fabric_builders.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <stdexcept>
#include <vector>

using namespace tcsim;
using topology::ClusterGraph;
using topology::Ecmp;
using topology::VertexKind;

namespace {

topology::ClusterSpec spec(int nodes, int per_node, topology::ScaleUpKind kind, std::vector<int> torus = {}) {
    topology::ClusterSpec c;
    c.name = "test";
    c.nodes = nodes;
    c.gpus_per_node = per_node;
    c.nvlink_per_direction = units::gigabytes_per_second(600); // e.g. TPU v5p: 1,200 GB/s both ways
    c.nvlink_latency = units::microseconds(1);
    c.nics_per_node = per_node;
    c.nic_bandwidth = units::gigabits_per_second(400);
    c.fabric.kind = topology::FabricKind::fat_tree;
    c.fabric.tiers = 2;
    c.fabric.switch_radix = 64;
    c.fabric.latency = units::microseconds(3.7);
    c.scale_up.kind = kind;
    c.scale_up.torus = std::move(torus);
    return c;
}

int links_of_class(const ClusterGraph& g, std::string_view name) {
    int n = 0;
    for (const auto& l : g.links())
        if (l.link_class.name() == name) ++n;
    return n;
}

} // namespace

TEST_CASE("full mesh: no switch, one link each way per pair at 1/(n-1) of the chip's scale-up bandwidth") {
    const auto c = spec(2, 8, topology::ScaleUpKind::full_mesh);
    const ClusterGraph g = topology::build_cluster_graph(c);
    CHECK_FALSE(g.scale_up_switch(0).has_value());
    CHECK(links_of_class(g, "nvlink") == 2 * 8 * 7); // 2 nodes x 8 x 7 directed links
    CHECK_FALSE(g.router().accelerators_transit());
    const auto r = g.route(1, 6);
    REQUIRE(r.links.size() == 1);
    CHECK(g.link(r.links[0].link).bandwidth.value() == doctest::Approx(600e9 / 7));
    CHECK(r.latency.count() == doctest::Approx(1e-6));
    // Across nodes: GPU -> NIC -> leaf -> NIC -> GPU, no accelerator on the way.
    const auto across = g.route(1, 14);
    for (const auto& ls : across.links) {
        const auto& l = g.link(ls.link);
        const bool endpoint_from = g.vertex(l.from).kind != VertexKind::accelerator || l.from == g.gpu(1);
        const bool endpoint_to = g.vertex(l.to).kind != VertexKind::accelerator || l.to == g.gpu(14);
        CHECK(endpoint_from);
        CHECK(endpoint_to);
    }
}

TEST_CASE("torus: 6 ports per chip on a 3-D torus with wrap-around, routes transit other chips") {
    const auto c = spec(1, 64, topology::ScaleUpKind::torus, {4, 4, 4});
    const ClusterGraph g = topology::build_cluster_graph(c);
    CHECK_FALSE(g.scale_up_switch(0).has_value());
    // 64 chips x 3 dimensions x one + link each, both directions: 384 directed links of 100 GB/s.
    CHECK(links_of_class(g, "nvlink") == 384);
    for (const auto& l : g.links()) CHECK(l.bandwidth.value() == doctest::Approx(100e9));
    CHECK(g.router().accelerators_transit());
    // Wrap-around: x = 0 -> x = 3 is one hop (the - way), not three.
    CHECK(g.route(0, 3).links.size() == 1);
    // (0,0,0) -> (1,3,2): 1 hop in x, 1 in y (3 is -1 round the ring), 2 in z: 4 links, 4 us.
    const int dst = 1 + 4 * (3 + 4 * 2);
    const auto r = g.route(0, dst);
    CHECK(r.links.size() == 4);
    CHECK(r.latency.count() == doctest::Approx(4e-6));
    // Dimension order: x first, so the first link leaves chip 0 towards chip 1.
    bool leaves_source = false;
    for (const auto& ls : r.links)
        if (g.link(ls.link).from == g.gpu(0) && g.link(ls.link).to == g.gpu(1)) leaves_source = true;
    CHECK(leaves_source);
    // Half-way round a ring of 4: + from an even coordinate, - from an odd one.
    CHECK(g.link(g.route(0, 2).links.front().link).to != g.gpu(3)); // 0 -> 1 -> 2
    const auto odd = g.route(1, 3);                                 // 1 -> 0 -> 3
    bool via_zero = false;
    for (const auto& ls : odd.links)
        if (g.link(ls.link).to == g.gpu(0)) via_zero = true;
    CHECK(via_zero);
}

TEST_CASE("torus: an extent of 2 is one link of both ports; an extent of 1 has none") {
    const auto c = spec(1, 8, topology::ScaleUpKind::torus, {2, 4, 1});
    const ClusterGraph g = topology::build_cluster_graph(c);
    // x: 4 pairs x 2 directions at 2 x 100 GB/s; y: 8 chips x one + link x 2 directions.
    int x_links = 0;
    int y_links = 0;
    for (const auto& l : g.links()) {
        if (l.link_class.name() != "nvlink") continue;
        if (l.bandwidth.value() == doctest::Approx(200e9)) ++x_links;
        if (l.bandwidth.value() == doctest::Approx(100e9)) ++y_links;
    }
    CHECK(x_links == 8);
    CHECK(y_links == 16);
}

TEST_CASE("torus: extents that do not multiply to the node's chips, or a wrong number of them, are refused") {
    CHECK_THROWS_AS(topology::build_cluster_graph(spec(1, 64, topology::ScaleUpKind::torus, {4, 4, 2})),
                    std::invalid_argument);
    CHECK_THROWS_AS(topology::build_cluster_graph(spec(1, 64, topology::ScaleUpKind::torus, {64})),
                    std::invalid_argument);
}

TEST_CASE("multislice: chips of two slices meet only through the data-center network") {
    auto c = spec(2, 16, topology::ScaleUpKind::torus, {4, 4});
    c.nics_per_node = 4; // one DCN NIC per host of 4 chips
    const ClusterGraph g = topology::build_cluster_graph(c);
    const auto r = g.route(0, 16);
    int network = 0;
    for (const auto& ls : r.links)
        if (g.link(ls.link).link_class.name() == "network") ++network;
    CHECK(network >= 2); // NIC -> leaf and leaf -> NIC at least
}

namespace {

/// Hops from chip `from` to every chip of one slice, by breadth-first search over the ICI links
/// themselves: an oracle that knows nothing of the router.
std::vector<int> hops_by_search(const ClusterGraph& g, int from, int chips) {
    std::vector<std::vector<int>> next_to(static_cast<std::size_t>(chips));
    for (int a = 0; a < chips; ++a)
        for (const auto l : g.out_links(g.gpu(a))) {
            const auto& v = g.vertex(g.link(l).to);
            if (v.kind == VertexKind::accelerator) next_to[static_cast<std::size_t>(a)].push_back(v.index);
        }
    std::vector<int> hops(static_cast<std::size_t>(chips), -1);
    std::vector<int> frontier{from};
    hops[static_cast<std::size_t>(from)] = 0;
    while (!frontier.empty()) {
        std::vector<int> next;
        for (int a : frontier)
            for (int b : next_to[static_cast<std::size_t>(a)]) {
                if (hops[static_cast<std::size_t>(b)] >= 0) continue;
                hops[static_cast<std::size_t>(b)] = hops[static_cast<std::size_t>(a)] + 1;
                next.push_back(b);
            }
        frontier = std::move(next);
    }
    return hops;
}

} // namespace

TEST_CASE("twisted torus: a short dimension's wrap-around lands half-way round the long one") {
    // 4 x 4 x 8 twisted (TPU v4's 4x4x8_twisted): the x link from (3, y, z) joins (0, y, z + 4),
    // the y link from (x, 3, z) joins (x, 0, z + 4); z wraps plainly. Same link count as the
    // plain torus: 128 chips x 3 dimensions x one + link, both directions.
    auto c = spec(1, 128, topology::ScaleUpKind::torus, {4, 4, 8});
    c.scale_up.twisted = true;
    const ClusterGraph g = topology::build_cluster_graph(c);
    CHECK(links_of_class(g, "nvlink") == 768);
    auto chip = [](int x, int y, int z) { return x + 4 * (y + 4 * z); };
    CHECK(g.route(chip(3, 0, 0), chip(0, 0, 4)).links.size() == 1);
    CHECK(g.route(chip(0, 3, 5), chip(0, 0, 1)).links.size() == 1); // z 5 + 4 = 9 = 1 mod 8
    // (0,0,0) -> (2,2,4): 2 + 2 + 4 = 8 hops on the plain torus; twisted, two steps back across
    // the x wrap-around (to (2,0,4)) and two in y: 4 hops.
    CHECK(g.route(chip(0, 0, 0), chip(2, 2, 4)).links.size() == 4);
    auto plain_spec = spec(1, 128, topology::ScaleUpKind::torus, {4, 4, 8});
    const ClusterGraph plain = topology::build_cluster_graph(plain_spec);
    CHECK(plain.route(chip(0, 0, 0), chip(2, 2, 4)).links.size() == 8);
    // The router's routes are minimal: as many links as a search over the links finds hops,
    // from a corner and from an inner chip to every chip; and the twisted slice's farthest chip
    // is nearer than the plain torus's (2 + 2 + 4 = 8 hops).
    for (const int from : {chip(0, 0, 0), chip(1, 2, 5)}) {
        CAPTURE(from);
        const std::vector<int> hops = hops_by_search(g, from, 128);
        int farthest = 0;
        for (int to = 0; to < 128; ++to) {
            CAPTURE(to);
            CHECK(static_cast<int>(g.route(from, to).links.size()) == hops[static_cast<std::size_t>(to)]);
            farthest = std::max(farthest, hops[static_cast<std::size_t>(to)]);
        }
        CHECK(farthest < 8);
    }
}

TEST_CASE("twisted torus: k x 2k x 2k twists both long dimensions; other shapes are refused") {
    // 4 x 8 x 8: the x link from (3, y, z) joins (0, y + 4, z + 4).
    auto c = spec(1, 256, topology::ScaleUpKind::torus, {4, 8, 8});
    c.scale_up.twisted = true;
    const ClusterGraph g = topology::build_cluster_graph(c);
    auto chip = [](int x, int y, int z) { return x + 4 * (y + 8 * z); };
    CHECK(g.route(chip(3, 1, 2), chip(0, 5, 6)).links.size() == 1);
    const std::vector<int> hops = hops_by_search(g, chip(0, 0, 0), 256);
    for (int to = 0; to < 256; ++to) {
        CAPTURE(to);
        CHECK(static_cast<int>(g.route(chip(0, 0, 0), to).links.size()) == hops[static_cast<std::size_t>(to)]);
    }
    // Cloud TPU offers twisted k x k x 2k and k x 2k x 2k slices of whole 4x4x4 cubes only.
    CHECK(topology::twist_refusal({4, 4, 8}).empty());
    CHECK(topology::twist_refusal({8, 16, 16}).empty());
    CHECK(topology::twist_refusal({16, 8, 16}).empty());
    CHECK_FALSE(topology::twist_refusal({4, 4, 4}).empty());
    CHECK_FALSE(topology::twist_refusal({4, 8, 16}).empty());
    CHECK_FALSE(topology::twist_refusal({2, 2, 4}).empty());
    CHECK_FALSE(topology::twist_refusal({4, 8}).empty());
    auto bad = spec(1, 64, topology::ScaleUpKind::torus, {4, 4, 4});
    bad.scale_up.twisted = true;
    CHECK_THROWS_AS(topology::build_cluster_graph(bad), std::invalid_argument);
}
