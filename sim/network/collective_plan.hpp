// Collectives as flows: each algorithm turns a collective on one or more groups of GPUs (the
// symmetric copies of a parallel dimension) into classes of flows on routed paths.
//
// A flow class is a set of flows that move in lockstep at one common per-flow rate: the edges
// of a ring (a pipelined ring runs at the pace of its slowest edge), the copies of a symmetric
// group, the RDMA legs of an expert dispatch. The solver sees one variable per class whose
// coefficient on a link is the number of the class's flows crossing it (a flow split by ECMP
// counts its share), scaled by the class's own efficiency (hardware::LinkEfficiency: NCCL's per
// link class, or an algorithm's own calibration). The
// classes of a collective run concurrently (pipelined algorithms overlap their stages); the
// collective's data has moved when every class has carried `bytes_per_payload x payload` per
// flow, and it completes `latency` later.
//
// Payload: the CommWork's bytes for all_reduce (buffer size S), all_gather (gathered output S),
// reduce_scatter (input S), all_to_all (S sent per rank) and send_recv; for ep_dispatch /
// ep_combine, tokens x token_bytes per rank.
//
// Algorithms, one per file in algorithms/ (each citing its source), found through the registry
// (algorithm_registry.hpp) by Algorithm value (n ranks, r per node, N nodes; alpha = the
// largest path latency among the flows of the step):
//   ring          all-reduce 2(n-1)/n S per edge, 2(n-1) alpha; reduce-scatter and all-gather
//                 (n-1)/n S, (n-1) alpha. Across nodes NCCL runs r rings ("channels") that
//                 snake through the nodes (even nodes in local order c, c+1, ..., odd nodes in
//                 reverse) so every hop between nodes joins GPUs of the same local index (same
//                 rail) and each NIC sends one channel's share.
//   tree          all-reduce: per channel, a double binary tree over nodes (S/2 per tree, both
//                 directions on each tree edge) and a chain inside each node (S each way);
//                 latency 2 (depth alpha_net + (r-1) alpha_nvlink).
//   nvls          all-reduce inside one NVLink domain with in-switch reduction: S(1 + 1/n) up
//                 and down each GPU's NVLink; latency LinkEfficiency::nvls->latency.
//   hierarchical  all-reduce, pipelined: reduce-scatter and all-gather inside each node (NVLS
//                 where supported, else a ring: 2(r-1)/r S per edge) while r rings across nodes
//                 (one per local index) all-reduce S/r each: 2(N-1)/N S/r per edge.
//   pairwise      all-to-all: S/n from every rank to every other, all at once; intra- and
//                 inter-node flows are separate classes; latency alpha. For ep_dispatch /
//                 ep_combine (NCCL's all-to-all of every token copy, ExpertExchange::every_copy),
//                 k/n of the payload to each rank.
//   deepep_normal expert dispatch with node-limited routing (DeepSeek-V3 Sec 3.2.2; DeepEP
//                 normal kernels): with m = min(max_nodes, N) nodes allowed per token and k =
//                 top_k experts drawn uniformly from their experts, a token reaches
//                 m_eff = m (1 - (1 - 1/m)^k) distinct nodes and D = m r (1 - (1 - 1/(m r))^k)
//                 distinct GPUs. Each token crosses the fabric once per remote node it needs, to
//                 the GPU of the same local index (bytes m_eff/N per destination node), then
//                 NVLink carries it once to every other GPU of that node it needs (D/r per
//                 destination GPU). Combine is the same with every flow reversed.
//   deepep_low_latency  every token copy straight to its expert's GPU (k/n per destination),
//                 plus LinkEfficiency::deepep.low_latency_overhead.
//   direct        send_recv: one flow per copy.
//   torus_ring    all-reduce, reduce-scatter, all-gather on a full sub-torus of a TPU slice:
//                 bidirectional rings dimension by dimension, (n_j-1)/n_j S/P_j per direction
//                 per dimension j for all-reduce (half for the others), classes concurrent.
//   mesh_direct   all-reduce, reduce-scatter, all-gather inside a full-mesh node: S/n per
//                 ordered pair (2 S/n for all-reduce), every peer link at once.
#pragma once

#include "collective/collective_kind.hpp"
#include "hardware/efficiency.hpp"
#include "topology/cluster_graph.hpp"

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tcsim::network {

enum class Algorithm : std::uint8_t {
    automatic, ///< choose like NCCL (see FlowNetwork)
    ring,
    tree,
    nvls,
    hierarchical,
    pairwise,
    deepep_normal,
    deepep_low_latency,
    direct,
    torus_ring,  ///< bidirectional ring per torus dimension (TPU slices)
    mesh_direct, ///< direct exchange on a full-mesh node (xGMI, Gaudi, HCCS)
};

std::string_view to_string(Algorithm a);
/// The inverse of to_string ("auto" also names automatic); nullopt for other text.
std::optional<Algorithm> algorithm_from_string(std::string_view text);

struct LinkUse {
    topology::LinkId link = 0;
    double coefficient = 0; ///< capacity used per unit of per-flow rate
};

struct FlowClass {
    std::string name;
    std::vector<LinkUse> usage;   ///< sorted by link, one entry per link
    double bytes_per_payload = 0; ///< bytes each flow carries per payload byte
    int flows = 0;
};

struct CollectivePlan {
    Algorithm algorithm = Algorithm::ring;
    std::vector<FlowClass> classes;
    units::Seconds latency{0.0};
};

/// Expert routing parameters that shape the flows (the token count only scales the payload).
struct ExpertShape {
    int top_k = 1;
    int max_nodes = 0; ///< 0: unlimited
};

/// Expected distinct nodes a token reaches: m (1 - (1 - 1/m)^k), m = allowed nodes.
double expected_nodes_per_token(int allowed_nodes, int top_k);
/// Expected distinct GPUs a token reaches: g (1 - (1 - 1/g)^k), g = GPUs on the allowed nodes.
double expected_gpus_per_token(int allowed_gpus, int top_k);

class AlgorithmRegistry;

/// All algorithms, automatic excepted, in declaration order.
[[nodiscard]] std::vector<Algorithm> all_algorithms();

class CollectivePlanner {
public:
    /// NVLS is available exactly when `links` carries its calibration (links.nvls). Algorithms
    /// come from AlgorithmRegistry::standard().
    CollectivePlanner(const topology::ClusterGraph& graph, const hardware::LinkEfficiency& links, topology::Ecmp ecmp);

    /// Whether `algorithm` can run `kind` on groups of this shape (false for automatic and for
    /// an algorithm the registry lacks).
    [[nodiscard]] bool applicable(collective::CollectiveKind kind, Algorithm algorithm,
                                  const std::vector<std::vector<int>>& groups) const;

    /// The flows of `kind` run with `algorithm` (not automatic) on every group at once. For
    /// send_recv each group is {source, destination}. Throws std::invalid_argument when the
    /// algorithm does not apply.
    [[nodiscard]] CollectivePlan plan(collective::CollectiveKind kind, Algorithm algorithm,
                                      const std::vector<std::vector<int>>& groups, const ExpertShape& expert) const;

    [[nodiscard]] const topology::ClusterGraph& graph() const { return graph_; }
    [[nodiscard]] topology::Ecmp ecmp() const { return ecmp_; }

private:
    const topology::ClusterGraph& graph_;
    hardware::LinkEfficiency links_;
    topology::Ecmp ecmp_;
    bool nvls_;
    std::shared_ptr<const AlgorithmRegistry> registry_;
};

} // namespace tcsim::network
