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

/// The model of `cluster` on `sim`, running collectives on the group sets of `groups` (which
/// must outlive it). Flow model only: `options`, and `fabric`, the cluster's fabric when one is
/// shared (built here when null; the alpha-beta model needs no graph and builds none).
std::unique_ptr<NetworkModel> make_network(NetworkKind kind, engine::Simulation& sim,
                                           const topology::ClusterSpec& cluster, const collective::GroupTable& groups,
                                           const FlowNetworkOptions& options = {},
                                           std::shared_ptr<const Fabric> fabric = nullptr);

} // namespace tcsim::network
