// How a scale-up domain (a "node": the accelerators that talk without the scale-out network)
// is wired, as the vendor builds it.
//
// - switched:  every accelerator on one non-blocking switch fabric (NVIDIA NVSwitch in HGX/DGX
//              and the NVL72 rack, Huawei's Unified Bus switches in CloudMatrix 384).
// - full_mesh: a point-to-point link from every accelerator to every other, no switch (AMD
//              Infinity Fabric / xGMI on 8-GPU boards, Intel Gaudi's on-chip RoCE ports among 8
//              cards, Huawei Ascend 910B's HCCS among 8 NPUs). The scale-up bandwidth of a chip
//              is split evenly over its n - 1 links.
// - torus:     Google TPU ICI: chips on a 2-D or 3-D torus with wrap-around links inside a
//              slice; every chip has two ports per dimension (the chip's scale-up bandwidth split
//              evenly over 2 x dims ports) and chips forward each other's traffic.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace tcsim::topology {

enum class ScaleUpKind : unsigned char { switched, full_mesh, torus };

struct ScaleUpSpec {
    ScaleUpKind kind = ScaleUpKind::switched;
    /// torus only: extent of each dimension (2 or 3 of them), x first; their product is the
    /// domain's accelerator count. Local index i sits at x = i mod X, y = (i / X) mod Y, ...
    std::vector<int> torus;
};

/// "switch", "full_mesh", "torus" (the spelling used in cluster files).
std::string_view to_string(ScaleUpKind kind);
/// The inverse of to_string; nullopt for any other text.
std::optional<ScaleUpKind> scale_up_kind_from_string(std::string_view text);

/// Coordinates of local index `local` on a torus of extents `dims`, and the inverse.
std::vector<int> torus_coordinates(int local, const std::vector<int>& dims);
int torus_index(const std::vector<int>& coordinates, const std::vector<int>& dims);

} // namespace tcsim::topology
