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
//   directly or through others, with the one that changed. The network keeps one pending
//   engine event, at the next class completion (cancelled and rescheduled as rates change);
//   completion times are rounded up to whole nanoseconds.
// - Symmetric mode (default): `work.rank` is a pipeline stage and the collective runs on every
//   group of `work.dim` inside that stage at once (group_layout.hpp), so copies contend for the
//   links they share; send_recv carries one flow per GPU of the stage to the same position in
//   stage `work.peer_rank`. A send_recv without a peer rank (peer_rank < 0) is a ring shift:
//   every rank of each group of `work.dim` (the layout's whole group, e.g. all cp ranks; the
//   CommWork's group only places the hop) sends `bytes` to the next rank of its group at once,
//   as context parallelism passes K/V blocks around. Full mode: `work.rank` is a GPU; a collective starts when every
//   member of its group has called transfer (the k-th call of each member on one group is the
//   same collective, as NCCL requires of a communicator) and each member's `done` runs when it
//   completes; send_recv goes from GPU `rank` to GPU `peer_rank` (or to the next rank of its
//   `dim` group) at once, with no rendezvous. Full mode needs no
//   CommWork fields beyond those symmetric mode uses.
// - Memoisation: a collective's flows are routed once per signature (kind, algorithm, group
//   placement, expert shape) and reused for any payload; the rates of a set of classes sharing
//   links are solved once per set and reused. Results do not depend on memoisation.
// - Algorithm choice (Algorithm::automatic, overridable per collective kind): all-reduce inside
//   one node: the faster of ring and NVLS on an idle network (NVLS where the NVSwitch supports
//   it); across nodes: tree while the ring would be latency-bound (its 2(n-1) alpha exceeding its
//   bandwidth term), ring beyond, as NCCL's tuner does by size and scale; reduce-scatter and
//   all-gather: ring; all-to-all: pairwise; expert dispatch/combine: DeepEP normal kernels
//   (low-latency kernels for groups spread unevenly over nodes); send_recv: direct.
// - estimate(work): the time of `work` alone on an idle network, with all its symmetric copies.
// - Throws std::invalid_argument for groups that do not fit the layout or cluster, and
//   std::logic_error on inconsistent full-mode calls (members disagreeing on a collective).
#pragma once

#include "network/collective_plan.hpp"
#include "network/network_model.hpp"
#include "topology/cluster.hpp"
#include "topology/cluster_graph.hpp"
#include "workload/parallel_spec.hpp"

#include <cstdint>
#include <map>
#include <memory>

namespace tcsim::network {

enum class NetworkMode : std::uint8_t { symmetric, full };

struct FlowNetworkOptions {
    NetworkMode mode = NetworkMode::symmetric;
    topology::Ecmp ecmp = topology::Ecmp::hashed;
    /// Algorithm per collective kind; kinds not named (or automatic) are chosen as above.
    std::map<workload::CollectiveKind, Algorithm> algorithms;
};

struct FlowNetworkStats {
    std::uint64_t collectives = 0;     ///< collectives started (full mode: after rendezvous)
    std::uint64_t templates = 0;       ///< distinct collective signatures routed
    std::uint64_t solves = 0;          ///< max-min problems solved
    std::uint64_t reuses = 0;          ///< rate sets taken from the memo
    std::uint64_t class_events = 0;    ///< flow classes started
};

class FlowNetwork final : public NetworkModel {
public:
    FlowNetwork(engine::Simulation& sim, const topology::ClusterSpec& cluster, const workload::ParallelSpec& parallel,
                FlowNetworkOptions options = {});
    ~FlowNetwork() override;
    FlowNetwork(const FlowNetwork&) = delete;
    FlowNetwork& operator=(const FlowNetwork&) = delete;

    void transfer(const workload::CommWork& work, std::function<void()> done) override;
    [[nodiscard]] units::Seconds estimate(const workload::CommWork& work) const override;

    /// The algorithm transfer() uses for `work`.
    [[nodiscard]] Algorithm algorithm_for(const workload::CommWork& work) const;
    /// Flow classes in flight now.
    [[nodiscard]] std::size_t classes_in_flight() const;
    [[nodiscard]] const FlowNetworkStats& stats() const;
    [[nodiscard]] const topology::ClusterGraph& graph() const;

private:
    struct State;
    std::unique_ptr<State> state_;
};

} // namespace tcsim::network
