// The flow-level network model: collectives become classes of flows on routed paths of the
// cluster graph, and concurrent flows share link bandwidth max-min fairly.
//
// Contract
// - transfer(work, done): decomposes `work` by its algorithm (collective_plan.hpp) into flow
//   classes, starts them now, and runs `done` on the simulation once every class has moved its
//   bytes and the algorithm's latency has passed. Never calls `done` synchronously; a group of
//   one rank or an empty payload completes at now() (after the latency, if any).
// - Sharing. Rates are max-min fair over link capacities (line rate x LinkEfficiency of the
//   link class), re-solved when a class starts or ends, only for the classes that share links,
//   directly or through others, with the one that changed (found through each class's list of the
//   classes sharing a link with it, each pair asked once, while few classes are in flight, through an index of each link's users beyond: an event costs the
//   component it changes, not the classes in flight); or, with RateUpdate::incremental (full
//   mode), kept incrementally beyond: a region around the change re-solved and grown until the
//   whole is max-min fair, so that an event costs its neighbourhood, not its component. The network keeps one pending engine
//   event, at the next class completion (a heap of projected finishes; cancelled and
//   rescheduled as rates change); completion times are rounded up to whole nanoseconds.
// - Groups. `work.groups` names a set in the GroupTable given at construction: the groups that
//   run the collective at once (every symmetric copy of a representative's collective, so that
//   copies contend for the links they share). The network knows nothing of parallel layouts.
//   With `work.member` = -1 the whole set starts at once. With `work.member` = a GPU (full mode,
//   every GPU simulated) the set holds that GPU's one group and the collective starts when
//   every member of the group has called transfer (the k-th call of each member on one set is
//   the same collective, as NCCL requires of a communicator); each member's `done` runs when it
//   completes. send_recv moves `bytes` from the first GPU of each group of its set to the
//   second, at once, with no rendezvous (a ring shift is the set of pairs {rank, next rank}).
// - Memoisation: a collective's flows are routed once per signature (kind, algorithm, group
//   set, expert shape) and reused for any payload; the rates of a set of classes sharing
//   links are solved once per set and reused (the incremental solver's regions are not kept).
//   Results do not depend on memoisation.
// - Algorithm choice (Algorithm::automatic, overridable per collective kind): all-reduce inside
//   one node: the faster of ring and NVLS on an idle network (NVLS where the NVSwitch supports
//   it); across nodes: tree while the ring would be latency-bound (its 2(n-1) alpha exceeding its
//   bandwidth term), ring beyond, as NCCL's tuner does by size and scale; reduce-scatter and
//   all-gather: ring; all-to-all: pairwise; expert dispatch/combine: DeepEP normal kernels
//   (low-latency kernels for groups spread unevenly over nodes); send_recv: direct.
// - estimate(work): the time of `work` alone on an idle network, with all its symmetric copies.
// - Throws std::invalid_argument for group sets the table does not hold or GPUs the cluster does
//   not have, and std::logic_error on inconsistent full-mode calls (members disagreeing on a
//   collective, or a caller outside its set's group).
#pragma once

#include "collective/group_table.hpp"
#include "network/collective_plan.hpp"
#include "network/fabric.hpp"
#include "network/network_model.hpp"
#include "network/rate_update.hpp"
#include "topology/cluster.hpp"
#include "topology/cluster_graph.hpp"

#include <cstdint>
#include <map>
#include <memory>

namespace tcsim::network {

struct FlowNetworkOptions {
    topology::Ecmp ecmp = topology::Ecmp::hashed;
    /// Algorithm per collective kind; kinds not named (or automatic) are chosen as above.
    std::map<collective::CollectiveKind, Algorithm> algorithms;
    /// Classes in flight from which the classes sharing links are found through an index of
    /// each link's users instead of by asking every pair, and rates re-solved as `beyond_index`
    /// says. Speed only: rates and times are the same for any value with components (tests
    /// compare 0, always indexed, with the default), and the same to the solvers' precision
    /// with incremental.
    std::size_t link_index_from = 64;
    /// How rates are re-solved from link_index_from classes in flight (rate_update.hpp): whole
    /// components (symmetric mode, its bytes kept) or incrementally (full mode).
    RateUpdate beyond_index = RateUpdate::components;
};

struct FlowNetworkStats {
    std::uint64_t collectives = 0;  ///< collectives started (full mode: after rendezvous)
    std::uint64_t templates = 0;    ///< distinct collective signatures routed
    std::uint64_t solves = 0;       ///< max-min problems solved
    std::uint64_t reuses = 0;       ///< rate sets taken from the memo
    std::uint64_t class_events = 0; ///< flow classes started
};

class FlowNetwork final : public NetworkModel {
public:
    /// `groups` must outlive the network; sets added to it later may be used.
    FlowNetwork(engine::Simulation& sim, const topology::ClusterSpec& cluster, const collective::GroupTable& groups,
                FlowNetworkOptions options = {});
    /// The same on a fabric built once and shared (by the steps of a run, say).
    FlowNetwork(engine::Simulation& sim, std::shared_ptr<const Fabric> fabric, const collective::GroupTable& groups,
                FlowNetworkOptions options = {});
    ~FlowNetwork() override;
    FlowNetwork(const FlowNetwork&) = delete;
    FlowNetwork& operator=(const FlowNetwork&) = delete;

    void transfer(const collective::CommWork& work, std::function<void()> done) override;
    [[nodiscard]] units::Seconds estimate(const collective::CommWork& work) const override;

    /// The algorithm transfer() uses for `work`.
    [[nodiscard]] Algorithm algorithm_for(const collective::CommWork& work) const;
    /// Flow classes in flight now.
    [[nodiscard]] std::size_t classes_in_flight() const;
    [[nodiscard]] const FlowNetworkStats& stats() const;
    [[nodiscard]] const topology::ClusterGraph& graph() const;

private:
    struct State;
    std::unique_ptr<State> state_;
};

} // namespace tcsim::network
