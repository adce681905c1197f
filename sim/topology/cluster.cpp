// Names of fabric and scale-up kinds as written in cluster files; torus coordinates. One table serves both directions so the
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

namespace {

constexpr std::array<std::pair<ScaleUpKind, std::string_view>, 3> kScaleUpNames{{
    {ScaleUpKind::switched, "switch"},
    {ScaleUpKind::full_mesh, "full_mesh"},
    {ScaleUpKind::torus, "torus"},
}};

} // namespace

std::string_view to_string(ScaleUpKind kind) {
    for (const auto& [k, name] : kScaleUpNames)
        if (k == kind) return name;
    return "?";
}

std::optional<ScaleUpKind> scale_up_kind_from_string(std::string_view text) {
    for (const auto& [k, name] : kScaleUpNames)
        if (name == text) return k;
    return std::nullopt;
}

std::vector<int> torus_coordinates(int local, const std::vector<int>& dims) {
    std::vector<int> c;
    for (int d : dims) {
        c.push_back(local % d);
        local /= d;
    }
    return c;
}

int torus_index(const std::vector<int>& coordinates, const std::vector<int>& dims) {
    int i = 0;
    for (std::size_t k = dims.size(); k-- > 0;) i = i * dims[k] + coordinates[k];
    return i;
}

} // namespace tcsim::topology
