// Accumulates routed flows into one flow class's link coefficients (collective_plan.hpp).
//
// Contract
// - Each flow is routed by the graph's router; every contended link it crosses adds the flow's
//   share times the class's scale for that link's class. Links of classes that are not
//   contended (hardware/link_class.hpp) are left out.
// - Scale: 1 for a class the algorithm runs at NCCL's fraction (the capacity's own); for a
//   class the algorithm calibrates itself (DeepEP, NVLS), fraction(class) / override, so a flow
//   of the class reaches line rate x override on an idle link.
// - `finish` appends the class (usage sorted by link) to a plan, unless it has no flows. Each
//   link's coefficient is the sum of its entries in the order the flows added them, whichever
//   way they were kept (below).
#pragma once

#include "engine/huge_page_allocator.hpp"
#include "hardware/efficiency.hpp"
#include "network/collective_plan.hpp"
#include "topology/cluster_graph.hpp"

#include <initializer_list>
#include <memory>
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
    /// From the list of entries to sums by link (see usage_), and one entry into the sums.
    void to_sums();
    void sum(topology::LinkId l, double coefficient);

    const topology::ClusterGraph& graph_;
    topology::Ecmp ecmp_;
    std::string name_;
    double bytes_;
    std::vector<double> scale_; ///< by link class index
    std::vector<char> contended_; ///< by link class index (hardware/link_class.hpp)
    topology::Route route_;       ///< the last flow's, its memory reused by the next
    /// Every (link, share) in the order flows added them; `finish` sums each link's entries in
    /// that order (a stable sort by link), as a map accumulating them would, without hashing.
    /// A stage-wide collective on 10K+ GPUs adds millions of entries (ECMP spread over a fat
    /// tree's paths) on far fewer links: once the list holds half as many entries as the graph
    /// has links, it is folded into `sums_` (a coefficient per link of the graph, summed in the
    /// same order, so the same bits) and later entries are summed there, in constant memory and
    /// without the sort.
    engine::HugeVector<LinkUse> usage_;
    std::size_t sums_from_ = 0; ///< entries in usage_ at which it is folded into sums_
    bool summed_ = false;       ///< folded: entries go to sums_
    /// By link, once folded; an entry is written before it is read (a link's first entry sets
    /// it, as `used_` records), so the array is left unzeroed: a class touches few of the graph's
    /// links, and zeroing all of them was a page fault per 4 KiB of a large graph (issue 18).
    std::unique_ptr<double[]> sums_;
    std::vector<char> used_; ///< by link, once folded: whether any entry named it
    int flows_ = 0;
};

} // namespace tcsim::network
