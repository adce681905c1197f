// The graph as plain vectors (cluster_graph.hpp); routing itself is the router's (router.hpp).
#include "topology/cluster_graph.hpp"

#include "topology/shortest_path_router.hpp"

#include <limits>
#include <stdexcept>
#include <string>

namespace tcsim::topology {

namespace {
constexpr VertexId kNone = std::numeric_limits<VertexId>::max();
} // namespace

std::string_view to_string(VertexKind kind) {
    switch (kind) {
    case VertexKind::accelerator: return "accelerator";
    case VertexKind::scale_up_switch: return "scale-up switch";
    case VertexKind::nic: return "nic";
    case VertexKind::network_switch: return "switch";
    }
    return "?";
}

ClusterGraph::ClusterGraph() : router_(std::make_unique<ShortestPathRouter>()) {}
ClusterGraph::~ClusterGraph() = default;
ClusterGraph::ClusterGraph(ClusterGraph&&) noexcept = default;
ClusterGraph& ClusterGraph::operator=(ClusterGraph&&) noexcept = default;

void ClusterGraph::set_router(std::unique_ptr<Router> router) {
    if (!router) throw std::invalid_argument("set_router: no router");
    router_ = std::move(router);
}

VertexId ClusterGraph::add_vertex(const Vertex& v) {
    const auto id = static_cast<VertexId>(vertices_.size());
    vertices_.push_back(v);
    out_links_.emplace_back();
    switch_of_nic_.push_back(kNone);
    gpu_rank_.push_back(v.kind == VertexKind::accelerator ? static_cast<int>(gpu_vertices_.size()) : -1);
    if (v.kind == VertexKind::accelerator) {
        if (v.index < 0 || v.node < 0) throw std::invalid_argument("a GPU vertex needs its node and local index");
        gpu_vertices_.push_back(id);
        nics_of_gpu_.emplace_back();
    }
    if (v.kind == VertexKind::scale_up_switch) {
        const auto node = static_cast<std::size_t>(v.node);
        if (scale_up_switch_of_node_.size() <= node) scale_up_switch_of_node_.resize(node + 1, kNone);
        scale_up_switch_of_node_[node] = id;
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
    out_links_[from].push_back(id);
    const Vertex& a = vertices_[from];
    const Vertex& b = vertices_[to];
    // Remember which accelerator drives which NIC, and which switch serves each NIC.
    if (a.kind == VertexKind::accelerator && b.kind == VertexKind::nic) {
        nics_of_gpu_[static_cast<std::size_t>(gpu_rank_[from])].push_back(to);
    }
    if (a.kind == VertexKind::nic && b.kind == VertexKind::network_switch) {
        if (switch_of_nic_[from] != kNone && switch_of_nic_[from] != to)
            throw std::invalid_argument("a NIC port connects to one switch");
        switch_of_nic_[from] = to;
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
    const auto& nics = nics_of_gpu_.at(static_cast<std::size_t>(g));
    return {nics.data(), nics.size()};
}

std::optional<VertexId> ClusterGraph::switch_of_nic(VertexId nic) const {
    const VertexId s = switch_of_nic_.at(nic);
    if (s == kNone) return std::nullopt;
    return s;
}

std::optional<VertexId> ClusterGraph::scale_up_switch(int node) const {
    const auto n = static_cast<std::size_t>(node);
    if (node < 0 || n >= scale_up_switch_of_node_.size() || scale_up_switch_of_node_[n] == kNone)
        return std::nullopt;
    return scale_up_switch_of_node_[n];
}

LinkId ClusterGraph::link_between(VertexId a, VertexId b) const {
    // The first link from a to b in the order added: every route takes a few of these.
    for (const LinkId l : out_links_.at(a))
        if (links_[l].to == b) return l;
    throw std::logic_error("no link from " + std::string(to_string(vertices_[a].kind)) + " to " +
                           std::string(to_string(vertices_[b].kind)));
}

Route ClusterGraph::route(int src_gpu, int dst_gpu, Ecmp ecmp) const {
    return router_->route(*this, src_gpu, dst_gpu, ecmp);
}

} // namespace tcsim::topology
