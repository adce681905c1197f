// How the flow network keeps a 2,048-GPU step fast.
//
// Routing is done once per collective signature (a "template": its flow classes as sparse
// link-coefficient vectors, bytes per payload byte, latency), so a DeepSeek-V3 step, with its
// ~100K collectives but a few hundred signatures, routes a few hundred times.
//
// Sharing is solved per component: the classes in flight that share a link, directly or
// through others. A component's rates depend only on which class templates it holds (capacities
// and coefficients are fixed), so they are memoised by the sorted list of template ids; a
// training step repeats the same few component shapes over and over. Whether two templates
// share a link is itself computed once per pair (a merge of their sorted link lists). An event
// then costs a breadth-first search over the classes in flight (tens) plus a memo lookup.
//
// Fluid state per class in flight: bytes left per flow, the current per-flow rate, when those
// were last brought up to date, and the projected finish. When a component's rates change,
// its classes' bytes are first advanced at their old rates.
#include "network/flow_network.hpp"

#include "network/group_layout.hpp"
#include "network/max_min_solver.hpp"
#include "topology/fabric_builders.hpp"

#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>
#include <map>
#include <numeric>
#include <stdexcept>
#include <string>
#include <tuple>
#include <unordered_map>

namespace tcsim::network {

using workload::CollectiveKind;
using workload::CommWork;

namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

struct VectorHash {
    std::size_t operator()(const std::vector<std::uint32_t>& v) const {
        std::uint64_t h = 1469598103934665603ULL;
        for (std::uint32_t x : v) {
            h ^= x;
            h *= 1099511628211ULL;
        }
        return static_cast<std::size_t>(h);
    }
};

double payload_of(const CommWork& w) {
    if (w.kind == CollectiveKind::ep_dispatch || w.kind == CollectiveKind::ep_combine) {
        if (w.routing.tokens > 0) return w.routing.tokens * w.routing.token_bytes.value();
        return w.bytes.value() / std::max(1, w.routing.top_k);
    }
    return w.bytes.value();
}

/// A collective's identity for routing purposes: everything but the payload.
struct TemplateKey {
    CollectiveKind kind;
    Algorithm algorithm;
    workload::ParallelDim dim;
    int size;
    int anchor;   ///< symmetric: the stage; full: the group's lowest rank; send_recv: source
    int peer;     ///< send_recv: destination stage or GPU; else -1
    int top_k;
    int max_nodes;
    auto operator<=>(const TemplateKey&) const = default;
};

} // namespace

struct FlowNetwork::State {
    // --- configuration
    engine::Simulation& sim;
    topology::ClusterSpec cluster;
    workload::ParallelSpec parallel;
    FlowNetworkOptions options;
    topology::ClusterGraph graph;
    CollectivePlanner planner;
    std::vector<double> capacity;  ///< per link, bytes/s achievable (line rate x efficiency)

    // --- memo
    struct StoredClass {
        std::vector<LinkUse> usage;
        double bytes_per_payload = 0;
    };
    struct StoredCollective {
        Algorithm algorithm = Algorithm::ring;
        std::vector<std::uint32_t> classes;
        double latency = 0;
    };
    std::vector<StoredClass> classes;
    std::vector<StoredCollective> collectives;
    std::map<TemplateKey, std::uint32_t> template_index;
    std::unordered_map<std::vector<std::uint32_t>, std::vector<double>, VectorHash> rates_memo;
    std::vector<std::int8_t> overlap;  ///< overlap_capacity^2, -1 unknown
    std::size_t overlap_capacity = 0;
    std::map<std::pair<TemplateKey, double>, Algorithm> choice_memo;

    // --- in flight
    struct Active {
        std::uint32_t cls = 0;
        std::uint32_t instance = 0;
        double remaining = 0;  ///< bytes per flow
        double rate = 0;       ///< bytes/s per flow
        double updated = 0;    ///< seconds
        double finish = kInfinity;
    };
    struct Instance {
        int pending = 0;
        double latency = 0;
        std::function<void()> done;
    };
    std::vector<Active> active;
    std::vector<Instance> instances;
    std::vector<std::uint32_t> free_instances;
    engine::EventId next_event{};
    std::int64_t next_event_ns = -1;

