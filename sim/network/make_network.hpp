// Chooses the network model of a simulation by name.
//
//   alpha_beta  AlphaBetaNetwork: each collective priced alone with closed forms; no sharing.
//   flow        FlowNetwork: collectives as flows on the cluster graph, max-min fair sharing.
#pragma once

#include "network/flow_network.hpp"
#include "network/network_model.hpp"

#include <memory>
#include <optional>
#include <string_view>

namespace tcsim::network {

enum class NetworkKind : std::uint8_t { alpha_beta, flow };

std::string_view to_string(NetworkKind kind);
std::optional<NetworkKind> network_kind_from_string(std::string_view text);

/// The model of `fabric`'s cluster on `sim`, running collectives on the group sets of `groups`
/// (which must outlive it; options: flow model only).
std::unique_ptr<NetworkModel> make_network(NetworkKind kind, engine::Simulation& sim,
                                           std::shared_ptr<const Fabric> fabric, const collective::GroupTable& groups,
                                           const FlowNetworkOptions& options = {});

} // namespace tcsim::network
