// Which GPUs form the groups of a parallel dimension, from the parallel layout.
//
// Ranks are numbered as workload::place() assumes: TP innermost, then CP, then DP, then PP, so
// pipeline stage p holds GPUs [p*M, (p+1)*M) with M = tp * cp * dp. Inside a stage a group of
// dimension d is `size` ranks spaced `stride` apart:
//     tp: stride 1;  cp: stride tp;  dp: stride tp*cp (size dp) or tp (size dp*cp, the ranks
//     that hold the same dense weights);  ep: stride tp*cp (consecutive data-parallel ranks);
//     expert_dp: stride tp*ep;  pp: stride M.
// In symmetric mode one representative (the stage) issues a collective for all M/size groups
// of its stage at once; in full mode each GPU issues its own and the group containing it is
// named by its lowest rank.
//
// Throws std::invalid_argument when `size` does not tile the stage with that stride.
#pragma once

#include "workload/parallel_spec.hpp"
#include "workload/program.hpp"

#include <vector>

namespace tcsim::network {

struct GroupShape {
    int stride = 1;
    int size = 1;
};

/// GPUs per pipeline stage: tp * cp * dp.
int stage_gpus(const workload::ParallelSpec& parallel);

/// Stride and size of a `dim` group of `size` ranks.
GroupShape group_shape(const workload::ParallelSpec& parallel, workload::ParallelDim dim, int size);

/// Every group of the shape inside stage `stage`, each in rank order, ordered by lowest rank.
std::vector<std::vector<int>> stage_groups(const workload::ParallelSpec& parallel, const GroupShape& shape, int stage);

/// The group of the shape that contains GPU `gpu`, in rank order.
std::vector<int> group_of(const workload::ParallelSpec& parallel, const GroupShape& shape, int gpu);

} // namespace tcsim::network
