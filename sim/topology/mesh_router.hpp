// Direct routing on full-mesh scale-up nodes (AMD xGMI, Gaudi RoCE all-to-all, Ascend HCCS:
// fabrics/full_mesh_node.hpp), shortest-path ECMP between nodes.
//
// Contract (on top of router.hpp)
// - Inside a node: the one link joining source and destination; no third accelerator is
//   crossed (`accelerators_transit()` is false: xGMI and HCCS do not forward peer traffic in
//   the collective libraries modelled, RCCL and HCCL).
// - Across nodes: as ShortestPathRouter (accelerator -> NIC -> switches -> NIC -> accelerator);
//   there is no scale-up switch, so no PXN detour: a destination no NIC of the source reaches
//   is refused (std::invalid_argument).
#pragma once

#include "topology/shortest_path_router.hpp"

namespace tcsim::topology {

class MeshRouter final : public Router {
public:
    [[nodiscard]] std::string_view name() const override { return "full_mesh_direct"; }
    [[nodiscard]] bool accelerators_transit() const override { return false; }
    [[nodiscard]] Route route(const ClusterGraph& graph, int src, int dst, Ecmp ecmp) const override;
    void forget() override { between_nodes_.forget(); }

private:
    ShortestPathRouter between_nodes_;
};

} // namespace tcsim::topology
