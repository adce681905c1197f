// Routing through the Router interface on a graph built by hand, against paths derived by hand.
#include "topology/cluster_graph.hpp"
#include "topology/shortest_path_router.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <memory>
#include <set>
#include <utility>
#include <vector>

using namespace tcsim;
using topology::ClusterGraph;
using topology::Ecmp;
using topology::Vertex;
using topology::VertexId;
using topology::VertexKind;

namespace {

/// Two nodes of two GPUs each behind a scale-up switch, one NIC per GPU; NIC i of each node on
/// leaf i (two rails); with `spine`, one spine joins the leaves:
///
///               P            (spine, optional)
///            /     \      (uplinks)
///          L0       L1       leaves: L0 holds rail 0, L1 rail 1
///         |  |     |  |
///        N0  N2   N1  N3     N<g>: the NIC of GPU g
///
///     S0: G0 G1     S1: G2 G3     S<n>: the scale-up switch of node n
///
/// Latencies (us) are distinct powers of two per link type, so a sum names the links taken:
/// GPU-switch 1, GPU-NIC 2, NIC-leaf 4, leaf-spine 8.
struct HandGraph {
    ClusterGraph g;
    std::vector<VertexId> gpu, nic, sw, leaf;
    VertexId spine = 0;
};

HandGraph hand_graph(bool spine) {
    HandGraph h;
    const auto nvlink = hardware::link_class("nvlink");
    const auto pcie = hardware::link_class("pcie");
    const auto network = hardware::link_class("network");
    const auto bw = units::gigabytes_per_second(100);
    for (int node = 0; node < 2; ++node) {
        for (int i = 0; i < 2; ++i) h.gpu.push_back(h.g.add_vertex(Vertex{VertexKind::accelerator, node, i, 0, 0}));
        h.sw.push_back(h.g.add_vertex(Vertex{VertexKind::scale_up_switch, node, 0, 0, 0}));
        for (int i = 0; i < 2; ++i) {
            h.g.add_duplex(h.gpu[static_cast<std::size_t>(2 * node + i)], h.sw.back(), nvlink, bw,
                           units::microseconds(1));
            h.nic.push_back(h.g.add_vertex(Vertex{VertexKind::nic, node, i, 0, 0}));
            h.g.add_duplex(h.gpu[static_cast<std::size_t>(2 * node + i)], h.nic.back(), pcie, bw,
                           units::microseconds(2));
        }
    }
    for (int i = 0; i < 2; ++i) {
        h.leaf.push_back(h.g.add_vertex(Vertex{VertexKind::network_switch, -1, i, 1, 0}));
        for (int node = 0; node < 2; ++node)
            h.g.add_duplex(h.nic[static_cast<std::size_t>(2 * node + i)], h.leaf.back(), network, bw,
                           units::microseconds(4));
    }
    if (spine) {
        h.spine = h.g.add_vertex(Vertex{VertexKind::network_switch, -1, 0, 2, 0});
        for (VertexId l : h.leaf) h.g.add_duplex(l, h.spine, network, bw, units::microseconds(8));
    }
    return h;
}

/// The hops of a route as (from, to) vertex pairs, each with its share.
std::set<std::pair<VertexId, VertexId>> hops(const ClusterGraph& g, const topology::Route& r) {
    std::set<std::pair<VertexId, VertexId>> out;
    for (const auto& ls : r.links) {
        CHECK(ls.share == doctest::Approx(1.0));
        out.emplace(g.link(ls.link).from, g.link(ls.link).to);
    }
    return out;
}

std::set<std::pair<VertexId, VertexId>> path(const std::vector<VertexId>& vertices) {
    std::set<std::pair<VertexId, VertexId>> out;
    for (std::size_t i = 0; i + 1 < vertices.size(); ++i) out.emplace(vertices[i], vertices[i + 1]);
    return out;
}

} // namespace

TEST_CASE("the shortest-path router keeps GPUs as endpoints: inside a node through its switch, across on the rail") {
    const HandGraph h = hand_graph(true);
    const topology::Router& router = h.g.router();
    CHECK(router.name() == "shortest_path_ecmp");
    CHECK(!router.accelerators_transit());

    // GPU 0 -> GPU 1: G0 -> S0 -> G1, 2 x 1 us.
    const auto inside = router.route(h.g, 0, 1, Ecmp::hashed);
    CHECK(hops(h.g, inside) == path({h.gpu[0], h.sw[0], h.gpu[1]}));
    CHECK(inside.latency.count() == doctest::Approx(2e-6));

    // GPU 0 -> GPU 2 (same rail): G0 -> N0 -> L0 -> N2 -> G2, 2 + 4 + 4 + 2 us.
    const auto rail = router.route(h.g, 0, 2, Ecmp::hashed);
    CHECK(hops(h.g, rail) == path({h.gpu[0], h.nic[0], h.leaf[0], h.nic[2], h.gpu[2]}));
    CHECK(rail.latency.count() == doctest::Approx(12e-6));

    // GPU 0 -> GPU 3 (other rail): G0 -> N0 -> L0 -> P -> L1 -> N3 -> G3, 2 + 4 + 8 + 8 + 4 + 2 us.
    const auto cross = router.route(h.g, 0, 3, Ecmp::spread);
    CHECK(hops(h.g, cross) == path({h.gpu[0], h.nic[0], h.leaf[0], h.spine, h.leaf[1], h.nic[3], h.gpu[3]}));
    CHECK(cross.latency.count() == doctest::Approx(28e-6));
    // The graph's own route() goes through its router.
    CHECK(hops(h.g, h.g.route(0, 3)) == hops(h.g, cross));
}