    // --- full mode rendezvous
    struct Pending {
        int arrived = 0;
        CommWork work;
        std::vector<std::function<void()>> dones;
    };
    struct Rendezvous {
        std::vector<int> members;
        std::vector<long> next_seq;   ///< per member
        long front_seq = 0;           ///< sequence number of pending.front()
        std::deque<Pending> pending;
    };
    std::map<std::tuple<int, int, int>, Rendezvous> rendezvous;

    FlowNetworkStats stats;

    State(engine::Simulation& s, const topology::ClusterSpec& c, const workload::ParallelSpec& p, FlowNetworkOptions o)
        : sim(s), cluster(c), parallel(p), options(std::move(o)), graph(topology::build_cluster_graph(c)),
          planner(graph, c.efficiency.links, options.ecmp) {
        if (p.gpus() > c.gpus())
            throw std::invalid_argument("network: the layout needs " + std::to_string(p.gpus()) + " GPUs, cluster " +
                                        c.name + " has " + std::to_string(c.gpus()));
        capacity.resize(graph.link_count(), 0.0);
        for (topology::LinkId l = 0; l < graph.link_count(); ++l) {
            const auto& link = graph.link(l);
            // By link class (data): contended classes at their calibrated fraction, others at line rate.
            const bool contended = link.link_class.contended();
            const double eff = contended ? c.efficiency.links.find_fraction(link.link_class.name()).value_or(0.0) : 1.0;
            if (contended && !(eff > 0))
                throw std::invalid_argument("cluster " + c.name + ": link efficiency for " +
                                            std::string(link.link_class.name()) + " must be positive");
            capacity[l] = link.bandwidth.value() * eff;
        }
    }

    double now() const { return engine::to_seconds(sim.now().time_since_epoch()); }

    // ---------------------------------------------------------------------------------------
    // Groups and templates

    std::vector<std::vector<int>> groups_of(const CommWork& w) const {
        if (w.kind == CollectiveKind::send_recv && w.peer_rank < 0) return ring_shift(w);
        if (w.kind == CollectiveKind::send_recv) {
            if (options.mode == NetworkMode::full) return {{w.rank, w.peer_rank}};
            const int m = stage_gpus(parallel);
            std::vector<std::vector<int>> out;
            for (int i = 0; i < m; ++i) out.push_back({w.rank * m + i, w.peer_rank * m + i});
            return out;
        }
        const GroupShape shape = group_shape(parallel, w.dim, w.group.size);
        if (options.mode == NetworkMode::full) return {group_of(parallel, shape, w.rank)};
        if (w.rank < 0 || w.rank >= parallel.pp)
            throw std::invalid_argument("network: stage " + std::to_string(w.rank) + " outside the pipeline");
        return stage_groups(parallel, shape, w.rank);
    }

    /// Ranks in one whole group of `dim` in the layout.
    int full_group_size(workload::ParallelDim dim) const {
        switch (dim) {
        case workload::ParallelDim::tp: return parallel.tp;
        case workload::ParallelDim::cp: return parallel.cp;
        case workload::ParallelDim::dp: return parallel.dp;
        case workload::ParallelDim::ep: return parallel.ep;
        case workload::ParallelDim::expert_dp: return std::max(1, parallel.dp * parallel.cp / std::max(1, parallel.ep));
        case workload::ParallelDim::pp: return parallel.pp;
        }
        return 1;
    }

    /// A send_recv without a peer: every rank of each `dim` group sends to the next rank of its
    /// group at once (context parallelism's ring exchange of K/V blocks). The group is the
    /// layout's whole `dim` group; CommWork::group only says whether the hop crosses nodes.
    std::vector<std::vector<int>> ring_shift(const CommWork& w) const {
        if (w.dim == workload::ParallelDim::pp)
            throw std::invalid_argument("network: a pipeline send_recv needs its peer rank");
        const int size = full_group_size(w.dim);
        const GroupShape shape = group_shape(parallel, w.dim, size);
        std::vector<std::vector<int>> groups;
        if (options.mode == NetworkMode::full) {
            groups.push_back(group_of(parallel, shape, w.rank));
        } else {
            if (w.rank < 0 || w.rank >= parallel.pp)
                throw std::invalid_argument("network: stage " + std::to_string(w.rank) + " outside the pipeline");
            groups = stage_groups(parallel, shape, w.rank);
        }
        std::vector<std::vector<int>> pairs;
        for (const auto& g : groups) {
            for (std::size_t k = 0; k < g.size(); ++k) {
                if (options.mode == NetworkMode::full && g[k] != w.rank) continue;
                if (g.size() > 1) pairs.push_back({g[k], g[(k + 1) % g.size()]});
            }
        }
        return pairs;
    }

