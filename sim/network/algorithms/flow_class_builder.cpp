#include "network/algorithms/flow_class_builder.hpp"

#include "hardware/link_class.hpp"

#include <algorithm>
#include <utility>

namespace tcsim::network {

FlowClassBuilder::FlowClassBuilder(const topology::ClusterGraph& graph, const hardware::LinkEfficiency& links,
                                   topology::Ecmp ecmp, std::string name, double bytes_per_payload,
                                   std::initializer_list<FractionOverride> overrides)
    : graph_(graph), ecmp_(ecmp), name_(std::move(name)), bytes_(bytes_per_payload),
      scale_(hardware::link_classes().size(), 1.0), contended_(hardware::link_classes().size(), 0),
      sums_from_(std::max<std::size_t>(graph.link_count() / 2, 1024)) {
    for (const FractionOverride& o : overrides)
        scale_[hardware::link_class(o.link_class).index()] = links.fraction(o.link_class) / o.fraction;
    for (std::size_t c = 0; c < contended_.size(); ++c)
        contended_[c] = hardware::LinkClass(static_cast<std::uint8_t>(c)).contended() ? 1 : 0;
}

double FlowClassBuilder::flow(int src, int dst) {
    graph_.route_into(src, dst, ecmp_, route_);
    for (const auto& ls : route_.links) add(ls.link, ls.share);
    ++flows_;
    return route_.latency.count();
}

void FlowClassBuilder::to_switch(int gpu, bool up) {
    const auto v = graph_.gpu(gpu);
    for (topology::LinkId l : graph_.out_links(v)) {
        const auto& link = graph_.link(l);
        if (graph_.vertex(link.to).kind != topology::VertexKind::scale_up_switch) continue;
        if (up) {
            add(l, 1.0);
        } else {
            for (topology::LinkId back : graph_.out_links(link.to))
                if (graph_.link(back).to == v) add(back, 1.0);
        }
    }
    ++flows_;
}

void FlowClassBuilder::finish(CollectivePlan& plan) {
    if (flows_ == 0) return;
    FlowClass c;
    c.name = std::move(name_);
    c.bytes_per_payload = bytes_;
    c.flows = flows_;
    if (summed_) {
        for (std::size_t l = 0; l < used_.size(); ++l)
            if (used_[l] != 0) c.usage.push_back(LinkUse{static_cast<topology::LinkId>(l), sums_[l]});
    } else {
        std::stable_sort(usage_.begin(), usage_.end(),
                         [](const LinkUse& a, const LinkUse& b) { return a.link < b.link; });
        for (const LinkUse& u : usage_) {
            if (!c.usage.empty() && c.usage.back().link == u.link)
                c.usage.back().coefficient += u.coefficient;
            else
                c.usage.push_back(u);
        }
    }
    plan.classes.push_back(std::move(c));
}

void FlowClassBuilder::add(topology::LinkId l, double share) {
    const hardware::LinkClass c = graph_.link(l).link_class;
    if (contended_[c.index()] == 0) return; // never a bottleneck (hardware/link_class.hpp)
    const double coefficient = share * scale_[c.index()];
    if (summed_) {
        sum(l, coefficient);
        return;
    }
    usage_.push_back(LinkUse{l, coefficient});
    if (usage_.size() >= sums_from_) to_sums();
}

void FlowClassBuilder::to_sums() {
    summed_ = true;
    sums_ = std::make_unique_for_overwrite<double[]>(graph_.link_count());
    used_.assign(graph_.link_count(), 0);
    for (const LinkUse& u : usage_) sum(u.link, u.coefficient);
    usage_ = {};
}

void FlowClassBuilder::sum(topology::LinkId l, double coefficient) {
    // A link's first entry is its sum so far, as the sorted list's merge takes it.
    if (used_[l] != 0) {
        sums_[l] += coefficient;
    } else {
        sums_[l] = coefficient;
        used_[l] = 1;
    }
}

} // namespace tcsim::network
