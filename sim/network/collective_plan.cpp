#include "network/collective_plan.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <stdexcept>
#include <unordered_map>
#include <utility>

namespace tcsim::network {

using topology::LinkKind;
using collective::CollectiveKind;

namespace {

constexpr std::array<std::pair<Algorithm, std::string_view>, 9> kAlgorithmNames{{
    {Algorithm::automatic, "auto"},
    {Algorithm::ring, "ring"},
    {Algorithm::tree, "tree"},
    {Algorithm::nvls, "nvls"},
    {Algorithm::hierarchical, "hierarchical"},
    {Algorithm::pairwise, "pairwise"},
    {Algorithm::deepep_normal, "deepep_normal"},
    {Algorithm::deepep_low_latency, "deepep_low_latency"},
    {Algorithm::direct, "direct"},
}};

int mod(int a, int n) { return ((a % n) + n) % n; }

} // namespace

std::string_view to_string(Algorithm a) {
    for (const auto& [k, name] : kAlgorithmNames)
        if (k == a) return name;
    return "?";
}

std::optional<Algorithm> algorithm_from_string(std::string_view text) {
    for (const auto& [k, name] : kAlgorithmNames)
        if (name == text) return k;
    return std::nullopt;
}

double expected_nodes_per_token(int allowed_nodes, int top_k) {
    if (allowed_nodes <= 1) return 1.0;
    const double m = allowed_nodes;
    return m * (1.0 - std::pow(1.0 - 1.0 / m, top_k));
}

double expected_gpus_per_token(int allowed_gpus, int top_k) {
    if (allowed_gpus <= 1) return 1.0;
    const double g = allowed_gpus;
    return g * (1.0 - std::pow(1.0 - 1.0 / g, top_k));
}

// ---------------------------------------------------------------------------------------------

/// Accumulates routed flows into one class's link coefficients.
class CollectivePlanner::ClassBuilder {
public:
    ClassBuilder(const CollectivePlanner& planner, std::string name, double bytes_per_payload,
                 std::optional<double> nvlink_fraction = std::nullopt,
                 std::optional<double> network_fraction = std::nullopt)
        : p_(planner), bytes_(bytes_per_payload) {
        name_ = std::move(name);
        scale_[static_cast<int>(LinkKind::nvlink)] = nvlink_fraction ? p_.links_.nvlink / *nvlink_fraction : 1.0;
        scale_[static_cast<int>(LinkKind::network)] = network_fraction ? p_.links_.network / *network_fraction : 1.0;
    }

    /// One flow from GPU `src` to GPU `dst`; returns its path latency.
    double flow(int src, int dst) {
        const topology::Route r = p_.graph_.route(src, dst, p_.ecmp_);
        for (const auto& ls : r.links) add(ls.link, ls.share);
        ++flows_;
        return r.latency.count();
    }
    /// A flow that ends at (up) or starts from (down) the NVSwitch of the GPU's node.
    void to_switch(int gpu, bool up) {
        const auto v = p_.graph_.gpu(gpu);
        for (topology::LinkId l : p_.graph_.out_links(v)) {
            const auto& link = p_.graph_.link(l);
            if (link.kind != LinkKind::nvlink) continue;
            if (up) {
                add(l, 1.0);
            } else {
                for (topology::LinkId back : p_.graph_.out_links(link.to))
                    if (p_.graph_.link(back).to == v) add(back, 1.0);
            }
        }
        ++flows_;
    }

    void finish(CollectivePlan& plan) {
        if (flows_ == 0) return;
        FlowClass c;
        c.name = std::move(name_);
        c.bytes_per_payload = bytes_;
        c.flows = flows_;
        c.usage.reserve(usage_.size());
        for (const auto& [link, coefficient] : usage_) c.usage.push_back(LinkUse{link, coefficient});
        std::sort(c.usage.begin(), c.usage.end(), [](const LinkUse& a, const LinkUse& b) { return a.link < b.link; });
        plan.classes.push_back(std::move(c));
    }

private:
    void add(topology::LinkId l, double share) {
        const auto kind = p_.graph_.link(l).kind;
        if (kind == LinkKind::pcie) return;  // never a bottleneck (cluster_graph.hpp)
        usage_[l] += share * scale_[static_cast<int>(kind)];
    }