    TemplateKey key_of(const CommWork& w, Algorithm a) const {
        TemplateKey k{w.kind, a, w.dim, w.group.size, w.rank, -1, 0, 0};
        if (w.kind == CollectiveKind::send_recv) {
            k.peer = w.peer_rank;  // -1: a ring shift inside the `dim` groups
            k.size = 2;
        } else if (options.mode == NetworkMode::full) {
            // The group, named by its lowest rank.
            const GroupShape shape = group_shape(parallel, w.dim, w.group.size);
            const int m = stage_gpus(parallel);
            const int local = w.rank % m;
            k.anchor = w.rank - ((local / shape.stride) % shape.size) * shape.stride;
        }
        if (w.kind == CollectiveKind::ep_dispatch || w.kind == CollectiveKind::ep_combine) {
            k.top_k = w.routing.top_k;
            k.max_nodes = w.routing.max_nodes;
        }
        return k;
    }

    /// The routed template of `w` run with `a`; `groups` (groups_of(w)) are computed on a miss
    /// when not given.
    std::uint32_t template_for(const CommWork& w, Algorithm a, const std::vector<std::vector<int>>* given = nullptr) {
        const TemplateKey key = key_of(w, a);
        const auto it = template_index.find(key);
        if (it != template_index.end()) return it->second;
        std::vector<std::vector<int>> computed;
        if (given == nullptr) computed = groups_of(w);
        const auto& groups = given != nullptr ? *given : computed;
        const CollectivePlan plan =
            planner.plan(w.kind, a, groups, ExpertShape{std::max(1, w.routing.top_k), w.routing.max_nodes});
        StoredCollective sc;
        sc.algorithm = plan.algorithm;
        sc.latency = plan.latency.count();
        for (const FlowClass& c : plan.classes) {
            sc.classes.push_back(static_cast<std::uint32_t>(classes.size()));
            classes.push_back(StoredClass{c.usage, c.bytes_per_payload});
        }
        const auto id = static_cast<std::uint32_t>(collectives.size());
        collectives.push_back(std::move(sc));
        template_index.emplace(key, id);
        ++stats.templates;
        return id;
    }

    // ---------------------------------------------------------------------------------------
    // Sharing

    bool overlaps(std::uint32_t a, std::uint32_t b) {
        if (a == b) return true;
        if (classes.size() > overlap_capacity) {
            std::size_t cap = std::max<std::size_t>(64, overlap_capacity);
            while (cap < classes.size()) cap *= 2;
            std::vector<std::int8_t> grown(cap * cap, -1);
            for (std::size_t i = 0; i < overlap_capacity; ++i)
                for (std::size_t j = 0; j < overlap_capacity; ++j) grown[i * cap + j] = overlap[i * overlap_capacity + j];
            overlap = std::move(grown);
            overlap_capacity = cap;
        }
        std::int8_t& cell = overlap[a * overlap_capacity + b];
        if (cell >= 0) return cell != 0;
        const auto& x = classes[a].usage;
        const auto& y = classes[b].usage;
        bool shared = false;
        for (std::size_t i = 0, j = 0; i < x.size() && j < y.size();) {
            if (x[i].link == y[j].link) {
                shared = true;
                break;
            }
            if (x[i].link < y[j].link)
                ++i;
            else
                ++j;
        }
        cell = shared ? 1 : 0;
        overlap[b * overlap_capacity + a] = cell;
        return shared;
    }

    /// Per-flow rates of the classes `ids` (sorted) sharing the network alone.
    const std::vector<double>& rates_of(const std::vector<std::uint32_t>& ids) {
        const auto it = rates_memo.find(ids);
        if (it != rates_memo.end()) {
            ++stats.reuses;
            return it->second;
        }
        MaxMinProblem problem;
        std::unordered_map<topology::LinkId, MaxMinProblem::Index> constraint;
        for (std::uint32_t id : ids) {
            const auto var = problem.add_variable();
            for (const LinkUse& u : classes[id].usage) {
                auto [c, inserted] = constraint.try_emplace(u.link, 0);
                if (inserted) c->second = problem.add_constraint(capacity[u.link]);
                problem.add_usage(var, c->second, u.coefficient);
            }
        }
        ++stats.solves;
        return rates_memo.emplace(ids, problem.solve()).first->second;
    }

