// What a sweep file says (sweeps/*.toml, read by load_sweep.hpp): the base scenario, the axes of
// input values it varies, and how the axes combine into points.
//
// Contract: a SweepSpec is checked when load_sweep returns it: at least one axis, every axis has
// at least one value, no key twice, a zipped axis names an earlier axis and has as many values as
// it, the points number at most kMaxPoints. Paths are already resolved against the sweep file.
// Each value keeps its TOML text (an override's value, config/overrides.hpp) and where it was
// written, so that an error about it names the sweep file's line.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace tcsim::sweep {

/// How the groups of axes combine: every combination (the first axis outermost), or point i
/// takes value i of every axis (all axes the same length).
enum class Combine { product, zip };

/// What an axis varies.
enum class Target {
    file_key,           ///< a key of an input file, KIND.KEY (config/overrides.hpp)
    gpus,               ///< the GPU count: the cluster resized (scenario::ClusterUse::gpus)
    nodes,              ///< the first N nodes of the cluster (scenario::ClusterUse::nodes)
    price_per_gpu_hour, ///< the rental price in US dollars per GPU-hour
    cluster_file,       ///< the cluster file itself
    workload_file,      ///< the workload file itself
};

struct AxisValue {
    std::string toml;  ///< as TOML text: `"B200"`, `4096`, `2.5` (a path for the file axes: resolved)
    std::string plain; ///< as a report shows it: `B200`, `4096`, `2.5` (a path: as written)
    std::string where; ///< "SWEEP:LINE:COLUMN"
};

struct Axis {
    std::string key; ///< as written: "cluster.gpu", "gpus", "workload"
    Target target = Target::file_key;
    std::vector<AxisValue> values;
    std::optional<std::size_t> zip_with; ///< index of the earlier axis it moves with
};

struct SweepSpec {
    std::string path; ///< the sweep file, as named
    std::string name;
    std::string cluster;    ///< resolved; "" only when a cluster axis gives it
    std::string workload;   ///< resolved; "" only when a workload axis gives it
    std::string prices;     ///< resolved; "" = prices.toml beside the cluster file
    std::string datacenter; ///< resolved; "" = datacenter.toml beside the cluster file
    Combine combine = Combine::product;
    std::vector<Axis> axes;
};

/// The most points one sweep may have (a typo such as 1-100000 in every axis should not start a
/// run of years).
inline constexpr std::size_t kMaxPoints = 100'000;

} // namespace tcsim::sweep
