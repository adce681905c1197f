// Names of fabric and scale-up kinds as written in cluster files; torus coordinates. One table serves both directions so the
// spellings cannot drift apart.
#include "topology/cluster.hpp"

#include <algorithm>
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

std::vector<int> torus_step(std::vector<int> at, const std::vector<int>& dims, bool twisted, std::size_t d, int dir) {
    const int n = dims[d];
    const int moved = at[d] + dir;
    at[d] = ((moved % n) + n) % n;
    if (!twisted || (moved >= 0 && moved < n)) return at;
    const int longest = *std::max_element(dims.begin(), dims.end());
    if (2 * n != longest) return at; // a long dimension's own wrap-around is not twisted
    for (std::size_t e = 0; e < dims.size(); ++e)
        if (dims[e] == longest) at[e] = (at[e] + longest / 2) % longest;
    return at;
}

std::string twist_refusal(const std::vector<int>& dims) {
    std::string shape;
    for (std::size_t k = 0; k < dims.size(); ++k) shape += (k > 0 ? "x" : "") + std::to_string(dims[k]);
    if (dims.size() != 3)
        return "a twisted torus is 3-D; " + shape + " has " + std::to_string(dims.size()) + " extents";
    for (int d : dims)
        if (d < 4 || d % 4 != 0)
            return "every extent of a twisted slice is a multiple of 4 (whole 4x4x4 cubes); " + shape + " is not";
    std::vector<int> sorted = dims;
    std::sort(sorted.begin(), sorted.end());
    const bool kk2k = sorted[0] == sorted[1] && sorted[2] == 2 * sorted[0];
    const bool k2k2k = sorted[1] == sorted[2] && sorted[1] == 2 * sorted[0];
    if (!kk2k && !k2k2k)
        return "a twisted slice is k x k x 2k or k x 2k x 2k (e.g. 4x4x8, 4x8x8); " + shape + " is neither";
    return "";
}

} // namespace tcsim::topology
