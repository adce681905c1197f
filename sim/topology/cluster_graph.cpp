// The graph lives in a Boost adjacency_list (bidirectional, so breadth-first search can run on
// the reversed graph from a destination); our own vectors hold the vertex and link records, so
// the rest of tcsim never sees a Boost type.
//
// Routing tables: one breadth-first search per destination leaf switch over the switch layer
// only (NICs and GPUs are never transit), cached. A 2,048-GPU multi-plane fabric has about a
// hundred switches, so the tables are small and built in microseconds each.
#include "topology/cluster_graph.hpp"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/filtered_graph.hpp>
#include <boost/graph/reverse_graph.hpp>

#include <algorithm>
#include <limits>
#include <map>
#include <stdexcept>
#include <string>
#include <unordered_map>

namespace tcsim::topology {

std::string_view to_string(VertexKind kind) {
    switch (kind) {
    case VertexKind::gpu: return "gpu";
    case VertexKind::nvswitch: return "nvswitch";
    case VertexKind::nic: return "nic";
    case VertexKind::network_switch: return "switch";
    }
    return "?";
}

std::string_view to_string(LinkKind kind) {
    switch (kind) {
    case LinkKind::nvlink: return "nvlink";
    case LinkKind::pcie: return "pcie";
    case LinkKind::network: return "network";
    }
    return "?";
}

namespace {

struct EdgeRecord {
    LinkId id = 0;
};
using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, boost::no_property, EdgeRecord>;

std::uint64_t mix(std::uint64_t z) {
    // SplitMix64 finaliser: a fixed, platform-independent hash.
    z += 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

std::uint64_t ecmp_hash(int src, int dst, VertexId at) {
    const auto key = (static_cast<std::uint64_t>(static_cast<std::uint32_t>(src)) << 32) |
                     static_cast<std::uint32_t>(dst);
    return mix(key ^ mix(at));
}

struct SwitchesOnly {
    const std::vector<Vertex>* vertices = nullptr;
    bool operator()(std::size_t v) const { return (*vertices)[v].kind == VertexKind::network_switch; }
};

} // namespace

struct ClusterGraph::Impl {
    Graph graph;
    std::vector<std::vector<VertexId>> nics_of_gpu;     ///< by GPU rank
    std::vector<VertexId> leaf_of_nic;                  ///< by vertex (NICs only meaningful)
    std::vector<VertexId> nvswitch_of_node;             ///< by node; max() = none
    std::vector<int> gpu_rank;                          ///< by vertex; -1 for non-GPUs
    mutable std::unordered_map<VertexId, std::vector<int>> distances;
};

namespace {
constexpr VertexId kNone = std::numeric_limits<VertexId>::max();
}

ClusterGraph::ClusterGraph() : impl_(std::make_unique<Impl>()) {}
ClusterGraph::~ClusterGraph() = default;
ClusterGraph::ClusterGraph(ClusterGraph&&) noexcept = default;
ClusterGraph& ClusterGraph::operator=(ClusterGraph&&) noexcept = default;

VertexId ClusterGraph::add_vertex(const Vertex& v) {
    const auto id = static_cast<VertexId>(boost::add_vertex(impl_->graph));
    vertices_.push_back(v);
    impl_->leaf_of_nic.push_back(kNone);
    impl_->gpu_rank.push_back(v.kind == VertexKind::gpu ? static_cast<int>(gpu_vertices_.size()) : -1);
    if (v.kind == VertexKind::gpu) {
        if (v.index < 0 || v.node < 0) throw std::invalid_argument("a GPU vertex needs its node and local index");
        gpu_vertices_.push_back(id);
        impl_->nics_of_gpu.emplace_back();
    }
    if (v.kind == VertexKind::nvswitch) {
        const auto node = static_cast<std::size_t>(v.node);
        if (impl_->nvswitch_of_node.size() <= node) impl_->nvswitch_of_node.resize(node + 1, kNone);
        impl_->nvswitch_of_node[node] = id;
    }
    impl_->distances.clear();
    return id;
}

LinkId ClusterGraph::add_link(VertexId from, VertexId to, LinkKind kind, units::Bandwidth bandwidth,
                              units::Seconds latency) {
    if (from >= vertices_.size() || to >= vertices_.size() || from == to)
        throw std::invalid_argument("add_link: bad endpoints");
    if (!(bandwidth.value() > 0)) throw std::invalid_argument("add_link: bandwidth must be positive");
    if (latency.count() < 0) throw std::invalid_argument("add_link: negative latency");
    const auto id = static_cast<LinkId>(links_.size());
    links_.push_back(Link{from, to, kind, bandwidth, latency});
    boost::add_edge(from, to, EdgeRecord{id}, impl_->graph);
    const Vertex& a = vertices_[from];
    const Vertex& b = vertices_[to];
    // Remember which GPU drives which NIC, and which leaf serves each NIC.
    if (a.kind == VertexKind::gpu && b.kind == VertexKind::nic) {
        impl_->nics_of_gpu[static_cast<std::size_t>(impl_->gpu_rank[from])].push_back(to);
    }
    if (a.kind == VertexKind::nic && b.kind == VertexKind::network_switch) {
        if (impl_->leaf_of_nic[from] != kNone && impl_->leaf_of_nic[from] != to)
            throw std::invalid_argument("a NIC port connects to one switch");
        impl_->leaf_of_nic[from] = to;
    }
    impl_->distances.clear();
    return id;
}

void ClusterGraph::add_duplex(VertexId a, VertexId b, LinkKind kind, units::Bandwidth bandwidth,
                              units::Seconds latency) {
    add_link(a, b, kind, bandwidth, latency);
    add_link(b, a, kind, bandwidth, latency);
}

std::span<const VertexId> ClusterGraph::nics_of(int g) const {
    return impl_->nics_of_gpu.at(static_cast<std::size_t>(g));
}

bool ClusterGraph::has_nvswitch(int node) const {
    const auto n = static_cast<std::size_t>(node);
    return n < impl_->nvswitch_of_node.size() && impl_->nvswitch_of_node[n] != kNone;
}

std::vector<LinkId> ClusterGraph::out_links(VertexId v) const {
    std::vector<LinkId> out;
    for (auto [it, end] = boost::out_edges(v, impl_->graph); it != end; ++it) out.push_back(impl_->graph[*it].id);
    return out;
}

LinkId ClusterGraph::link_between(VertexId a, VertexId b) const {
    const auto [e, found] = boost::edge(a, b, impl_->graph);
    if (!found)
        throw std::logic_error("no link from " + std::string(to_string(vertices_[a].kind)) + " to " +
                               std::string(to_string(vertices_[b].kind)));
    return impl_->graph[e].id;
}

VertexId ClusterGraph::leaf_of(VertexId nic) const { return impl_->leaf_of_nic[nic]; }

const std::vector<int>& ClusterGraph::distances_to(VertexId leaf) const {
    auto it = impl_->distances.find(leaf);
    if (it != impl_->distances.end()) return it->second;
    std::vector<int> dist(vertices_.size(), -1);
    dist[leaf] = 0;
    // Breadth-first search from the destination over reversed links, switches only.
    const auto reversed = boost::make_reverse_graph(impl_->graph);
    const boost::filtered_graph<decltype(reversed), boost::keep_all, SwitchesOnly> switches(
        reversed, boost::keep_all{}, SwitchesOnly{&vertices_});
    std::vector<boost::default_color_type> colors(vertices_.size());
    boost::breadth_first_search(
        switches, leaf,
        boost::visitor(boost::make_bfs_visitor(boost::record_distances(dist.data(), boost::on_tree_edge{})))
            .color_map(boost::make_iterator_property_map(colors.begin(), boost::get(boost::vertex_index, switches))));
    return impl_->distances.emplace(leaf, std::move(dist)).first->second;
}

void ClusterGraph::fabric_path(int src_gpu, int dst_gpu, VertexId from_leaf, VertexId to_leaf, double share, Ecmp ecmp,
                               std::vector<LinkShare>& out, double& latency) const {
    const std::vector<int>& dist = distances_to(to_leaf);
    // Shares arriving at each vertex of the current layer, in vertex order (deterministic).
    std::map<VertexId, double> layer{{from_leaf, share}};
    double path_latency = 0.0;
    while (!(layer.size() == 1 && layer.begin()->first == to_leaf)) {
        std::map<VertexId, double> next;
        double hop_latency = 0.0;
        for (const auto& [at, s] : layer) {
            const int d = dist[at];
            std::vector<std::pair<VertexId, LinkId>> hops;
            for (auto [it, end] = boost::out_edges(at, impl_->graph); it != end; ++it) {
                const auto to = static_cast<VertexId>(boost::target(*it, impl_->graph));
                if (vertices_[to].kind == VertexKind::network_switch && dist[to] == d - 1)
                    hops.emplace_back(to, impl_->graph[*it].id);
            }
            if (hops.empty()) throw std::logic_error("routing table has no next hop");
            if (ecmp == Ecmp::hashed) {
                const auto& [to, link] = hops[ecmp_hash(src_gpu, dst_gpu, at) % hops.size()];
                out.push_back(LinkShare{link, s});
                next[to] += s;
                hop_latency = std::max(hop_latency, links_[link].latency.count());
            } else {
                const double part = s / static_cast<double>(hops.size());
                for (const auto& [to, link] : hops) {
                    out.push_back(LinkShare{link, part});
                    next[to] += part;
                    hop_latency = std::max(hop_latency, links_[link].latency.count());
                }
            }
        }
        path_latency += hop_latency;
        layer = std::move(next);
    }
    latency += path_latency;
}

Route ClusterGraph::route(int src_gpu, int dst_gpu, Ecmp ecmp) const {
    if (src_gpu < 0 || dst_gpu < 0 || src_gpu >= gpus() || dst_gpu >= gpus())
        throw std::invalid_argument("route: GPU out of range");
    if (src_gpu == dst_gpu) return {};
    const VertexId s = gpu(src_gpu);
    const VertexId t = gpu(dst_gpu);
    const int src_node = vertices_[s].node;
    const int dst_node = vertices_[t].node;
    Route r;
    double latency = 0.0;
    auto take = [&](VertexId a, VertexId b, double share) {
        const LinkId l = link_between(a, b);
        r.links.push_back(LinkShare{l, share});
        return links_[l].latency.count();
    };
    if (src_node == dst_node) {
        if (!has_nvswitch(src_node))
            throw std::invalid_argument("route: node " + std::to_string(src_node) + " has no NVLink switch");
        const VertexId sw = impl_->nvswitch_of_node[static_cast<std::size_t>(src_node)];
        latency += take(s, sw, 1.0);
        latency += take(sw, t, 1.0);
        r.latency = units::Seconds(latency);
        return r;
    }
    // NIC pairs at the least switch-hop distance.
    const auto src_nics = nics_of(src_gpu);
    const auto dst_nics = nics_of(dst_gpu);
    int best = std::numeric_limits<int>::max();
    std::vector<std::pair<VertexId, VertexId>> pairs;
    for (VertexId a : src_nics) {
        for (VertexId b : dst_nics) {
            const VertexId la = leaf_of(a);
            const VertexId lb = leaf_of(b);
            if (la == kNone || lb == kNone) continue;
            const int d = distances_to(lb)[la];
            if (d < 0) continue;
            if (d < best) {
                best = d;
                pairs.clear();
            }
            if (d == best) pairs.emplace_back(a, b);
        }
    }
    if (pairs.empty()) {
        // PXN: cross NVLink to a GPU of this node whose NIC reaches the destination.
        if (!has_nvswitch(src_node))
            throw std::invalid_argument("route: GPU " + std::to_string(dst_gpu) + " unreachable from GPU " +
                                        std::to_string(src_gpu));
        const int first = src_gpu - vertices_[s].index;
        const int local_count = [&] {
            int n = 0;
            while (first + n < gpus() && node_of(first + n) == src_node) ++n;
            return n;
        }();
        const int preferred = vertices_[t].index;
        std::vector<int> order;
        if (preferred < local_count) order.push_back(first + preferred);
        for (int i = 0; i < local_count; ++i)
            if (i != preferred) order.push_back(first + i);
        for (int via : order) {
            if (via == src_gpu) continue;
            bool reaches = false;
            for (VertexId a : nics_of(via))
                for (VertexId b : dst_nics)
                    if (leaf_of(a) != kNone && leaf_of(b) != kNone && distances_to(leaf_of(b))[leaf_of(a)] >= 0)
                        reaches = true;
            if (!reaches) continue;
            Route rest = route(via, dst_gpu, ecmp);
            const VertexId sw = impl_->nvswitch_of_node[static_cast<std::size_t>(src_node)];
            latency += take(s, sw, 1.0);
            latency += take(sw, gpu(via), 1.0);
            r.links.insert(r.links.end(), rest.links.begin(), rest.links.end());
            r.latency = units::Seconds(latency + rest.latency.count());
            return r;
        }
        throw std::invalid_argument("route: GPU " + std::to_string(dst_gpu) + " unreachable from GPU " +
                                    std::to_string(src_gpu));
    }
    std::vector<std::pair<VertexId, VertexId>> chosen;
    if (ecmp == Ecmp::hashed || pairs.size() == 1)
        chosen.push_back(pairs[ecmp_hash(src_gpu, dst_gpu, s) % pairs.size()]);
    else
        chosen = pairs;
    const double share = 1.0 / static_cast<double>(chosen.size());
    double worst = 0.0;
    for (const auto& [a, b] : chosen) {
        double l = 0.0;
        l += take(s, a, share);
        l += take(a, leaf_of(a), share);
        fabric_path(src_gpu, dst_gpu, leaf_of(a), leaf_of(b), share, ecmp, r.links, l);
        l += take(leaf_of(b), b, share);
        l += take(b, t, share);
        worst = std::max(worst, l);
    }
    // One entry per link: merge the shares of paths that meet.
    std::sort(r.links.begin(), r.links.end(), [](const LinkShare& x, const LinkShare& y) { return x.link < y.link; });
    std::vector<LinkShare> merged;
    for (const LinkShare& ls : r.links) {
        if (!merged.empty() && merged.back().link == ls.link)
            merged.back().share += ls.share;
        else
            merged.push_back(ls);
    }
    r.links = std::move(merged);
    r.latency = units::Seconds(worst);
    return r;
}

} // namespace tcsim::topology
