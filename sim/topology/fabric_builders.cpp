#include "topology/fabric_builders.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
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

int down_ports(const ClosSpec& spec) { return spec.tiers == 1 ? spec.radix : spec.radix / 2; }

void check(const ClosSpec& spec) {
    if (spec.tiers < 1 || spec.tiers > 3)
        throw std::invalid_argument("fabric: " + std::to_string(spec.tiers) + " tiers (1, 2 or 3 supported)");
    if (spec.radix < 2) throw std::invalid_argument("fabric: switch radix " + std::to_string(spec.radix) + " < 2");
    if (!(spec.oversubscription >= 1.0))
        throw std::invalid_argument("fabric: oversubscription " + std::to_string(spec.oversubscription) + " < 1");
    if (!(spec.port_bandwidth.value() > 0)) throw std::invalid_argument("fabric: port bandwidth must be positive");
}

/// Splits `nics` into groups of at most `per_leaf`, in order.
std::vector<std::vector<VertexId>> chunk(const std::vector<VertexId>& nics, int per_leaf) {
    std::vector<std::vector<VertexId>> groups;
    for (std::size_t i = 0; i < nics.size(); i += static_cast<std::size_t>(per_leaf)) {
        const auto end = std::min(nics.size(), i + static_cast<std::size_t>(per_leaf));
        groups.emplace_back(nics.begin() + static_cast<std::ptrdiff_t>(i), nics.begin() + static_cast<std::ptrdiff_t>(end));
    }
    return groups;
}

} // namespace

units::Seconds host_link_latency(units::Seconds end_to_end, int tiers) {
    const double switch_part = 2.0 * (tiers - 1) * switch_link_latency(end_to_end, tiers).count();
    return units::Seconds(std::max(0.0, end_to_end.count() - switch_part) / 4.0);
}

std::vector<VertexId> add_node(ClusterGraph& graph, int node, const NvlinkDomainSpec& domain, const NicSpec& nics,
                               units::Seconds host_latency) {
    if (domain.gpus < 1) throw std::invalid_argument("node: " + std::to_string(domain.gpus) + " GPUs");
    if (graph.gpus() != node * domain.gpus)
        throw std::invalid_argument("node " + std::to_string(node) + " added out of order");
    std::vector<VertexId> gpus;
    for (int i = 0; i < domain.gpus; ++i) gpus.push_back(graph.add_vertex(Vertex{VertexKind::gpu, node, i, 0, 0}));
    if (domain.gpus > 1) {
        if (!(domain.nvlink_per_direction.value() > 0))
            throw std::invalid_argument("node: " + std::to_string(domain.gpus) + " GPUs but no NVLink bandwidth");
        const VertexId sw = graph.add_vertex(Vertex{VertexKind::nvswitch, node, 0, 0, 0});
        const units::Seconds half(domain.latency.count() / 2.0);
        for (VertexId g : gpus) graph.add_duplex(g, sw, LinkKind::nvlink, domain.nvlink_per_direction, half);
    }
    std::vector<VertexId> out;
    if (nics.count == 0) return out;
    if (nics.count < 0 || (nics.count < domain.gpus && domain.gpus % nics.count != 0) ||
        (nics.count >= domain.gpus && nics.count % domain.gpus != 0))
        throw std::invalid_argument("node: " + std::to_string(nics.count) + " NICs cannot be shared evenly by " +
                                    std::to_string(domain.gpus) + " GPUs");
    // PCIe is not a bottleneck for the NICs modelled (Gen5 x16: 64 GB/s per direction, above a
    // 400 Gb/s NIC's 50 GB/s): the link carries the NIC's own rate times the GPUs sharing it.
    const int gpus_per_nic = std::max(1, domain.gpus / nics.count);
    const int nics_per_gpu = std::max(1, nics.count / domain.gpus);
    for (int j = 0; j < nics.count; ++j) out.push_back(graph.add_vertex(Vertex{VertexKind::nic, node, j, 0, 0}));
    for (int i = 0; i < domain.gpus; ++i) {
        for (int k = 0; k < nics_per_gpu; ++k) {
            const int j = nics.count >= domain.gpus ? i * nics_per_gpu + k : i / gpus_per_nic;
            graph.add_duplex(gpus[static_cast<std::size_t>(i)], out[static_cast<std::size_t>(j)], LinkKind::pcie,
                             nics.bandwidth * static_cast<double>(gpus_per_nic), host_latency);
        }
    }
    return out;
}

