// Dimension-order routing on TPU torus slices (fabrics/torus_slice.hpp), shortest-path ECMP on
// the data-center network between slices.
//
// Contract (on top of router.hpp)
// - Inside a slice: x first, then y, then z (the order of the extents); in each dimension the
//   shorter way round the ring (wrap-around links included). When both ways are equally long
//   (extent even, half-way), the + way is taken from an even source coordinate and the - way
//   from an odd one, so such flows split evenly over both directions. On a twisted slice
//   (scale_up.hpp, torus_step) the short dimensions go first, each either directly or across
//   its twisted wrap-around, whichever with the long dimensions' shorter way round after it
//   takes fewer hops (the direct way, x first, on a tie): a minimal route. Deterministic; Ecmp has
//   no effect inside a slice. Sources: Dally & Towles, "Principles and Practices of
//   Interconnection Networks" (2004), ch. 14 (dimension-order routing on tori); TPU v4 paper
//   (Jouppi et al., ISCA 2023) for ICI being a torus of chip-to-chip links.
// - Chips forward other chips' flows: `accelerators_transit()` is TRUE, and a route inside a
//   slice lists every ICI link of every hop (a flow between chips k hops apart loads k links).
//   This is unlike NVLink GPUs behind an NVSwitch, which are only endpoints.
// - Across slices (multislice): as ShortestPathRouter over the DCN NICs.
#pragma once

#include "topology/shortest_path_router.hpp"

namespace tcsim::topology {

class TorusRouter final : public Router {
public:
    [[nodiscard]] std::string_view name() const override { return "torus_dimension_order"; }
    [[nodiscard]] bool accelerators_transit() const override { return true; }
    [[nodiscard]] Route route(const ClusterGraph& graph, int src, int dst, Ecmp ecmp) const override;
    void forget() override { between_slices_.forget(); }

private:
    ShortestPathRouter between_slices_;
};

} // namespace tcsim::topology