    const CollectivePlanner& p_;
    std::string name_;
    double bytes_;
    std::array<double, 3> scale_{1.0, 1.0, 1.0};
    std::unordered_map<topology::LinkId, double> usage_;
    int flows_ = 0;
};

/// A group arranged by node: members[x][i] is the i-th rank of the group on its x-th node.
struct CollectivePlanner::Layout {
    std::vector<std::vector<int>> members;
    [[nodiscard]] int nodes() const { return static_cast<int>(members.size()); }
    [[nodiscard]] int per_node() const { return members.empty() ? 0 : static_cast<int>(members.front().size()); }
    [[nodiscard]] int at(int x, int i) const {
        return members[static_cast<std::size_t>(x)][static_cast<std::size_t>(i)];
    }
    /// Every node holds the same number of the group's ranks.
    [[nodiscard]] bool uniform() const {
        for (const auto& m : members)
            if (m.size() != members.front().size()) return false;
        return true;
    }
};

CollectivePlanner::Layout CollectivePlanner::layout_of(const std::vector<int>& group) const {
    std::map<int, std::vector<int>> by_node;
    for (int g : group) by_node[graph_.node_of(g)].push_back(g);
    Layout l;
    for (auto& [node, ranks] : by_node) {
        std::sort(ranks.begin(), ranks.end());
        l.members.push_back(std::move(ranks));
    }
    return l;
}

CollectivePlanner::CollectivePlanner(const topology::ClusterGraph& graph, const hardware::LinkEfficiency& links,
                                     topology::Ecmp ecmp)
    : graph_(graph), links_(links), ecmp_(ecmp), nvls_(links.nvls.has_value()) {}

bool CollectivePlanner::applicable(CollectiveKind kind, Algorithm a, const std::vector<std::vector<int>>& groups) const {
    if (groups.empty()) return false;
    const Layout l = layout_of(groups.front());
    switch (a) {
    case Algorithm::automatic: return false;
    case Algorithm::ring:
        return kind == CollectiveKind::all_reduce || kind == CollectiveKind::all_gather ||
               kind == CollectiveKind::reduce_scatter;
    case Algorithm::tree: return kind == CollectiveKind::all_reduce && l.nodes() > 1 && l.uniform();
    case Algorithm::nvls: return kind == CollectiveKind::all_reduce && nvls_ && l.nodes() == 1 && l.per_node() > 1;
    case Algorithm::hierarchical:
        return kind == CollectiveKind::all_reduce && l.nodes() > 1 && l.per_node() > 1 && l.uniform();
    case Algorithm::pairwise: return kind == CollectiveKind::all_to_all;
    case Algorithm::deepep_normal:
        return (kind == CollectiveKind::ep_dispatch || kind == CollectiveKind::ep_combine) && l.uniform();
    case Algorithm::deepep_low_latency:
        return kind == CollectiveKind::ep_dispatch || kind == CollectiveKind::ep_combine;
    case Algorithm::direct: return kind == CollectiveKind::send_recv;
    }
    return false;
}

CollectivePlan CollectivePlanner::plan(CollectiveKind kind, Algorithm a, const std::vector<std::vector<int>>& groups,
                                       const ExpertShape& expert) const {
    if (!applicable(kind, a, groups))
        throw std::invalid_argument(std::string("network: algorithm ") + std::string(to_string(a)) + " cannot run " +
                                    collective::to_string(kind) + " on this group");
    CollectivePlan plan;
    plan.algorithm = a;
    const double n = static_cast<double>(groups.front().size());
    switch (a) {
    case Algorithm::ring:
        if (kind == CollectiveKind::all_reduce)
            ring(plan, groups, 2 * (n - 1) / n, 2 * static_cast<int>(n - 1));
        else
            ring(plan, groups, (n - 1) / n, static_cast<int>(n - 1));
        break;
    case Algorithm::tree: tree(plan, groups); break;
    case Algorithm::nvls: nvls(plan, groups); break;
    case Algorithm::hierarchical: hierarchical(plan, groups); break;
    case Algorithm::pairwise: pairwise(plan, groups, 1.0 / n); break;
    case Algorithm::deepep_normal: deepep_normal(plan, groups, expert, kind == CollectiveKind::ep_combine); break;
    case Algorithm::deepep_low_latency: {
        // Every token copy straight to its expert's GPU: k/n of the payload to each destination.
        pairwise(plan, groups, static_cast<double>(expert.top_k) / n, links_.deepep.nvlink, links_.deepep.network);
        plan.latency += links_.deepep.low_latency_overhead;
        break;
    }
    case Algorithm::direct: direct(plan, groups); break;
    case Algorithm::automatic: break;
    }
    return plan;
}

void CollectivePlanner::ring(CollectivePlan& plan, const std::vector<std::vector<int>>& groups, double per_edge,
                             int steps) const {
    const Layout first = layout_of(groups.front());
    const int nodes = first.nodes();
    const int r = first.per_node();
    // A group with unequal ranks per node runs one ring in rank order.
    const bool snake = nodes > 1 && first.uniform();
    const int channels = snake ? r : 1;
    ClassBuilder b(*this, "ring", per_edge / channels);
    double alpha = 0.0;
    for (const auto& g : groups) {
        const Layout l = layout_of(g);
        for (int c = 0; c < channels; ++c) {
            std::vector<int> order;
            if (!snake) {
                for (const auto& m : l.members) order.insert(order.end(), m.begin(), m.end());
            } else {
                for (int x = 0; x < nodes; ++x)
                    for (int t = 0; t < r; ++t) {
                        const int i = x % 2 == 0 ? mod(c + t, r) : mod(c - 1 - t, r);
                        order.push_back(l.at(x, i));
                    }
            }
            for (std::size_t k = 0; k < order.size(); ++k)
                alpha = std::max(alpha, b.flow(order[k], order[(k + 1) % order.size()]));
        }
    }
    b.finish(plan);
    plan.latency = units::Seconds(steps * alpha);
}

void CollectivePlanner::tree(CollectivePlan& plan, const std::vector<std::vector<int>>& groups) const {
    const Layout first = layout_of(groups.front());
    const int nodes = first.nodes();
    const int r = first.per_node();
    const int channels = r;
    ClassBuilder inter(*this, "tree", 0.5 / channels);
    ClassBuilder chain(*this, "chain", 1.0 / channels);
    double alpha_net = 0.0;
    double alpha_nvl = 0.0;
    for (const auto& g : groups) {
        const Layout l = layout_of(g);
        for (int c = 0; c < channels; ++c) {
            // Double binary tree: tree A in heap order over node positions, tree B mirrored.
            for (int mirror = 0; mirror < 2; ++mirror) {
                auto node_at = [&](int pos) { return mirror == 0 ? pos : nodes - 1 - pos; };
                for (int pos = 1; pos < nodes; ++pos) {
                    const int child = l.at(node_at(pos), c);
                    const int parent = l.at(node_at((pos - 1) / 2), c);
                    alpha_net = std::max(alpha_net, inter.flow(child, parent));  // reduce
                    alpha_net = std::max(alpha_net, inter.flow(parent, child));  // broadcast
                }
            }
            // Chain inside each node from the channel's head, both directions.
            for (int x = 0; x < nodes; ++x)
                for (int t = 0; t + 1 < r; ++t) {
                    const int a = l.at(x, mod(c + t, r));
                    const int bb = l.at(x, mod(c + t + 1, r));
                    alpha_nvl = std::max(alpha_nvl, chain.flow(bb, a));
                    alpha_nvl = std::max(alpha_nvl, chain.flow(a, bb));
                }
        }
    }
    inter.finish(plan);
    chain.finish(plan);
    const int depth = static_cast<int>(std::floor(std::log2(static_cast<double>(nodes))));
    plan.latency = units::Seconds(2.0 * (depth * alpha_net + (r - 1) * alpha_nvl));
}

void CollectivePlanner::nvls(CollectivePlan& plan, const std::vector<std::vector<int>>& groups) const {
    const double n = static_cast<double>(groups.front().size());
    ClassBuilder up(*this, "nvls.up", 1.0 + 1.0 / n, links_.nvls->nvlink);
    ClassBuilder down(*this, "nvls.down", 1.0 + 1.0 / n, links_.nvls->nvlink);
    for (const auto& g : groups)
        for (int gpu : g) {
            up.to_switch(gpu, true);
            down.to_switch(gpu, false);
        }
    up.finish(plan);
    down.finish(plan);
    plan.latency = links_.nvls->latency;
}

void CollectivePlanner::hierarchical(CollectivePlan& plan, const std::vector<std::vector<int>>& groups) const {
    const Layout first = layout_of(groups.front());
    const int nodes = first.nodes();
    const int r = first.per_node();
    double intra_latency = 0.0;
    if (nvls_) {
        ClassBuilder up(*this, "nvls.up", 1.0 + 1.0 / r, links_.nvls->nvlink);
        ClassBuilder down(*this, "nvls.down", 1.0 + 1.0 / r, links_.nvls->nvlink);
        for (const auto& g : groups)
            for (int gpu : g) {
                up.to_switch(gpu, true);
                down.to_switch(gpu, false);
            }
        up.finish(plan);
        down.finish(plan);
        intra_latency = links_.nvls->latency.count();
    } else {
        ClassBuilder intra(*this, "intra", 2.0 * (r - 1) / r);
        double alpha = 0.0;
        for (const auto& g : groups) {
            const Layout l = layout_of(g);
            for (int x = 0; x < nodes; ++x)
                for (int i = 0; i < r; ++i) alpha = std::max(alpha, intra.flow(l.at(x, i), l.at(x, (i + 1) % r)));
        }
        intra.finish(plan);
        intra_latency = 2.0 * (r - 1) * alpha;
    }
    ClassBuilder inter(*this, "inter", 2.0 * (nodes - 1) / nodes / r);
    double alpha = 0.0;
    for (const auto& g : groups) {
        const Layout l = layout_of(g);
        for (int i = 0; i < r; ++i)
            for (int x = 0; x < nodes; ++x) alpha = std::max(alpha, inter.flow(l.at(x, i), l.at((x + 1) % nodes, i)));
    }
    inter.finish(plan);
    plan.latency = units::Seconds(intra_latency + 2.0 * (nodes - 1) * alpha);
}

void CollectivePlanner::pairwise(CollectivePlan& plan, const std::vector<std::vector<int>>& groups, double per_flow,
                                 std::optional<double> nvlink_fraction, std::optional<double> network_fraction) const {
    ClassBuilder intra(*this, "intra", per_flow, nvlink_fraction, network_fraction);
    ClassBuilder inter(*this, "inter", per_flow, nvlink_fraction, network_fraction);
    double alpha = 0.0;
    for (const auto& g : groups)
        for (int s : g)
            for (int d : g) {
                if (s == d) continue;
                ClassBuilder& b = graph_.node_of(s) == graph_.node_of(d) ? intra : inter;
                alpha = std::max(alpha, b.flow(s, d));
            }
    intra.finish(plan);
    inter.finish(plan);
    plan.latency = units::Seconds(alpha);
}

void CollectivePlanner::deepep_normal(CollectivePlan& plan, const std::vector<std::vector<int>>& groups,
                                      const ExpertShape& e, bool combine) const {
    const Layout first = layout_of(groups.front());
    const int nodes = first.nodes();
    const int r = first.per_node();
    const int allowed = e.max_nodes > 0 ? std::min(e.max_nodes, nodes) : nodes;
    const double node_pairs = expected_nodes_per_token(allowed, e.top_k);
    const double gpu_pairs = expected_gpus_per_token(allowed * r, e.top_k);
    ClassBuilder rdma(*this, "rdma", node_pairs / nodes, links_.deepep.nvlink, links_.deepep.network);
    ClassBuilder nvlink(*this, "nvlink", gpu_pairs / r, links_.deepep.nvlink, links_.deepep.network);
    double alpha_net = 0.0;
    double alpha_nvl = 0.0;
    for (const auto& g : groups) {
        const Layout l = layout_of(g);
        for (int x = 0; x < nodes; ++x)
            for (int i = 0; i < r; ++i) {
                for (int y = 0; y < nodes; ++y) {
                    if (y == x) continue;
                    const int a = l.at(x, i);
                    const int b = l.at(y, i);
                    alpha_net = std::max(alpha_net, combine ? rdma.flow(b, a) : rdma.flow(a, b));
                }
                for (int j = 0; j < r; ++j) {
                    if (j == i) continue;
                    const int a = l.at(x, i);
                    const int b = l.at(x, j);
                    alpha_nvl = std::max(alpha_nvl, combine ? nvlink.flow(b, a) : nvlink.flow(a, b));
                }
            }
    }
    rdma.finish(plan);
    nvlink.finish(plan);
    plan.latency = units::Seconds(alpha_net + alpha_nvl);
}

void CollectivePlanner::direct(CollectivePlan& plan, const std::vector<std::vector<int>>& groups) const {
    ClassBuilder b(*this, "p2p", 1.0);
    double alpha = 0.0;
    for (const auto& g : groups) {
        if (g.size() != 2) throw std::invalid_argument("network: send_recv needs {source, destination}");
        alpha = std::max(alpha, b.flow(g[0], g[1]));
    }
    b.finish(plan);
    plan.latency = units::Seconds(alpha);
}

} // namespace tcsim::network