void add_clos(ClusterGraph& graph, const std::vector<std::vector<VertexId>>& leaf_groups, const ClosSpec& spec) {
    check(spec);
    const int leaves = static_cast<int>(leaf_groups.size());
    if (leaves == 0) return;
    const units::Seconds host = host_link_latency(spec.end_to_end_latency, spec.tiers);
    const units::Seconds hop = switch_link_latency(spec.end_to_end_latency, spec.tiers);
    const int down = down_ports(spec);
    std::vector<VertexId> leaf;
    std::vector<units::Bandwidth> uplink;  // per leaf: its uplink capacity
    for (int i = 0; i < leaves; ++i) {
        const auto& group = leaf_groups[static_cast<std::size_t>(i)];
        if (static_cast<int>(group.size()) > down)
            throw std::invalid_argument("fabric: " + std::to_string(group.size()) + " NICs on a leaf with " +
                                        std::to_string(down) + " down ports");
        const VertexId sw = graph.add_vertex(Vertex{VertexKind::network_switch, -1, i, 1, spec.plane});
        for (VertexId nic : group) {
            graph.add_duplex(nic, sw, LinkKind::network, spec.port_bandwidth, host);
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
            up_ports += std::ceil(static_cast<double>(leaf_groups[static_cast<std::size_t>(i)].size()) / spec.oversubscription);
        const int spines = std::max(1, static_cast<int>(std::ceil(up_ports / spec.radix)));
        std::vector<VertexId> spine;
        for (int s = 0; s < spines; ++s)
            spine.push_back(graph.add_vertex(Vertex{VertexKind::network_switch, -1, s, 2, spec.plane}));
        for (int i = 0; i < leaves; ++i)
            for (VertexId s : spine)
                graph.add_duplex(leaf[static_cast<std::size_t>(i)], s, LinkKind::network,
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
        for (int j = 0; j < aggs; ++j) core.push_back(graph.add_vertex(Vertex{VertexKind::network_switch, -1, j, 3, spec.plane}));
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
            for (VertexId a : agg) graph.add_duplex(leaf[static_cast<std::size_t>(i)], a, LinkKind::network, bundle, hop);
        }
        // Non-blocking above the first tier: each aggregation switch sends up what it takes in.
        if (pods > 1)
            for (int j = 0; j < aggs; ++j)
                graph.add_duplex(agg[static_cast<std::size_t>(j)], core[static_cast<std::size_t>(j)], LinkKind::network,
                                 agg_down, hop);
    }
}

void add_fat_tree(ClusterGraph& graph, const std::vector<std::vector<VertexId>>& nics_by_node, const ClosSpec& spec) {
    check(spec);
    std::vector<VertexId> all;
    for (const auto& node : nics_by_node) all.insert(all.end(), node.begin(), node.end());
    add_clos(graph, chunk(all, down_ports(spec)), spec);
}

void add_rail_optimized(ClusterGraph& graph, const std::vector<std::vector<VertexId>>& nics_by_node,
                        const ClosSpec& spec) {
    check(spec);
    if (nics_by_node.empty()) return;
    const std::size_t rails = nics_by_node.front().size();
    std::vector<std::vector<VertexId>> groups;
    for (std::size_t r = 0; r < rails; ++r) {
        std::vector<VertexId> rail;
        for (const auto& node : nics_by_node) rail.push_back(node.at(r));
        for (auto& g : chunk(rail, down_ports(spec))) groups.push_back(std::move(g));
    }
    add_clos(graph, groups, spec);
}

void add_multi_plane(ClusterGraph& graph, const std::vector<std::vector<VertexId>>& nics_by_node, int planes,
                     const ClosSpec& spec) {
    check(spec);
    if (nics_by_node.empty()) return;
    const int per_node = static_cast<int>(nics_by_node.front().size());
    if (planes < 1 || per_node % planes != 0)
        throw std::invalid_argument("fabric: " + std::to_string(planes) + " planes do not divide " +
                                    std::to_string(per_node) + " NICs per node");
    for (int p = 0; p < planes; ++p) {
        std::vector<VertexId> plane_nics;
        for (const auto& node : nics_by_node)
            for (int i = p; i < per_node; i += planes) plane_nics.push_back(node[static_cast<std::size_t>(i)]);
        ClosSpec s = spec;
        s.plane = p;
        add_clos(graph, chunk(plane_nics, down_ports(spec)), s);
    }
}

ClusterGraph build_cluster_graph(const ClusterSpec& cluster) {
    if (cluster.nodes < 1 || cluster.gpus_per_node < 1)
        throw std::invalid_argument("cluster " + cluster.name + ": needs at least one node and one GPU per node");
    ClusterGraph graph;
    const FabricSpec& f = cluster.fabric;
    const units::Seconds host = host_link_latency(f.latency, std::max(1, f.tiers));
    const NvlinkDomainSpec domain{cluster.gpus_per_node, cluster.nvlink_per_direction, cluster.nvlink_latency};
    const NicSpec nics{cluster.nodes > 1 ? cluster.nics_per_node : 0, cluster.nic_bandwidth};
    if (cluster.nodes > 1 && (cluster.nics_per_node < 1 || !(cluster.nic_bandwidth.value() > 0)))
        throw std::invalid_argument("cluster " + cluster.name + ": " + std::to_string(cluster.nodes) +
                                    " nodes but no scale-out NICs");
    std::vector<std::vector<VertexId>> nics_by_node;
    for (int n = 0; n < cluster.nodes; ++n) nics_by_node.push_back(add_node(graph, n, domain, nics, host));
    if (cluster.nodes == 1) return graph;
    ClosSpec clos{f.tiers, f.switch_radix, f.oversubscription, cluster.nic_bandwidth, f.latency, 0};
    switch (f.kind) {
    case FabricKind::fat_tree: add_fat_tree(graph, nics_by_node, clos); break;
    case FabricKind::rail_optimized: add_rail_optimized(graph, nics_by_node, clos); break;
    case FabricKind::multi_plane: add_multi_plane(graph, nics_by_node, std::max(1, f.planes), clos); break;
    }
    return graph;
}

} // namespace tcsim::topology
