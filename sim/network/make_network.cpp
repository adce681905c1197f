#include "network/make_network.hpp"

#include "network/alpha_beta_network.hpp"

namespace tcsim::network {

std::string_view to_string(NetworkKind kind) {
    switch (kind) {
    case NetworkKind::alpha_beta: return "alpha_beta";
    case NetworkKind::flow: return "flow";
    }
    return "?";
}

std::optional<NetworkKind> network_kind_from_string(std::string_view text) {
    if (text == "alpha_beta") return NetworkKind::alpha_beta;
    if (text == "flow") return NetworkKind::flow;
    return std::nullopt;
}

std::unique_ptr<NetworkModel> make_network(NetworkKind kind, engine::Simulation& sim,
                                           const topology::ClusterSpec& cluster, const collective::GroupTable& groups,
                                           const FlowNetworkOptions& options, std::shared_ptr<const Fabric> fabric) {
    switch (kind) {
    case NetworkKind::alpha_beta: return std::make_unique<AlphaBetaNetwork>(sim, cluster);
    case NetworkKind::flow:
        if (fabric == nullptr) fabric = make_fabric(cluster);
        return std::make_unique<FlowNetwork>(sim, std::move(fabric), groups, options);
    }
    return nullptr;
}

} // namespace tcsim::network
