// FlowClassBuilder (network/algorithms/flow_class_builder.hpp): "Each link's coefficient is the
// sum of its entries in the order the flows added them, whichever way they were kept": a class
// of a few flows (entries kept in a list, sorted at the end) and one of thousands (folded into
// sums by link once the list holds half as many entries as the graph has links, at least 1,024)
// against the same sums taken here route by route.
#include "hardware/link_class.hpp"
#include "network/algorithms/flow_class_builder.hpp"
#include "test_clusters.hpp"
#include "topology/fabric_builders.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <map>

using namespace tcsim;

namespace {

/// GPU i of node 0 to a GPU of node 1 (spread over a rail-optimized fabric's paths), flow k.
int source(int k) { return k % 8; }
int destination(int k) { return 8 + (3 * k + k / 8) % 8; }

} // namespace

TEST_CASE("a flow class sums each link's shares in the order flows added them, few flows or thousands") {
    const topology::ClusterSpec cluster = test::make_cluster({.nodes = 2});
    const topology::ClusterGraph graph = topology::build_cluster_graph(cluster);
    for (const int flows : {10, 5'000}) {
        CAPTURE(flows);
        network::FlowClassBuilder builder(graph, cluster.efficiency.links, topology::Ecmp::spread, "test", 0.5);
        std::map<topology::LinkId, double> expected; // by link: first entry, then += in order
        int entries = 0;
        for (int k = 0; k < flows; ++k) {
            builder.flow(source(k), destination(k));
            for (const topology::LinkShare& ls : graph.route(source(k), destination(k), topology::Ecmp::spread).links) {
                if (!graph.link(ls.link).link_class.contended()) continue;
                ++entries;
                const auto [at, added] = expected.emplace(ls.link, ls.share);
                if (!added) at->second += ls.share;
            }
        }
        if (flows > 10) CHECK(entries > std::max<int>(1024, static_cast<int>(graph.link_count())));
        network::CollectivePlan plan;
        builder.finish(plan);
        REQUIRE(plan.classes.size() == 1);
        const network::FlowClass& c = plan.classes.front();
        CHECK(c.flows == flows);
        CHECK(c.bytes_per_payload == 0.5);
        REQUIRE(c.usage.size() == expected.size());
        std::size_t i = 0;
        for (const auto& [link, coefficient] : expected) {
            CAPTURE(link);
            CHECK(c.usage[i].link == link);
            CHECK(c.usage[i].coefficient == coefficient); // the same bits, not approximately
            ++i;
        }
    }
}