TEST_CASE("without a spine the router falls back to PXN: NVLink to the GPU on the destination's rail first") {
    const HandGraph h = hand_graph(false);
    topology::ShortestPathRouter router;
    const topology::Router& as_router = router;
    // GPU 0 -> GPU 3: leaves L0 and L1 never meet, so G0 -> S0 -> G1 -> N1 -> L1 -> N3 -> G3,
    // 1 + 1 + 2 + 4 + 4 + 2 us.
    const auto r = as_router.route(h.g, 0, 3, Ecmp::hashed);
    CHECK(hops(h.g, r) == path({h.gpu[0], h.sw[0], h.gpu[1], h.nic[1], h.leaf[1], h.nic[3], h.gpu[3]}));
    CHECK(r.latency.count() == doctest::Approx(14e-6));
    CHECK_THROWS_AS((void)as_router.route(h.g, 0, 4, Ecmp::hashed), std::invalid_argument);
}

TEST_CASE("a graph routes through whichever router its fabric installs") {
    // A stand-in for a later router (dimension order on a torus, direct on a mesh): one link.
    class FirstLinkRouter final : public topology::Router {
    public:
        [[nodiscard]] std::string_view name() const override { return "first_link"; }
        [[nodiscard]] bool accelerators_transit() const override { return true; }
        [[nodiscard]] topology::Route route(const ClusterGraph& g, int src, int, Ecmp) const override {
            return topology::Route{{{g.out_links(g.gpu(src)).front(), 1.0}}, units::Seconds(1.0)};
        }
    };
    HandGraph h = hand_graph(true);
    h.g.set_router(std::make_unique<FirstLinkRouter>());
    CHECK(h.g.router().accelerators_transit());
    const auto r = h.g.route(2, 3);
    REQUIRE(r.links.size() == 1);
    CHECK(h.g.link(r.links.front().link).from == h.gpu[2]);
    CHECK(r.latency.count() == doctest::Approx(1.0));
}

TEST_CASE("route_into gives route()'s links and latency, reusing the caller's buffer") {
    // Every ordered pair of the hand graph (inside a node, same rail, across rails by spine or by
    // PXN without one), both ECMP modes, routed into one buffer that is never cleared by hand.
    for (const bool spine : {true, false}) {
        const HandGraph h = hand_graph(spine);
        topology::Route buffer;
        for (const Ecmp ecmp : {Ecmp::hashed, Ecmp::spread})
            for (int s = 0; s < 4; ++s)
                for (int d = 0; d < 4; ++d) {
                    const topology::Route fresh = h.g.route(s, d, ecmp);
                    h.g.route_into(s, d, ecmp, buffer);
                    REQUIRE(buffer.links.size() == fresh.links.size());
                    for (std::size_t k = 0; k < fresh.links.size(); ++k) {
                        CHECK(buffer.links[k].link == fresh.links[k].link);
                        CHECK(buffer.links[k].share == fresh.links[k].share);
                    }
                    CHECK(buffer.latency == fresh.latency);
                }
        CHECK(buffer.links.capacity() >= 6); // kept from the longest route
    }
}

TEST_CASE("hashed ECMP picks among more equal next hops than the router gathers in one pass") {
    // Two leaves joined by 200 spines (a leaf of 200 uplinks: more candidates than the 128 the
    // router gathers before walking to its pick), 20 single-GPU nodes on each leaf. Every route
    // from one leaf to the other is GPU -> NIC -> leaf -> spine -> leaf -> NIC -> GPU, one spine
    // picked by hash, and the 400 pairs reach spines beyond the 128th.
    ClusterGraph g;
    const auto pcie = hardware::link_class("pcie");
    const auto network = hardware::link_class("network");
    const auto bw = units::gigabytes_per_second(100);
    const VertexId leaf_a = g.add_vertex(Vertex{VertexKind::network_switch, -1, 0, 1, 0});
    const VertexId leaf_b = g.add_vertex(Vertex{VertexKind::network_switch, -1, 1, 1, 0});
    std::vector<VertexId> spines;
    for (int i = 0; i < 200; ++i) {
        spines.push_back(g.add_vertex(Vertex{VertexKind::network_switch, -1, i, 2, 0}));
        g.add_duplex(leaf_a, spines.back(), network, bw, units::microseconds(8));
        g.add_duplex(leaf_b, spines.back(), network, bw, units::microseconds(8));
    }
    for (int node = 0; node < 40; ++node) {
        const VertexId gpu = g.add_vertex(Vertex{VertexKind::accelerator, node, 0, 0, 0});
        const VertexId nic = g.add_vertex(Vertex{VertexKind::nic, node, 0, 0, 0});
        g.add_duplex(gpu, nic, pcie, bw, units::microseconds(2));
        g.add_duplex(nic, node < 20 ? leaf_a : leaf_b, network, bw, units::microseconds(4));
    }
    std::set<VertexId> used;
    for (int s = 0; s < 20; ++s)
        for (int d = 20; d < 40; ++d) {
            const auto r = g.route(s, d, Ecmp::hashed);
            REQUIRE(r.links.size() == 6);
            CHECK(r.latency.count() == doctest::Approx(2 * (2e-6 + 4e-6 + 8e-6)));
            int via = 0;
            for (const auto& ls : r.links)
                if (g.vertex(g.link(ls.link).to).tier == 2) {
                    used.insert(g.link(ls.link).to);
                    ++via;
                }
            CHECK(via == 1);
            CHECK(g.route(s, d, Ecmp::hashed).links.front().link == r.links.front().link); // deterministic
        }
    const auto beyond = std::count_if(used.begin(), used.end(), [&](VertexId v) { return g.vertex(v).index >= 128; });
    CHECK(beyond > 20);
    CHECK(used.size() > 120);
}
