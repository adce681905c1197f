// Running a sweep: every point is `tcsim run` on the base files with the point's axis values
// applied (as overrides, a GPU count, a price or other files), assessed in full (failures,
// dollars both ways) by scenario::load_run and scenario::evaluate.
//
// Contract:
// - Every point's files are read and checked before any point is simulated (by every process:
//   each sees the same input errors). A config::ConfigError (a bad key or value, naming the sweep
//   file's line through the override's origin) stops the sweep: the first point's in point order
//   is thrown. A point whose layout is refused (workload::PlanError) or whose use of the cluster
//   is (scenario::InputError), or that cannot finish (evaluate's InputError), becomes a refused
//   row and the others run.
// - A process runs the points of its share: point i belongs to rank i mod size (round-robin), on
//   `threads` threads; its rows come back in point order. A point's row does not depend on the
//   rank, the thread or the other points, so any split gives the same rows.
// - Any other exception of a point becomes an internal_error row (so that no process is left
//   waiting for another); the caller reports it.
// - `progress(done, total)` runs after each simulated point of the share, one call at a time.
#pragma once

#include "config/overrides.hpp"
#include "scenario/options.hpp"
#include "sweep/sweep_row.hpp"
#include "sweep/sweep_spec.hpp"

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace tcsim::sweep {

/// Which points this process runs: those with index mod size == rank.
struct Share {
    int rank = 0;
    int size = 1;
};

struct SweepOptions {
    config::Overrides base;    ///< the command line's overrides, applied before each point's
    scenario::ClusterUse use;  ///< the command line's --gpus/--nodes; a gpus or nodes axis replaces it
    scenario::Options options; ///< pricing and sampling; the sweep file's prices and datacenter unless given
    int threads = 1;
    Share share;
    std::function<void(std::size_t done, std::size_t total)> progress;
};

/// The axis values of every point, in point order, as the output shows them.
[[nodiscard]] std::vector<std::vector<std::string>> point_values(const SweepSpec& spec);

/// The rows of this process's share, in point order.
[[nodiscard]] std::vector<SweepRow> run_sweep(const SweepSpec& spec, const SweepOptions& options);

} // namespace tcsim::sweep
