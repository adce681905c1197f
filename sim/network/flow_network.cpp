// The flow network is a façade over its jobs, one file each:
//   fabric.hpp                the graph and link capacities (immutable, shared)
//   collective_templates.hpp  collectives routed once per signature
//   link_sharing.hpp          max-min rates of classes sharing links, memoised
//   flows_in_flight.hpp       the fluid state and the one pending completion event
//   algorithm_choice.hpp      NCCL-like algorithm choice, idle-network times
//   rendezvous.hpp            full mode: a collective starts when its whole group has called
#include "network/flow_network.hpp"

#include "network/algorithm_choice.hpp"
#include "network/collective_templates.hpp"
#include "network/flows_in_flight.hpp"
#include "network/link_sharing.hpp"
#include "network/rendezvous.hpp"

#include <stdexcept>

namespace tcsim::network {

using collective::CollectiveKind;
using collective::CommWork;

struct FlowNetwork::State {
    engine::Simulation& sim;
    std::shared_ptr<const Fabric> fabric;
    const collective::GroupTable& groups;
    CollectivePlanner planner;
    CollectiveTemplates templates;
    LinkSharing sharing;
    AlgorithmChoice choice;
    FlowsInFlight flows;
    Rendezvous rendezvous;
    mutable FlowNetworkStats stats;

    State(engine::Simulation& s, std::shared_ptr<const Fabric> f, const collective::GroupTable& g, FlowNetworkOptions o)
        : sim(s), fabric(std::move(f)), groups(g), planner(fabric->graph(), fabric->cluster().efficiency.links, o.ecmp),
          templates(*fabric, g, planner), sharing(*fabric, templates),
          choice(templates, sharing, std::move(o.algorithms)), flows(s, templates, sharing, fabric->capacities(), o.link_index_from, o.beyond_index),
          rendezvous(g) {}
    // (Group sets naming GPUs the cluster lacks are refused where they are routed: the table may
    // grow after construction, see CollectiveTemplates::get.)

    /// Nothing to move: no payload, or no group of more than one GPU.
    bool trivial(const CommWork& w) const {
        if (!(payload_of(w) > 0)) return true;
        for (const auto& g : groups.groups(w.groups))
            if (g.size() > 1) return false;
        return true;
    }

    void start(const CommWork& w, std::function<void()> done) {
        flows.start(templates.get(w, choice.choose(w)), payload_of(w), std::move(done));
    }

    void transfer(const CommWork& w, std::function<void()> done) {
        if (!done) throw std::invalid_argument("network: transfer without a completion callback");
        if (trivial(w)) {
            sim.schedule_after(engine::Duration(0), std::move(done));
            return;
        }
        if (w.member >= 0 && w.kind != CollectiveKind::send_recv) {
            auto ready = rendezvous.arrive(w, std::move(done));
            if (!ready) return;
            auto all = [dones = std::move(ready->dones)] {
                for (const auto& d : dones) d();
            };
            start(ready->work, std::move(all));
            return;
        }
        start(w, std::move(done));
    }
};

FlowNetwork::FlowNetwork(engine::Simulation& sim, const topology::ClusterSpec& cluster,
                         const collective::GroupTable& groups, FlowNetworkOptions options)
    : FlowNetwork(sim, make_fabric(cluster), groups, std::move(options)) {}

FlowNetwork::FlowNetwork(engine::Simulation& sim, std::shared_ptr<const Fabric> fabric,
                         const collective::GroupTable& groups, FlowNetworkOptions options)
    : state_(std::make_unique<State>(sim, std::move(fabric), groups, std::move(options))) {}

FlowNetwork::~FlowNetwork() = default;

void FlowNetwork::transfer(const CommWork& work, std::function<void()> done) {
    state_->transfer(work, std::move(done));
}

units::Seconds FlowNetwork::estimate(const CommWork& work) const {
    if (state_->trivial(work)) return units::Seconds(0.0);
    // A full-mode estimate prices the caller's own group.
    const std::uint32_t id = state_->templates.get(work, state_->choice.choose(work));
    return units::Seconds(state_->choice.idle_seconds(id, payload_of(work)));
}

Algorithm FlowNetwork::algorithm_for(const CommWork& work) const {
    if (state_->trivial(work)) return Algorithm::direct;
    return state_->choice.choose(work);
}

std::size_t FlowNetwork::classes_in_flight() const { return state_->flows.classes(); }

const FlowNetworkStats& FlowNetwork::stats() const {
    FlowNetworkStats& s = state_->stats;
    s.collectives = state_->flows.collectives_started();
    s.templates = state_->templates.routed();
    s.solves = state_->sharing.solves() + state_->flows.region_solves();
    s.reuses = state_->sharing.reuses();
    s.class_events = state_->flows.classes_started();
    return s;
}

const topology::ClusterGraph& FlowNetwork::graph() const { return state_->fabric->graph(); }

} // namespace tcsim::network
