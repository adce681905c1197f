// Collectives priced alone with closed-form alpha-beta costs over the link they cross.
//
// Contract (n ranks in the group, S bytes as CommWork defines them, B the bottleneck
// bandwidth per rank, alpha the per-step latency):
//   ring all-reduce       2(n-1)/n * S/B + 2(n-1) * alpha
//   reduce-scatter/gather   (n-1)/n * S/B +  (n-1) * alpha
//   all-to-all            max(cross-node bytes / B_net, in-node bytes / B_nvlink) + alpha
//   send/recv             S / B + alpha
//   expert dispatch/combine (node-limited routing, DeepSeek-V3 Sec 3.2.2): each token goes
//     to m = min(max_nodes, nodes, top_k) nodes; m(1 - 1/nodes) of them remote, over the NIC to
//     the same-rail GPU, then over NVLink to its experts' GPUs:
//     max(T * m(1 - 1/nodes) * b / B_net, T * top_k * (1 - 1/ranks_per_node) * b / B_nvlink) + alpha
// Inside one node B is NVLink per direction x its efficiency and alpha the NVLink latency;
// across nodes the ring's bottleneck is min(B_nvlink, ranks_per_node x NIC per GPU x network
// efficiency) (each rank of a node drives its own NIC) and alpha the fabric latency.
// Concurrent collectives do not slow each other here (the flow model of issue 3 does that).
#pragma once

#include "network/network_model.hpp"
#include "topology/cluster.hpp"

namespace tcsim::network {

class AlphaBetaNetwork final : public NetworkModel {
public:
    AlphaBetaNetwork(engine::Simulation& sim, const topology::ClusterSpec& cluster);
    void transfer(const collective::CommWork& work, std::function<void()> done) override;
    [[nodiscard]] units::Seconds estimate(const collective::CommWork& work) const override;

private:
    engine::Simulation& sim_;
    double nvlink_; ///< bytes/s per GPU per direction, achievable
    double nic_;    ///< bytes/s per GPU per direction across the fabric, achievable
    double nvlink_alpha_;
    double fabric_alpha_;
};

} // namespace tcsim::network