    /// Brings the classes at `members` (indices into active) up to now and gives them their
    /// rates as one component.
    void apply_rates(std::vector<std::size_t>& members, double t) {
        std::sort(members.begin(), members.end(),
                  [&](std::size_t a, std::size_t b) { return active[a].cls < active[b].cls; });
        std::vector<std::uint32_t> ids;
        ids.reserve(members.size());
        for (std::size_t i : members) ids.push_back(active[i].cls);
        const std::vector<double>& rates = rates_of(ids);
        for (std::size_t k = 0; k < members.size(); ++k) {
            Active& a = active[members[k]];
            if (a.rate > 0 && std::isfinite(a.rate)) a.remaining = std::max(0.0, a.remaining - a.rate * (t - a.updated));
            a.updated = t;
            a.rate = rates[k];
            if (!(a.rate > 0)) throw std::logic_error("network: a flow class got no bandwidth");
            a.finish = std::isinf(a.rate) ? t : t + a.remaining / a.rate;
        }
    }

    /// Re-solves the components containing the classes at `seeds`.
    void resolve(const std::vector<std::size_t>& seeds) {
        const double t = now();
        std::vector<char> seen(active.size(), 0);
        for (std::size_t s : seeds) {
            if (seen[s]) continue;
            std::vector<std::size_t> component{s};
            seen[s] = 1;
            for (std::size_t k = 0; k < component.size(); ++k) {
                const std::uint32_t c = active[component[k]].cls;
                for (std::size_t j = 0; j < active.size(); ++j)
                    if (!seen[j] && overlaps(c, active[j].cls)) {
                        seen[j] = 1;
                        component.push_back(j);
                    }
            }
            apply_rates(component, t);
        }
    }

    void reschedule(FlowNetwork::State* self) {
        double first = kInfinity;
        for (const Active& a : active) first = std::min(first, a.finish);
        if (!std::isfinite(first)) {
            if (next_event_ns >= 0) sim.cancel(next_event);
            next_event_ns = -1;
            return;
        }
        const engine::Duration at = engine::to_duration(units::Seconds(first), engine::Rounding::up);
        const std::int64_t when = std::max(at.count(), sim.now().time_since_epoch().count());
        if (when == next_event_ns) return;
        if (next_event_ns >= 0) sim.cancel(next_event);
        next_event_ns = when;
        next_event = sim.schedule_at(engine::SimTime(engine::Duration(when)), [self] { self->on_completion(); });
    }

    void finish_instance(std::uint32_t id) {
        Instance& inst = instances[id];
        auto done = std::move(inst.done);
        sim.schedule_after(engine::to_duration(units::Seconds(inst.latency), engine::Rounding::up), std::move(done));
        inst = Instance{};
        free_instances.push_back(id);
    }

    void on_completion() {
        next_event_ns = -1;
        next_event = {};
        const double t = now();
        std::vector<char> finished(active.size(), 0);
        bool any = false;
        // Completion times were rounded up to whole nanoseconds, with a few ulps of slack (see
        // engine::Rounding::up), so allow the same here.
        const double horizon = t * (1 + 1e-13) + 1e-12;
        for (std::size_t i = 0; i < active.size(); ++i)
            if (active[i].finish <= horizon) finished[i] = 1, any = true;
        if (any) {
            std::vector<char> seed(active.size(), 0);
            for (std::size_t i = 0; i < active.size(); ++i) {
                if (!finished[i]) continue;
                for (std::size_t j = 0; j < active.size(); ++j)
                    if (!finished[j] && !seed[j] && overlaps(active[i].cls, active[j].cls)) seed[j] = 1;
            }
            std::vector<Active> kept;
            std::vector<std::size_t> seeds;
            std::vector<std::uint32_t> done_instances;
            for (std::size_t i = 0; i < active.size(); ++i) {
                if (finished[i]) {
                    if (--instances[active[i].instance].pending == 0) done_instances.push_back(active[i].instance);
                    continue;
                }
                if (seed[i]) seeds.push_back(kept.size());
                kept.push_back(active[i]);
            }
            active = std::move(kept);
            for (std::uint32_t id : done_instances) finish_instance(id);
            resolve(seeds);
        }
        reschedule(this);
    }

