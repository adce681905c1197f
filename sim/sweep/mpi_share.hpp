// Spreading a sweep's points over processes with MPI: `mpirun -n N tcsim sweep FILE` or
// `srun tcsim sweep FILE` runs N processes; each runs the points of its share (point i on rank
// i mod N, run_sweep.hpp), and rank 0 gathers every row and writes the output, which is the same
// bytes as a single process's.
//
// Contract:
// - An MpiSession starts MPI only when this process was started by an MPI launcher (the
//   environment says so: OMPI_COMM_WORLD_SIZE for Open MPI's mpirun, PMIX_RANK for PMIx as
//   Slurm's srun --mpi=pmix sets it, PMI_SIZE for PMI-2 launchers) and tcsim was built with MPI
//   (CMake found it); otherwise it is one process of one (rank 0 of 1). Started under a launcher
//   of more than one process by a tcsim built without MPI, it throws scenario::InputError saying
//   so (N copies each writing the whole output would be wrong, not slower). It ends MPI when
//   destroyed.
// - gather(mine) is collective: every rank must call it once. Rank 0 gets every rank's rows
//   sorted by point; other ranks get none.
#pragma once

#include "sweep/run_sweep.hpp"
#include "sweep/sweep_row.hpp"

#include <vector>

namespace tcsim::sweep {

class MpiSession {
public:
    MpiSession();
    MpiSession(const MpiSession&) = delete;
    MpiSession& operator=(const MpiSession&) = delete;
    MpiSession(MpiSession&&) = delete;
    MpiSession& operator=(MpiSession&&) = delete;
    ~MpiSession();

    [[nodiscard]] Share share() const { return share_; }
    [[nodiscard]] bool is_root() const { return share_.rank == 0; }
    [[nodiscard]] std::vector<SweepRow> gather(std::vector<SweepRow> mine) const;

    /// Whether this tcsim was built with MPI.
    [[nodiscard]] static bool built_with_mpi();

private:
    Share share_;
    bool started_ = false;
};

} // namespace tcsim::sweep
