#include "network/fabric.hpp"

#include "topology/fabric_builders.hpp"

#include <stdexcept>
#include <string>
#include <utility>

namespace tcsim::network {

Fabric::Fabric(const topology::ClusterSpec& c) : Fabric(c, topology::build_cluster_graph(c)) {}

Fabric::Fabric(const topology::ClusterSpec& c, topology::ClusterGraph graph) : cluster_(c), graph_(std::move(graph)) {
    capacity_.resize(graph_.link_count(), 0.0);
    for (topology::LinkId l = 0; l < graph_.link_count(); ++l) {
        const auto& link = graph_.link(l);
        // By link class (data): contended classes at their calibrated fraction, others at line rate.
        const bool contended = link.link_class.contended();
        const double eff = contended ? c.efficiency.links.find_fraction(link.link_class.name()).value_or(0.0) : 1.0;
        if (contended && !(eff > 0))
            throw std::invalid_argument("cluster " + c.name + ": link efficiency for " +
                                        std::string(link.link_class.name()) + " must be positive");
        capacity_[l] = link.bandwidth.value() * eff;
    }
}

std::shared_ptr<const Fabric> make_fabric(const topology::ClusterSpec& cluster) {
    return std::make_shared<const Fabric>(cluster);
}

std::shared_ptr<const Fabric> make_fabric(const topology::ClusterSpec& cluster, topology::ClusterGraph graph) {
    return std::make_shared<const Fabric>(cluster, std::move(graph));
}

} // namespace tcsim::network