    std::uint32_t new_instance(double latency, std::function<void()> done) {
        std::uint32_t id;
        if (!free_instances.empty()) {
            id = free_instances.back();
            free_instances.pop_back();
        } else {
            id = static_cast<std::uint32_t>(instances.size());
            instances.emplace_back();
        }
        instances[id] = Instance{0, latency, std::move(done)};
        return id;
    }

    void start(std::uint32_t collective, double payload, std::function<void()> done) {
        ++stats.collectives;
        const StoredCollective& sc = collectives[collective];
        const std::uint32_t inst = new_instance(sc.latency, std::move(done));
        const double t = now();
        std::vector<std::size_t> seeds;
        for (std::uint32_t c : sc.classes) {
            const double bytes = classes[c].bytes_per_payload * payload;
            if (!(bytes > 0)) continue;
            seeds.push_back(active.size());
            active.push_back(Active{c, inst, bytes, 0.0, t, kInfinity});
            ++instances[inst].pending;
            ++stats.class_events;
        }
        if (instances[inst].pending == 0) {
            finish_instance(inst);
            return;
        }
        resolve(seeds);
        reschedule(this);
    }

    // ---------------------------------------------------------------------------------------
    // Idle-network estimates and algorithm choice

    /// Time for `collective` to move `payload` alone on the network (fluid, exact), plus latency.
    double idle_seconds(std::uint32_t collective, double payload) {
        const StoredCollective& sc = collectives[collective];
        std::vector<std::pair<std::uint32_t, double>> left;  // class, bytes per flow
        for (std::uint32_t c : sc.classes) {
            const double bytes = classes[c].bytes_per_payload * payload;
            if (bytes > 0) left.emplace_back(c, bytes);
        }
        double t = 0;
        while (!left.empty()) {
            std::sort(left.begin(), left.end());
            std::vector<std::uint32_t> ids;
            for (const auto& [c, b] : left) ids.push_back(c);
            const std::vector<double> rates = rates_of(ids);
            double step = kInfinity;
            for (std::size_t k = 0; k < left.size(); ++k) step = std::min(step, left[k].second / rates[k]);
            std::vector<std::pair<std::uint32_t, double>> next;
            for (std::size_t k = 0; k < left.size(); ++k) {
                const double b = left[k].second - rates[k] * step;
                if (b > 1e-9 * left[k].second && left[k].second / rates[k] > step) next.emplace_back(left[k].first, b);
            }
            t += step;
            left = std::move(next);
        }
        return t + sc.latency;
    }

    Algorithm choose(const CommWork& w) {
        const auto forced = options.algorithms.find(w.kind);
        if (forced != options.algorithms.end() && forced->second != Algorithm::automatic) return forced->second;
        switch (w.kind) {
        case CollectiveKind::all_gather:
        case CollectiveKind::reduce_scatter: return Algorithm::ring;
        case CollectiveKind::all_to_all: return Algorithm::pairwise;
        case CollectiveKind::send_recv: return Algorithm::direct;
        case CollectiveKind::ep_dispatch:
        case CollectiveKind::ep_combine:
        case CollectiveKind::all_reduce: break;
        }
        // Choices below depend on the group's placement and, for all-reduce, the size: memoised.
        const bool expert = w.kind != CollectiveKind::all_reduce;
        const double payload = expert ? 0.0 : payload_of(w);
        const auto key = std::make_pair(key_of(w, Algorithm::automatic), payload);
        const auto memo = choice_memo.find(key);
        if (memo != choice_memo.end()) return memo->second;
        const auto groups = groups_of(w);
        Algorithm choice = Algorithm::ring;
        if (expert) {
            // Groups straddling nodes unevenly have no same-rail partner on every node.
            choice = planner.applicable(w.kind, Algorithm::deepep_normal, groups) ? Algorithm::deepep_normal
                                                                                   : Algorithm::deepep_low_latency;
        } else if (planner.applicable(w.kind, Algorithm::nvls, groups)) {
            const std::uint32_t ring = template_for(w, Algorithm::ring, &groups);
            const std::uint32_t nvls = template_for(w, Algorithm::nvls, &groups);
            if (idle_seconds(nvls, payload) < idle_seconds(ring, payload)) choice = Algorithm::nvls;
        } else if (planner.applicable(w.kind, Algorithm::tree, groups)) {
            const std::uint32_t ring = template_for(w, Algorithm::ring, &groups);
            const double latency = collectives[ring].latency;
            if (latency > idle_seconds(ring, payload) - latency) choice = Algorithm::tree;
        }
        choice_memo.emplace(key, choice);
        return choice;
    }

