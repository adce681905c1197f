// Names of fabric kinds as written in cluster files. One table serves both directions so the
// spellings cannot drift apart.
#include "topology/cluster.hpp"

#include <array>
#include <utility>

namespace tcsim::topology {
namespace {

constexpr std::array<std::pair<FabricKind, std::string_view>, 3> kFabricNames{{
    {FabricKind::fat_tree, "fat_tree"},
    {FabricKind::rail_optimized, "rail_optimized"},
    {FabricKind::multi_plane, "multi_plane"},
}};

} // namespace

std::string_view to_string(FabricKind kind) {
    for (const auto& [k, name] : kFabricNames)
        if (k == kind) return name;
    return "?";
}

std::optional<FabricKind> fabric_kind_from_string(std::string_view text) {
    for (const auto& [k, name] : kFabricNames)
        if (name == text) return k;
    return std::nullopt;
}

} // namespace tcsim::topology
