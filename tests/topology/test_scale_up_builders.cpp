// Scale-up domains that are not a switch (issue 17): the full mesh (xGMI, Gaudi RoCE, HCCS) and
// the TPU ICI torus, and their routers. Link counts and rates follow from the pictures in
// fabrics/full_mesh_node.hpp and fabrics/torus_slice.hpp; hop counts from dimension-order
// routing on a torus (shorter way round each ring).
#include "topology/fabric_builders.hpp"

#include <doctest/doctest.h>

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
