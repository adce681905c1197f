// tcsim sweep: one full run assessment (as `tcsim run`) per point of a sweep file's axes.
//
//   tcsim sweep FILE.toml [-j N] [--json | --csv] [--samples N] [--seed S] [--no-failures]
//               [--no-extension] [--full] [--prices FILE] [--datacenter FILE]
//               [--price-per-gpu-hour X] [--mtbf-per-gpu-hours H] [override flags]
//   mpirun -n N tcsim sweep FILE.toml ...     (or srun under Slurm: the points spread over N
//                                              processes, rank 0 writes the same bytes)
//   The sweep file's format: sweep/load_sweep.hpp and sweeps/README.md. The override flags
//   (--gpu, --tp, ..., --set KIND.KEY=VALUE, --gpus, --nodes) apply to every point, before the
//   point's own values (an axis of the same key wins). Progress and an estimate of the time left
//   go to stderr only when stderr is a terminal (one line, rewritten), from rank 0. Ranks other
//   than 0 write nothing, not even errors: every rank checks every point, so rank 0 reports any.
#pragma once

#include "cli/command.hpp"

namespace tcsim::cli {

void add_sweep_command(CLI::App& app, Commands& commands);

} // namespace tcsim::cli
