// Clos builder: pictures, conventions and sources in clos.hpp.
#include "topology/fabrics/clos.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace tcsim::topology {

namespace {

/// Switch-to-switch link latency: kSwitchHopLatency unless the fabric's end-to-end figure is too
/// small to hold it, in which case every link gets an equal part.
units::Seconds switch_link_latency(units::Seconds end_to_end, int tiers) {
    const double switch_links = 2.0 * (tiers - 1);
    if (end_to_end.count() >= switch_links * kSwitchHopLatency.count()) return kSwitchHopLatency;
    return units::Seconds(end_to_end.count() / (4.0 + switch_links));
}

} // namespace

int leaf_down_ports(const ClosSpec& spec) { return spec.tiers == 1 ? spec.radix : spec.radix / 2; }

void check_clos(const ClosSpec& spec) {
    if (spec.tiers < 1 || spec.tiers > 3)
        throw std::invalid_argument("fabric: " + std::to_string(spec.tiers) + " tiers (1, 2 or 3 supported)");
    if (spec.radix < 2) throw std::invalid_argument("fabric: switch radix " + std::to_string(spec.radix) + " < 2");
    if (!(spec.oversubscription >= 1.0))
        throw std::invalid_argument("fabric: oversubscription " + std::to_string(spec.oversubscription) + " < 1");
    if (!(spec.port_bandwidth.value() > 0)) throw std::invalid_argument("fabric: port bandwidth must be positive");
}

std::vector<std::vector<VertexId>> leaf_groups_of(const std::vector<VertexId>& nics, int per_leaf) {
    std::vector<std::vector<VertexId>> groups;
    for (std::size_t i = 0; i < nics.size(); i += static_cast<std::size_t>(per_leaf)) {
        const auto end = std::min(nics.size(), i + static_cast<std::size_t>(per_leaf));
        groups.emplace_back(nics.begin() + static_cast<std::ptrdiff_t>(i),
                            nics.begin() + static_cast<std::ptrdiff_t>(end));
    }
    return groups;
}

units::Seconds host_link_latency(units::Seconds end_to_end, int tiers) {
    const double switch_part = 2.0 * (tiers - 1) * switch_link_latency(end_to_end, tiers).count();
    return units::Seconds(std::max(0.0, end_to_end.count() - switch_part) / 4.0);
}

void add_clos(ClusterGraph& graph, const std::vector<std::vector<VertexId>>& leaf_groups, const ClosSpec& spec) {
    check_clos(spec);
    const hardware::LinkClass network = hardware::link_class("network");
    const int leaves = static_cast<int>(leaf_groups.size());
    if (leaves == 0) return;
    const units::Seconds host = host_link_latency(spec.end_to_end_latency, spec.tiers);
    const units::Seconds hop = switch_link_latency(spec.end_to_end_latency, spec.tiers);
    const int down = leaf_down_ports(spec);
    std::vector<VertexId> leaf;
    std::vector<units::Bandwidth> uplink; // per leaf: its uplink capacity
    for (int i = 0; i < leaves; ++i) {
        const auto& group = leaf_groups[static_cast<std::size_t>(i)];
        if (static_cast<int>(group.size()) > down)
            throw std::invalid_argument("fabric: " + std::to_string(group.size()) + " NICs on a leaf with " +
                                        std::to_string(down) + " down ports");
        const VertexId sw = graph.add_vertex(Vertex{VertexKind::network_switch, -1, i, 1, spec.plane});
        for (VertexId nic : group) {
            graph.add_duplex(nic, sw, network, spec.port_bandwidth, host);
            graph.set_plane(nic, spec.plane);
        }
        leaf.push_back(sw);
        uplink.push_back(spec.port_bandwidth * (static_cast<double>(group.size()) / spec.oversubscription));
    }
    if (spec.tiers == 1) {
        if (leaves > 1)
            throw std::invalid_argument("fabric: one tier but " + std::to_string(leaves) + " switches are needed");
        return;
    }
    if (spec.tiers == 2) {
        if (leaves > spec.radix)
            throw std::invalid_argument("fabric: " + std::to_string(leaves) + " leaves exceed a spine's " +
                                        std::to_string(spec.radix) + " ports; use 3 tiers");
        double up_ports = 0;
        for (int i = 0; i < leaves; ++i)
            up_ports +=
                std::ceil(static_cast<double>(leaf_groups[static_cast<std::size_t>(i)].size()) / spec.oversubscription);
        const int spines = std::max(1, static_cast<int>(std::ceil(up_ports / spec.radix)));
        std::vector<VertexId> spine;
        for (int s = 0; s < spines; ++s)
            spine.push_back(graph.add_vertex(Vertex{VertexKind::network_switch, -1, s, 2, spec.plane}));
        for (int i = 0; i < leaves; ++i)
            for (VertexId s : spine)
                graph.add_duplex(leaf[static_cast<std::size_t>(i)], s, network,
                                 uplink[static_cast<std::size_t>(i)] / spines, hop);
        return;
    }
    // Three tiers: pods of radix/2 leaves, each with radix/2 aggregation switches.
    const int per_pod = spec.radix / 2;
    const int pods = (leaves + per_pod - 1) / per_pod;
    if (pods > spec.radix)
        throw std::invalid_argument("fabric: " + std::to_string(pods) + " pods exceed a core switch's " +
                                    std::to_string(spec.radix) + " ports");
    const int aggs = per_pod;
    std::vector<VertexId> core;
    if (pods > 1)
        for (int j = 0; j < aggs; ++j)
            core.push_back(graph.add_vertex(Vertex{VertexKind::network_switch, -1, j, 3, spec.plane}));
    for (int p = 0; p < pods; ++p) {
        std::vector<VertexId> agg;
        for (int j = 0; j < aggs; ++j)
            agg.push_back(graph.add_vertex(Vertex{VertexKind::network_switch, -1, p * aggs + j, 2, spec.plane}));
        units::Bandwidth agg_down;
        const int first = p * per_pod;
        const int last = std::min(leaves, first + per_pod);
        for (int i = first; i < last; ++i) {
            const units::Bandwidth bundle = uplink[static_cast<std::size_t>(i)] / aggs;
            agg_down += bundle;
            for (VertexId a : agg) graph.add_duplex(leaf[static_cast<std::size_t>(i)], a, network, bundle, hop);
        }
        // Non-blocking above the first tier: each aggregation switch sends up what it takes in.
        if (pods > 1)
            for (int j = 0; j < aggs; ++j)
                graph.add_duplex(agg[static_cast<std::size_t>(j)], core[static_cast<std::size_t>(j)], network, agg_down,
                                 hop);
    }
}

} // namespace tcsim::topology
