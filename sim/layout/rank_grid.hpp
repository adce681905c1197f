// The one map from parallel coordinates to devices: which GPUs form the groups of each
// parallel dimension. Training, full-mode expansion and reports all ask it; nothing else
// computes a rank from a coordinate.
//
// Numbering (Megatron-LM's default order): tensor-parallel innermost, then context, then data,
// then pipeline,
//     gpu = tp_i + TP * (cp_i + CP * (dp_i + DP * pp_i)),
// so pipeline stage p holds GPUs [p*M, (p+1)*M) with M = TP * CP * DP, and node n holds GPUs
// [n*G, (n+1)*G) for G GPUs per node.
//
// Expert grid (Megatron-Core's MoE parallel folding, arXiv:2504.14960): inside each stage the
// same M GPUs, in rank order, are folded as expert-tensor x expert x expert-data, expert-tensor
// innermost, independently of the attention layout's TP x CP x DP: an expert-tensor group is
// ETP consecutive GPUs, an expert group EP GPUs spaced ETP apart, an expert-data group
// M/(ETP*EP) GPUs spaced ETP*EP apart. EP x ETP must divide M.
//
// Groups of each dimension inside a stage, as (stride, size):
//     tp (1, TP)    cp (TP, CP)    dp (TP*CP, DP)    dp_cp (TP, CP*DP): the ranks holding the
//     same dense weights    etp (1, ETP)    ep (ETP, EP)    ep_etp (1, EP*ETP): the ranks an
//     all-gather dispatcher gathers over    expert_dp (ETP*EP, M/(ETP*EP))    pp (M, PP) across
//     stages.
//
// Contract: every function is pure; groups list their GPUs in rank order and come ordered by
// their lowest GPU. Invalid specs and out-of-range arguments throw std::invalid_argument.
#pragma once

#include "collective/group_table.hpp"

#include <cstdint>
#include <vector>

namespace tcsim::layout {

/// A parallel dimension, as a group of ranks.
enum class Dim : std::uint8_t { tp, cp, dp, dp_cp, etp, ep, ep_etp, expert_dp, pp };

/// Report label; dp_cp reads "dp" (data-parallel gradients and parameters run over it).
constexpr const char* to_string(Dim d) {
    switch (d) {
    case Dim::tp: return "tp";
    case Dim::cp: return "cp";
    case Dim::dp: return "dp";
    case Dim::dp_cp: return "dp";
    case Dim::etp: return "etp";
    case Dim::ep: return "ep";
    case Dim::ep_etp: return "ep-etp";
    case Dim::expert_dp: return "expert-dp";
    case Dim::pp: return "pp";
    }
    return "?";
}

struct GridSpec {
    int tp = 1;
    int cp = 1;
    int dp = 1;
    int pp = 1;
    int ep = 1;
    int gpus_per_node = 8;
    int etp = 1; ///< expert tensor parallel (last, so that older positional initialisers keep meaning)
    auto operator<=>(const GridSpec&) const = default;
};

class RankGrid {
public:
    RankGrid() : RankGrid(GridSpec{}) {}
    explicit RankGrid(const GridSpec& spec);

    [[nodiscard]] const GridSpec& spec() const { return spec_; }
    [[nodiscard]] int gpus() const { return stage_gpus() * spec_.pp; }
    /// GPUs per pipeline stage: TP x CP x DP.
    [[nodiscard]] int stage_gpus() const { return spec_.tp * spec_.cp * spec_.dp; }
    [[nodiscard]] int gpu(int tp, int cp, int dp, int pp) const;
    [[nodiscard]] int stage_of(int gpu) const;
    [[nodiscard]] int node_of(int gpu) const { return gpu / spec_.gpus_per_node; }

    /// Ranks in one group of `dim`.
    [[nodiscard]] int group_size(Dim dim) const;
    /// Every group of `dim` inside pipeline stage `stage` (pp groups span every stage: for pp,
    /// the groups through stage `stage`, i.e. all of them).
    [[nodiscard]] std::vector<collective::Group> stage_groups(Dim dim, int stage) const;
    /// The group of `dim` that contains `gpu`.
    [[nodiscard]] collective::Group group_of(Dim dim, int gpu) const;
    /// Size of a `dim` group and how many of its ranks share a node.
    [[nodiscard]] collective::GroupPlacement placement(Dim dim) const;

    /// Point-to-point pairs {GPU i of stage `from`, GPU i of stage `to`}, for every i.
    [[nodiscard]] std::vector<collective::Group> stage_pairs(int from, int to) const;
    /// {gpu, the next GPU of its `dim` group} (ring order, wrapping), or none for a group of one.
    [[nodiscard]] std::vector<collective::Group> ring_pair(Dim dim, int gpu) const;
    /// ring_pair for every GPU of stage `stage`.
    [[nodiscard]] std::vector<collective::Group> stage_ring_pairs(Dim dim, int stage) const;
    /// Whether GPU i of one stage and GPU i of the next sit in different nodes.
    [[nodiscard]] bool stage_hop_crosses_nodes() const;

private:
    struct Shape {
        int stride = 1;
        int size = 1;
    };
    [[nodiscard]] Shape shape(Dim dim) const;
    void check_gpu(int gpu) const;
    GridSpec spec_;
};

} // namespace tcsim::layout