    bool trivial(const CommWork& w) const {
        if (w.kind == CollectiveKind::send_recv) return !(payload_of(w) > 0) || (w.peer_rank < 0 && w.dim != workload::ParallelDim::pp &&
                                                                   full_group_size(w.dim) <= 1);
        return w.group.size <= 1 || !(payload_of(w) > 0);
    }

    // ---------------------------------------------------------------------------------------
    // Entry points

    void transfer(const CommWork& w, std::function<void()> done) {
        if (!done) throw std::invalid_argument("network: transfer without a completion callback");
        if (trivial(w)) {
            sim.schedule_after(engine::Duration(0), std::move(done));
            return;
        }
        if (options.mode == NetworkMode::full && w.kind != CollectiveKind::send_recv) {
            rendezvous_then_start(w, std::move(done));
            return;
        }
        start(template_for(w, choose(w)), payload_of(w), std::move(done));
    }

    void rendezvous_then_start(const CommWork& w, std::function<void()> done) {
        const GroupShape shape = group_shape(parallel, w.dim, w.group.size);
        const std::vector<int> members = group_of(parallel, shape, w.rank);
        const auto key = std::make_tuple(static_cast<int>(w.dim), w.group.size, members.front());
        Rendezvous& r = rendezvous[key];
        if (r.members.empty()) {
            r.members = members;
            r.next_seq.assign(members.size(), 0);
        }
        const auto pos = static_cast<std::size_t>(std::find(members.begin(), members.end(), w.rank) - members.begin());
        const long seq = r.next_seq[pos]++;
        const auto index = static_cast<std::size_t>(seq - r.front_seq);
        if (r.pending.size() <= index) r.pending.resize(index + 1);
        Pending& p = r.pending[index];
        if (p.arrived == 0) {
            p.work = w;
        } else if (p.work.kind != w.kind || p.work.bytes.value() != w.bytes.value()) {
            throw std::logic_error(std::string("network (full mode): rank ") + std::to_string(w.rank) + " issued " +
                                   workload::to_string(w.kind) + " where its group's collective #" +
                                   std::to_string(seq) + " is " + workload::to_string(p.work.kind));
        }
        p.dones.push_back(std::move(done));
        if (++p.arrived < static_cast<int>(members.size())) return;
        if (index != 0) throw std::logic_error("network (full mode): collectives of one group completed out of order");
        Pending ready = std::move(r.pending.front());
        r.pending.pop_front();
        ++r.front_seq;
        auto all = [dones = std::move(ready.dones)] {
            for (const auto& d : dones) d();
        };
        start(template_for(ready.work, choose(ready.work)), payload_of(ready.work), std::move(all));
    }
};

FlowNetwork::FlowNetwork(engine::Simulation& sim, const topology::ClusterSpec& cluster,
                         const workload::ParallelSpec& parallel, FlowNetworkOptions options)
    : state_(std::make_unique<State>(sim, cluster, parallel, std::move(options))) {}

FlowNetwork::~FlowNetwork() {
    if (state_ && state_->next_event_ns >= 0) state_->sim.cancel(state_->next_event);
}

void FlowNetwork::transfer(const CommWork& work, std::function<void()> done) { state_->transfer(work, std::move(done)); }

units::Seconds FlowNetwork::estimate(const CommWork& work) const {
    if (state_->trivial(work)) return units::Seconds(0.0);
    // A full-mode estimate prices the caller's own group.
    return units::Seconds(state_->idle_seconds(state_->template_for(work, state_->choose(work)), payload_of(work)));
}

Algorithm FlowNetwork::algorithm_for(const CommWork& work) const {
    if (state_->trivial(work)) return Algorithm::direct;
    return state_->choose(work);
}

std::size_t FlowNetwork::classes_in_flight() const { return state_->active.size(); }
const FlowNetworkStats& FlowNetwork::stats() const { return state_->stats; }
const topology::ClusterGraph& FlowNetwork::graph() const { return state_->graph; }

} // namespace tcsim::network
