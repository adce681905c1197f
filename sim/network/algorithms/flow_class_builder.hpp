// Accumulates routed flows into one flow class's link coefficients (collective_plan.hpp).
//
// Contract
// - Each flow is routed by the graph's router; every contended link it crosses adds the flow's
//   share times the class's scale for that link's class. Links of classes that are not
//   contended (hardware/link_class.hpp) are left out.
// - Scale: 1 for a class the algorithm runs at NCCL's fraction (the capacity's own); for a
//   class the algorithm calibrates itself (DeepEP, NVLS), fraction(class) / override, so a flow
//   of the class reaches line rate x override on an idle link.
// - `finish` appends the class (usage sorted by link) to a plan, unless it has no flows.
#pragma once

#include "engine/huge_page_allocator.hpp"
#include "hardware/efficiency.hpp"
#include "network/collective_plan.hpp"
#include "topology/cluster_graph.hpp"

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace tcsim::network {

/// An algorithm's own achievable fraction for one link class.
struct FractionOverride {
    std::string_view link_class;
    double fraction = 0.0;
};

class FlowClassBuilder {
public:
    FlowClassBuilder(const topology::ClusterGraph& graph, const hardware::LinkEfficiency& links, topology::Ecmp ecmp,
                     std::string name, double bytes_per_payload,
                     std::initializer_list<FractionOverride> overrides = {});

    /// One flow from GPU `src` to GPU `dst`; returns its path latency in seconds.
    double flow(int src, int dst);
    /// A flow that ends at (up) or starts from (down) the scale-up switch of the GPU's node.
    void to_switch(int gpu, bool up);
    void finish(CollectivePlan& plan);

private:
    void add(topology::LinkId l, double share);

    const topology::ClusterGraph& graph_;
    topology::Ecmp ecmp_;
    std::string name_;
    double bytes_;
    std::vector<double> scale_; ///< by link class index
    /// Every (link, share) in the order flows added them; `finish` sums each link's entries in
    /// that order (a stable sort by link), as a map accumulating them would, without hashing.
    /// Millions of entries for a stage-wide collective on 10K+ GPUs: huge pages once large.
    engine::HugeVector<LinkUse> usage_;
    int flows_ = 0;
};

} // namespace tcsim::network
