// The layouts a search considers: every combination of the parallel degrees, micro-batch,
// ZeRO stage, recomputation and pipeline schedule within the user's bounds.
//
// Contract
// - A bound left empty takes its default: TP the divisors of the GPUs per node; PP the
//   divisors of the GPU count; CP 1, 2, 4, 8; EP the divisors of the routed experts and ETP the
//   divisors of the GPUs per node (both 1 for a dense model); micro-batch 1, 2, 4, 8; ZeRO
//   0-3; recompute none, selective, full; schedules 1F1B, interleaved 1F1B (virtual stages
//   2, 3, 4, 6, 8 unless bounded), zero-bubble, DualPipe and GPipe. DP is what the GPUs leave
//   (GPUs / (TP x PP x CP)); a DP bound filters.
// - Only the cheap arithmetic that every layout must satisfy to exist is applied here (TP x PP
//   x CP divides the GPUs); every other rule is the plan check's (workload/plan_check.hpp), run
//   by the search. With one stage the schedule is 1F1B (the others coincide with it); with one
//   replica of every weight (DP x CP = 1 and, for MoE, one expert replica) the ZeRO stages are
//   one layout, kept once with the first stage allowed.
// - The rest of the layout (sequence parallelism, overlaps, dispatcher, reserved SMs, the
//   embedding split) is the workload's own, except that overlap_param_gather is kept only
//   where the ZeRO stage has one (1 or 2), and a custom pipeline_layout only where the candidate
//   has the workload's PP, schedule and virtual stages (elsewhere its pipeline_split rule).
// - Candidates come in one total order (LayoutCandidate's operator<=>), so that every search
//   enumerates and breaks ties the same way.
#pragma once

#include "topology/cluster.hpp"
#include "workload/workload.hpp"

#include <compare>
#include <string>
#include <vector>

namespace tcsim::search {

/// One point of the space: a parallel layout and the recomputation it runs with.
struct LayoutCandidate {
    workload::ParallelSpec parallel;
    workload::Recompute recompute = workload::Recompute::none;
    auto operator<=>(const LayoutCandidate&) const = default;
};

/// "TP8 x PP8 1f1b x DP1, mbs 1, ZeRO-1, recompute full" (run::layout_text and the rest).
[[nodiscard]] std::string describe(const LayoutCandidate& candidate);

/// The workload running `candidate` (its layout and recomputation), without extension stages.
[[nodiscard]] workload::Workload with_layout(const workload::Workload& workload, const LayoutCandidate& candidate);

/// The user's bounds; an empty list means "the default range".
struct SearchBounds {
    std::vector<int> tp, pp, vpp, dp, cp, ep, etp, mbs, zero;
    std::vector<workload::Recompute> recompute;
    std::vector<workload::PipelineSchedule> schedule;
};

[[nodiscard]] std::vector<LayoutCandidate>
enumerate_layouts(const topology::ClusterSpec& cluster, const workload::Workload& workload, const SearchBounds& bounds);

} // namespace tcsim::search
