// Routing tables: one breadth-first search per destination leaf switch over the switch layer
// only (NICs and accelerators are never transit), cached as one 16-bit distance per switch. A
// 2,048-GPU multi-plane fabric has about a hundred switches, a 131,072-GPU one a few thousand, so
// a table is a few kilobytes and built in microseconds.
#include "topology/shortest_path_router.hpp"

#include "topology/cluster_graph.hpp"

#include <boost/container/small_vector.hpp>

#include <algorithm>
#include <array>
#include <cstring>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>

namespace tcsim::topology {

namespace {

std::uint64_t mix(std::uint64_t z) {
    // SplitMix64 finaliser: a fixed, platform-independent hash.
    z += 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

std::uint64_t ecmp_hash(int src, int dst, VertexId at) {
    const auto key =
        (static_cast<std::uint64_t>(static_cast<std::uint32_t>(src)) << 32) | static_cast<std::uint32_t>(dst);
    return mix(key ^ mix(at));
}

bool is_switch(const Vertex& v) { return v.kind == VertexKind::network_switch; }

} // namespace

void ShortestPathRouter::index_switches(const ClusterGraph& graph) const {
    if (indexed_.load(std::memory_order_relaxed)) return;
    slot_.assign(graph.vertex_count(), -1);
    std::int32_t n = 0;
    for (VertexId v = 0; v < graph.vertex_count(); ++v)
        if (is_switch(graph.vertex(v))) slot_[v] = n++;
    reverse_.assign(static_cast<std::size_t>(n), {});
    for (const Link& l : graph.links())
        if (slot_[l.from] >= 0 && slot_[l.to] >= 0)
            reverse_[static_cast<std::size_t>(slot_[l.to])].push_back(slot_[l.from]);
    down_.assign(graph.vertex_count(), 0);
    for (LinkId l = 0; l < graph.link_count(); ++l) {
        const Link& link = graph.link(l);
        if (slot_[link.from] >= 0 && graph.vertex(link.to).kind == VertexKind::nic) down_[link.to] = l;
    }
    up_.assign(graph.vertex_count(), 0);
    leaf_.assign(graph.vertex_count(), kNoLeaf);
    for (VertexId v = 0; v < graph.vertex_count(); ++v) {
        if (graph.vertex(v).kind != VertexKind::nic) continue;
        if (const auto leaf = graph.switch_of_nic(v)) {
            leaf_[v] = *leaf;
            up_[v] = graph.link_between(v, *leaf);
        }
    }
    nic_links_from_.assign(static_cast<std::size_t>(graph.gpus()) + 1, 0);
    gpu_to_nic_.clear();
    nic_to_gpu_.clear();
    for (int g = 0; g < graph.gpus(); ++g) {
        const VertexId gpu = graph.gpu(g);
        for (const VertexId nic : graph.nics_of(g)) {
            auto first = [&](VertexId from, VertexId to) {
                for (const LinkId l : graph.out_links(from))
                    if (graph.link(l).to == to) return l;
                return kNoLink;
            };
            gpu_to_nic_.push_back(first(gpu, nic));
            nic_to_gpu_.push_back(first(nic, gpu));
        }
        nic_links_from_[static_cast<std::size_t>(g) + 1] = static_cast<std::uint32_t>(gpu_to_nic_.size());
    }
    forward_.assign(static_cast<std::size_t>(n), {});
    for (VertexId v = 0; v < graph.vertex_count(); ++v) {
        if (slot_[v] < 0) continue;
        auto& hops = forward_[static_cast<std::size_t>(slot_[v])];
        for (const LinkId l : graph.out_links(v))
            if (const std::int32_t to = slot_[graph.link(l).to]; to >= 0)
                hops.push_back(Hop{to, graph.link(l).to, l, graph.link(l).latency.count()});
    }
    tables_ = std::make_unique<std::atomic<const Distances*>[]>(static_cast<std::size_t>(n));
    for (std::int32_t i = 0; i < n; ++i) tables_[static_cast<std::size_t>(i)].store(nullptr, std::memory_order_relaxed);
    owned_.clear();
    indexed_.store(true, std::memory_order_release);
}

const ShortestPathRouter::Distances& ShortestPathRouter::distances_to(const ClusterGraph& graph, VertexId leaf) const {
    ensure_indexed(graph);
    const std::int32_t start = slot_[leaf];
    if (start < 0) throw std::logic_error("routing: a NIC's port is not on a network switch");
    std::atomic<const Distances*>& table = tables_[static_cast<std::size_t>(start)];
    if (const Distances* built = table.load(std::memory_order_acquire)) return *built;
    const std::lock_guard lock(mutex_);
    if (const Distances* built = table.load(std::memory_order_relaxed)) return *built;
    // Breadth-first search from the leaf over reversed switch-to-switch links.
    auto dist = std::make_unique<Distances>(reverse_.size(), -1);
    std::vector<std::int32_t> queue;
    queue.reserve(reverse_.size());
    (*dist)[static_cast<std::size_t>(start)] = 0;
    queue.push_back(start);
    for (std::size_t head = 0; head < queue.size(); ++head) {
        const std::int32_t at = queue[head];
        const auto d = (*dist)[static_cast<std::size_t>(at)];
        for (const std::int32_t from : reverse_[static_cast<std::size_t>(at)]) {
            if ((*dist)[static_cast<std::size_t>(from)] >= 0) continue;
            (*dist)[static_cast<std::size_t>(from)] = static_cast<std::int16_t>(d + 1);
            queue.push_back(from);
        }
    }
    const Distances* built = dist.get();
    owned_.push_back(std::move(dist));
    table.store(built, std::memory_order_release);
    return *built;
}

void ShortestPathRouter::fabric_path(const ClusterGraph& graph, int src_gpu, int dst_gpu, VertexId from_leaf,
                                     VertexId to_leaf, double share, Ecmp ecmp, std::vector<LinkShare>& out,
                                     double& latency) const {
    const Distances& dist = distances_to(graph, to_leaf);
    if (ecmp == Ecmp::hashed) {
        // One path: at each switch, the hashed one of the next hops one step nearer, in link
        // order. Only links to other switches can be nearer. The candidates are gathered in one
        // pass (a switch of more ports than the buffer counts them, then walks to its pick).
        constexpr std::size_t kBuffer = 128;
        std::array<const Hop*, kBuffer> candidates{};
        double path_latency = 0.0;
        VertexId at = from_leaf;
        std::int32_t at_slot = slot_[from_leaf];
        while (at != to_leaf) {
            const int d = dist[static_cast<std::size_t>(at_slot)];
            const std::vector<Hop>& hops = forward_[static_cast<std::size_t>(at_slot)];
            std::size_t count = 0;
            for (const Hop& h : hops)
                if (dist[static_cast<std::size_t>(h.to)] == d - 1) {
                    if (count < kBuffer) candidates[count] = &h;
                    ++count;
                }
            if (count == 0) throw std::logic_error("routing table has no next hop");
            std::size_t pick = ecmp_hash(src_gpu, dst_gpu, at) % count;
            const Hop* chosen = nullptr;
            if (pick < kBuffer) {
                chosen = candidates[pick];
            } else {
                for (const Hop& h : hops) {
                    if (dist[static_cast<std::size_t>(h.to)] != d - 1) continue;
                    if (pick-- != 0) continue;
                    chosen = &h;
                    break;
                }
            }
            out.push_back(LinkShare{chosen->link, share});
            path_latency += chosen->latency;
            at = chosen->vertex;
            at_slot = chosen->to;
        }
        latency += path_latency;
        return;
    }
    // Shares arriving at each vertex of the current layer, in vertex order (deterministic); a
    // flat list, sorted and merged per layer (shares of one vertex summed in arrival order: the
    // sort is on (vertex, arrival), a stable sort by vertex that needs no buffer). On the stack
    // for a layer of a few tiers of radix-64 switches: every flow of a collective spread over a
    // fat tree comes here, and allocating per call was a tenth of routing's time.
    boost::container::small_vector<std::pair<VertexId, double>, 64> layer;
    struct Arrival {
        VertexId vertex = 0;
        std::uint32_t order = 0; ///< arrival within the layer
        double share = 0;
    };
    boost::container::small_vector<Arrival, 512> next;
    boost::container::small_vector<const Hop*, 64> hops;
    layer.emplace_back(from_leaf, share);
    double path_latency = 0.0;
    while (!(layer.size() == 1 && layer.front().first == to_leaf)) {
        next.clear();
        double hop_latency = 0.0;
        for (const auto& [at, s] : layer) {
            const std::int32_t at_slot = slot_[at];
            const int d = dist[static_cast<std::size_t>(at_slot)];
            hops.clear();
            for (const Hop& h : forward_[static_cast<std::size_t>(at_slot)])
                if (dist[static_cast<std::size_t>(h.to)] == d - 1) hops.push_back(&h);
            if (hops.empty()) throw std::logic_error("routing table has no next hop");
            // Ecmp::spread (hashed returned above): the share split evenly over the next hops.
            const double part = s / static_cast<double>(hops.size());
            for (const Hop* h : hops) {
                out.push_back(LinkShare{h->link, part});
                next.push_back(Arrival{h->vertex, static_cast<std::uint32_t>(next.size()), part});
                hop_latency = std::max(hop_latency, h->latency);
            }
        }
        path_latency += hop_latency;
        std::sort(next.begin(), next.end(), [](const Arrival& x, const Arrival& y) {
            return x.vertex != y.vertex ? x.vertex < y.vertex : x.order < y.order;
        });
        layer.clear();
        for (const Arrival& a : next) {
            if (!layer.empty() && layer.back().first == a.vertex)
                layer.back().second += a.share;
            else
                layer.emplace_back(a.vertex, a.share);
        }
    }
    latency += path_latency;
}

std::size_t ShortestPathRouter::PathKeyHash::operator()(const PathKey& k) const {
    std::uint64_t bits = 0;
    static_assert(sizeof(bits) == sizeof(k.share));
    std::memcpy(&bits, &k.share, sizeof(bits));
    return static_cast<std::size_t>(mix((static_cast<std::uint64_t>(k.from) << 32 | k.to) ^ mix(bits)));
}

const ShortestPathRouter::SharedPath* ShortestPathRouter::shared_path(const ClusterGraph& graph, VertexId from_leaf,
                                                                      VertexId to_leaf, double share) const {
    const PathKey key{from_leaf, to_leaf, share};
    {
        const std::lock_guard lock(paths_mutex_);
        const auto it = paths_.find(key);
        if (it != paths_.end()) return it->second.get();
        if (path_links_ >= shared_path_links_) return nullptr;
    }
    // Made outside the lock; a second thread making the same path makes an equal one, and the
    // first stored is kept.
    auto path = std::make_unique<SharedPath>();
    fabric_path(graph, 0, 0, from_leaf, to_leaf, share, Ecmp::spread, path->links, path->latency);
    std::sort(path->links.begin(), path->links.end(),
              [](const LinkShare& x, const LinkShare& y) { return x.link < y.link; });
    const std::lock_guard lock(paths_mutex_);
    const auto [it, inserted] = paths_.try_emplace(key, nullptr);
    if (inserted) {
        path_links_ += path->links.size();
        it->second = std::move(path);
    }
    return it->second.get();
}

Route ShortestPathRouter::route(const ClusterGraph& graph, int src_gpu, int dst_gpu, Ecmp ecmp) const {
    Route r;
    route_into(graph, src_gpu, dst_gpu, ecmp, r);
    return r;
}

void ShortestPathRouter::route_into(const ClusterGraph& graph, int src_gpu, int dst_gpu, Ecmp ecmp, Route& r) const {
    r.links.clear();
    r.latency = units::Seconds(0.0);
    if (src_gpu < 0 || dst_gpu < 0 || src_gpu >= graph.gpus() || dst_gpu >= graph.gpus())
        throw std::invalid_argument("route: GPU out of range");
    if (src_gpu == dst_gpu) return;
    ensure_indexed(graph);
    const VertexId s = graph.gpu(src_gpu);
    const VertexId t = graph.gpu(dst_gpu);
    const int src_node = graph.vertex(s).node;
    const int dst_node = graph.vertex(t).node;
    r.links.reserve(16); // a path of a few tiers in one allocation
    double latency = 0.0;
    auto take = [&](VertexId a, VertexId b, double share) {
        const LinkId l = graph.link_between(a, b);
        r.links.push_back(LinkShare{l, share});
        return graph.link(l).latency.count();
    };
    if (src_node == dst_node) {
        const auto sw = graph.scale_up_switch(src_node);
        if (!sw) throw std::invalid_argument("route: node " + std::to_string(src_node) + " has no NVLink switch");
        latency += take(s, *sw, 1.0);
        latency += take(*sw, t, 1.0);
        r.latency = units::Seconds(latency);
        return;
    }
    // Switch-hop distance from NIC a's leaf to NIC b's leaf; -1 when either is unattached or
    // the leaves do not meet.
    auto nic_distance = [&](VertexId a, VertexId b) {
        const VertexId la = leaf_[a];
        const VertexId lb = leaf_[b];
        if (la == kNoLeaf || lb == kNoLeaf) return -1;
        return distance(distances_to(graph, lb), la);
    };
    // NIC pairs at the least switch-hop distance.
    const auto src_nics = graph.nics_of(src_gpu);
    const auto dst_nics = graph.nics_of(dst_gpu);
    int best = std::numeric_limits<int>::max();
    struct NicPair {
        VertexId a = 0, b = 0;
        std::uint32_t ia = 0, ib = 0; ///< their places in nics_of(src), nics_of(dst)
    };
    boost::container::small_vector<NicPair, 16> pairs;
    for (std::uint32_t ia = 0; ia < src_nics.size(); ++ia) {
        for (std::uint32_t ib = 0; ib < dst_nics.size(); ++ib) {
            const int d = nic_distance(src_nics[ia], dst_nics[ib]);
            if (d < 0) continue;
            if (d < best) {
                best = d;
                pairs.clear();
            }
            if (d == best) pairs.push_back(NicPair{src_nics[ia], dst_nics[ib], ia, ib});
        }
    }
    if (pairs.empty()) {
        // PXN: cross the scale-up switch to an accelerator of this node whose NIC reaches the
        // destination.
        const auto sw = graph.scale_up_switch(src_node);
        if (!sw)
            throw std::invalid_argument("route: GPU " + std::to_string(dst_gpu) + " unreachable from GPU " +
                                        std::to_string(src_gpu));
        const int first = src_gpu - graph.vertex(s).index;
        const int local_count = [&] {
            int n = 0;
            while (first + n < graph.gpus() && graph.node_of(first + n) == src_node) ++n;
            return n;
        }();
        const int preferred = graph.vertex(t).index;
        std::vector<int> order;
        if (preferred < local_count) order.push_back(first + preferred);
        for (int i = 0; i < local_count; ++i)
            if (i != preferred) order.push_back(first + i);
        for (int via : order) {
            if (via == src_gpu) continue;
            bool reaches = false;
            for (VertexId a : graph.nics_of(via))
                for (VertexId b : dst_nics)
                    if (nic_distance(a, b) >= 0) reaches = true;
            if (!reaches) continue;
            Route rest = route(graph, via, dst_gpu, ecmp);
            latency += take(s, *sw, 1.0);
            latency += take(*sw, graph.gpu(via), 1.0);
            r.links.insert(r.links.end(), rest.links.begin(), rest.links.end());
            r.latency = units::Seconds(latency + rest.latency.count());
            return;
        }
        throw std::invalid_argument("route: GPU " + std::to_string(dst_gpu) + " unreachable from GPU " +
                                    std::to_string(src_gpu));
    }
    boost::container::small_vector<NicPair, 16> chosen;
    if (ecmp == Ecmp::hashed || pairs.size() == 1)
        chosen.push_back(pairs[ecmp_hash(src_gpu, dst_gpu, s) % pairs.size()]);
    else
        chosen = pairs;
    const double share = 1.0 / static_cast<double>(chosen.size());
    if (ecmp == Ecmp::spread && chosen.size() == 1) {
        // One NIC pair, spread: its links are all distinct (a simple hop from the source up to
        // its leaf, the leaves' layers, down to the destination), so the sorted route is the
        // four endpoint links merged into the shared path, already sorted; the latency sums in
        // the order a fresh route sums it.
        const auto [a, b, ia, ib] = chosen.front();
        if (const SharedPath* path = shared_path(graph, leaf_[a], leaf_[b], share)) {
            // GPU -> NIC and NIC -> GPU from the tables (link_between searches, and throws
            // where a builder left one out).
            LinkId to_nic = gpu_to_nic_[nic_links_from_[static_cast<std::size_t>(src_gpu)] + ia];
            LinkId from_nic = nic_to_gpu_[nic_links_from_[static_cast<std::size_t>(dst_gpu)] + ib];
            if (to_nic == kNoLink) to_nic = graph.link_between(s, a);
            if (from_nic == kNoLink) from_nic = graph.link_between(b, t);
            std::array<LinkShare, 4> ends{LinkShare{to_nic, share}, LinkShare{up_[a], share},
                                          LinkShare{down_[b], share}, LinkShare{from_nic, share}};
            double l = 0.0;
            l += graph.link(ends[0].link).latency.count();
            l += graph.link(ends[1].link).latency.count();
            l += path->latency;
            l += graph.link(ends[2].link).latency.count();
            l += graph.link(ends[3].link).latency.count();
            const auto by_link = [](const LinkShare& x, const LinkShare& y) { return x.link < y.link; };
            std::sort(ends.begin(), ends.end(), by_link);
            r.links.resize(ends.size() + path->links.size());
            std::merge(ends.begin(), ends.end(), path->links.begin(), path->links.end(), r.links.begin(), by_link);
            r.latency = units::Seconds(std::max(0.0, l));
            return;
        }
    }
    double worst = 0.0;
    for (const auto& [a, b, ia, ib] : chosen) {
        double l = 0.0;
        l += take(s, a, share);
        r.links.push_back(LinkShare{up_[a], share}); // a -> its leaf
        l += graph.link(up_[a]).latency.count();
        fabric_path(graph, src_gpu, dst_gpu, leaf_[a], leaf_[b], share, ecmp, r.links, l);
        r.links.push_back(LinkShare{down_[b], share}); // b's leaf -> b
        l += graph.link(down_[b]).latency.count();
        l += take(b, t, share);
        worst = std::max(worst, l);
    }
    // One entry per link: merge the shares of paths that meet. A short list is sorted by
    // insertion, as std::sort sorts fewer than 17 elements (so equal links merge in the same
    // order either way).
    const auto by_link = [](const LinkShare& x, const LinkShare& y) { return x.link < y.link; };
    if (r.links.size() <= 16) {
        for (std::size_t i = 1; i < r.links.size(); ++i) {
            const LinkShare v = r.links[i];
            std::size_t j = i;
            for (; j > 0 && by_link(v, r.links[j - 1]); --j) r.links[j] = r.links[j - 1];
            r.links[j] = v;
        }
    } else {
        std::sort(r.links.begin(), r.links.end(), by_link);
    }
    std::size_t kept = 0;
    for (std::size_t i = 0; i < r.links.size(); ++i) {
        if (kept > 0 && r.links[kept - 1].link == r.links[i].link)
            r.links[kept - 1].share += r.links[i].share;
        else
            r.links[kept++] = r.links[i];
    }
    r.links.resize(kept);
    r.latency = units::Seconds(worst);
}

} // namespace tcsim::topology
