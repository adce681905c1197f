// The graph lives in a Boost adjacency_list (bidirectional, so breadth-first search can run on
// the reversed graph from a destination); our own vectors hold the vertex and link records, so
// the rest of tcsim never sees a Boost type. Routing itself is the router's (router.hpp).
#include "topology/cluster_graph.hpp"

#include "topology/shortest_path_router.hpp"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/filtered_graph.hpp>
#include <boost/graph/reverse_graph.hpp>

#include <limits>
#include <stdexcept>
#include <string>

namespace tcsim::topology {

std::string_view to_string(VertexKind kind) {
    switch (kind) {
    case VertexKind::accelerator: return "accelerator";
    case VertexKind::scale_up_switch: return "scale-up switch";
    case VertexKind::nic: return "nic";
    case VertexKind::network_switch: return "switch";
    }
    return "?";
}

namespace {

struct EdgeRecord {
    LinkId id = 0;
};
// The edge list a vector (EdgeListS = vecS) rather than Boost's default std::list: links are
// only ever added, and a list node per link was an allocation each to build and a free each to
// destroy (a 25K-GPU cluster's graph has hundreds of thousands of links; issue 18). Out- and
// in-edge lists keep the order links were added either way, so searches visit them alike.
using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, boost::no_property, EdgeRecord,
                                    boost::no_property, boost::vecS>;

constexpr VertexId kNone = std::numeric_limits<VertexId>::max();

struct Through {
    const std::vector<Vertex>* vertices = nullptr;
    const std::function<bool(const Vertex&)>* keep = nullptr;
    bool operator()(std::size_t v) const { return (*keep)((*vertices)[v]); }
};

} // namespace

struct ClusterGraph::Impl {
    Graph graph;
    std::vector<std::vector<VertexId>> nics_of_gpu; ///< by accelerator rank
    std::vector<VertexId> switch_of_nic;            ///< by vertex (NICs only meaningful)
    std::vector<VertexId> scale_up_switch_of_node;  ///< by node; kNone = none
    std::vector<int> gpu_rank;                      ///< by vertex; -1 for other vertices
};

ClusterGraph::ClusterGraph() : impl_(std::make_unique<Impl>()), router_(std::make_unique<ShortestPathRouter>()) {}
ClusterGraph::~ClusterGraph() = default;
ClusterGraph::ClusterGraph(ClusterGraph&&) noexcept = default;
ClusterGraph& ClusterGraph::operator=(ClusterGraph&&) noexcept = default;

void ClusterGraph::set_router(std::unique_ptr<Router> router) {
    if (!router) throw std::invalid_argument("set_router: no router");
    router_ = std::move(router);
}

VertexId ClusterGraph::add_vertex(const Vertex& v) {
    const auto id = static_cast<VertexId>(boost::add_vertex(impl_->graph));
    vertices_.push_back(v);
    out_links_.emplace_back();
    impl_->switch_of_nic.push_back(kNone);
    impl_->gpu_rank.push_back(v.kind == VertexKind::accelerator ? static_cast<int>(gpu_vertices_.size()) : -1);
    if (v.kind == VertexKind::accelerator) {
        if (v.index < 0 || v.node < 0) throw std::invalid_argument("a GPU vertex needs its node and local index");
        gpu_vertices_.push_back(id);
        impl_->nics_of_gpu.emplace_back();
    }
    if (v.kind == VertexKind::scale_up_switch) {
        const auto node = static_cast<std::size_t>(v.node);
        if (impl_->scale_up_switch_of_node.size() <= node) impl_->scale_up_switch_of_node.resize(node + 1, kNone);
        impl_->scale_up_switch_of_node[node] = id;
    }
    router_->forget();
    return id;
}

LinkId ClusterGraph::add_link(VertexId from, VertexId to, hardware::LinkClass link_class, units::Bandwidth bandwidth,
                              units::Seconds latency) {
    if (from >= vertices_.size() || to >= vertices_.size() || from == to)
        throw std::invalid_argument("add_link: bad endpoints");
    if (!(bandwidth.value() > 0)) throw std::invalid_argument("add_link: bandwidth must be positive");
    if (latency.count() < 0) throw std::invalid_argument("add_link: negative latency");
    const auto id = static_cast<LinkId>(links_.size());
    links_.push_back(Link{from, to, link_class, bandwidth, latency});
    boost::add_edge(from, to, EdgeRecord{id}, impl_->graph);
    out_links_[from].push_back(id);
    const Vertex& a = vertices_[from];
    const Vertex& b = vertices_[to];
    // Remember which accelerator drives which NIC, and which switch serves each NIC.
    if (a.kind == VertexKind::accelerator && b.kind == VertexKind::nic) {
        impl_->nics_of_gpu[static_cast<std::size_t>(impl_->gpu_rank[from])].push_back(to);
    }
    if (a.kind == VertexKind::nic && b.kind == VertexKind::network_switch) {
        if (impl_->switch_of_nic[from] != kNone && impl_->switch_of_nic[from] != to)
            throw std::invalid_argument("a NIC port connects to one switch");
        impl_->switch_of_nic[from] = to;
    }
    router_->forget();
    return id;
}

void ClusterGraph::add_duplex(VertexId a, VertexId b, hardware::LinkClass link_class, units::Bandwidth bandwidth,
                              units::Seconds latency) {
    add_link(a, b, link_class, bandwidth, latency);
    add_link(b, a, link_class, bandwidth, latency);
}

std::span<const VertexId> ClusterGraph::nics_of(int g) const {
    return impl_->nics_of_gpu.at(static_cast<std::size_t>(g));
}

std::optional<VertexId> ClusterGraph::switch_of_nic(VertexId nic) const {
    const VertexId s = impl_->switch_of_nic.at(nic);
    if (s == kNone) return std::nullopt;
    return s;
}

std::optional<VertexId> ClusterGraph::scale_up_switch(int node) const {
    const auto n = static_cast<std::size_t>(node);
    if (node < 0 || n >= impl_->scale_up_switch_of_node.size() || impl_->scale_up_switch_of_node[n] == kNone)
        return std::nullopt;
    return impl_->scale_up_switch_of_node[n];
}

LinkId ClusterGraph::link_between(VertexId a, VertexId b) const {
    // The first link from a to b in the order added, as boost::edge finds it on a vecS out-edge
    // list, without Boost's edge descriptors: every route takes a few of these.
    for (const LinkId l : out_links_.at(a))
        if (links_[l].to == b) return l;
    throw std::logic_error("no link from " + std::string(to_string(vertices_[a].kind)) + " to " +
                           std::string(to_string(vertices_[b].kind)));
}

std::vector<int> ClusterGraph::hop_distances(VertexId target, const std::function<bool(const Vertex&)>& through) const {
    std::vector<int> dist(vertices_.size(), -1);
    dist[target] = 0;
    // Breadth-first search from the target over reversed links, filtered vertices only.
    const auto reversed = boost::make_reverse_graph(impl_->graph);
    const boost::filtered_graph<decltype(reversed), boost::keep_all, Through> kept(reversed, boost::keep_all{},
                                                                                   Through{&vertices_, &through});
    std::vector<boost::default_color_type> colors(vertices_.size());
    boost::breadth_first_search(
        kept, target,
        boost::visitor(boost::make_bfs_visitor(boost::record_distances(dist.data(), boost::on_tree_edge{})))
            .color_map(boost::make_iterator_property_map(colors.begin(), boost::get(boost::vertex_index, kept))));
    return dist;
}

Route ClusterGraph::route(int src_gpu, int dst_gpu, Ecmp ecmp) const {
    return router_->route(*this, src_gpu, dst_gpu, ecmp);
}

} // namespace tcsim::topology
