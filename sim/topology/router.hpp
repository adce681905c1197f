// How flows find their way through a cluster graph: one interface, one router per routing
// discipline.
//
// Contract
// - `route(graph, src, dst, ecmp)` gives the links a flow from accelerator `src` to accelerator
//   `dst` (ranks) crosses, each once with its share of the flow, and the path latency
//   (route.hpp). Same inputs, same route: on every run and platform. Throws
//   std::invalid_argument when `dst` cannot be reached from `src`.
// - `accelerators_transit()` says whether this router may pass a flow through an accelerator
//   that is neither its source nor its destination as an ordinary hop: a Clos router never does
//   (accelerators are endpoints; at most a documented fallback such as NCCL's PXN), a torus's
//   dimension-order router does (the chips are the switches).
// - Routers may cache tables built from the graph; `forget()` drops them and is called by the
//   graph whenever it changes. `route` must be safe to call from several threads at once (a
//   fabric is shared by simulations on threads): a router that caches fills its cache under a
//   lock.
// - `route_into(graph, src, dst, ecmp, out)` is `route` written into `out` (its links cleared
//   first, their memory kept): a caller routing hundreds of thousands of flows reuses one
//   buffer. The default calls `route`; a router may route in place instead, with the same result.
//
// Routers: shortest_path_router.hpp (fewest switch hops with ECMP, for HGX/NVL domains on Clos,
// rail-optimized and multi-plane fabrics). Room is left for dimension-order routing on a torus
// and direct routing on a full mesh (xGMI, ICI): each a class of its own behind this interface.
#pragma once

#include "topology/route.hpp"

#include <string_view>

namespace tcsim::topology {

class ClusterGraph;

class Router {
public:
    virtual ~Router() = default;
    Router() = default;
    Router(const Router&) = delete;
    Router& operator=(const Router&) = delete;

    [[nodiscard]] virtual std::string_view name() const = 0;
    [[nodiscard]] virtual bool accelerators_transit() const = 0;
    [[nodiscard]] virtual Route route(const ClusterGraph& graph, int src, int dst, Ecmp ecmp) const = 0;
    virtual void route_into(const ClusterGraph& graph, int src, int dst, Ecmp ecmp, Route& out) const {
        out = route(graph, src, dst, ecmp);
    }
    /// Drops cached tables (the graph changed).
    virtual void forget() {}
};

} // namespace tcsim::topology
