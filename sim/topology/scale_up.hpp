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
//              Twisted (`twisted = true`, TPU v4 and v5p on k x k x 2k and k x 2k x 2k slices):
//              the wrap-around link of each short dimension (extent k) lands half-way round
//              every long one (extent 2k), which shortens the longest routes (see torus_step).
//
// A job need not use every accelerator of a switched domain: on GB200 NVL72 racks Slurm's
// topology/block plugin allocates a large job in segments of 16 of the rack's 18 four-GPU compute
// trays (`--segment=16`: 64 of 72 GPUs), so that rank order puts expert groups of 8 to 64 inside
// one NVLink domain, the other 2 trays left to small jobs or as spares. NVIDIA, "Achieving Peak
// System and Workload Efficiency on NVIDIA GB200 NVL72 with Slurm Block Scheduling" (NVIDIA
// technical blog, developer.nvidia.com/blog/?p=116606): segment size 16 recommended for jobs of
// 128+ GPUs such as MoE training. A cluster file says so with `[scale_up] job_gpus = 64`; the
// cluster the models see then has job_gpus accelerators (and the NICs that serve them) per
// domain, `domain_gpus` keeping the domain's own size for the report.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tcsim::topology {

enum class ScaleUpKind : unsigned char { switched, full_mesh, torus };

struct ScaleUpSpec {
    ScaleUpKind kind = ScaleUpKind::switched;
    /// torus only: extent of each dimension (2 or 3 of them), x first; their product is the
    /// domain's accelerator count. Local index i sits at x = i mod X, y = (i / X) mod Y, ...
    std::vector<int> torus;
    /// torus only: the twisted wrap-around of TPU v4 and v5p slices (torus_step).
    bool twisted = false;
    /// switched only: the accelerators a domain holds when the job uses fewer of them (the
    /// cluster's gpus_per_node is then the job's share, `[scale_up] job_gpus`); 0 = the job
    /// uses the whole domain.
    int domain_gpus = 0;
};

/// "switch", "full_mesh", "torus" (the spelling used in cluster files).
std::string_view to_string(ScaleUpKind kind);
/// The inverse of to_string; nullopt for any other text.
std::optional<ScaleUpKind> scale_up_kind_from_string(std::string_view text);

/// Coordinates of local index `local` on a torus of extents `dims`, and the inverse.
std::vector<int> torus_coordinates(int local, const std::vector<int>& dims);
int torus_index(const std::vector<int>& coordinates, const std::vector<int>& dims);

/// The chip one hop from `at` along dimension `d` (`dir` +1 or -1) on a torus of extents `dims`.
/// Plain torus: the coordinate moves round its ring. Twisted: crossing the wrap-around of a
/// short dimension (extent k, half the longest extent 2k) also moves every long dimension by k,
/// the same either way round (the link from x = k-1 at z joins x = 0 at z + k). Sources: Jouppi
/// et al., "TPU v4: An Optically Reconfigurable Supercomputer for Machine Learning...", ISCA 2023
/// (twisted tori on the OCS-wired slices, better all-to-all and bisection); Camara et al.,
/// "Twisted Torus Topologies for Enhanced Interconnection Networks", IEEE TPDS 21(12), 2010 (the
/// k x k x 2k prismatic twisted torus: the short dimensions' wrap-around twisted by k along the
/// long one). Applying the same twist to both long dimensions of a k x 2k x 2k slice follows that
/// construction; Google does not publish its wiring (an assumption).
std::vector<int> torus_step(std::vector<int> at, const std::vector<int>& dims, bool twisted, std::size_t d, int dir);

/// Why a slice of extents `dims` cannot be twisted, or "" when it can: the shapes Cloud TPU
/// offers twisted (docs.cloud.google.com/tpu/docs/v4, /v5p: "4x4x8_twisted", "Supports twisted
/// tori" column) are 3-D, k x k x 2k or k x 2k x 2k in some order, every extent a multiple of 4
/// (whole 4x4x4 cubes).
std::string twist_refusal(const std::vector<int>& dims);

} // namespace tcsim::topology
