// The rank grid: the one map from parallel coordinates to GPUs, and the groups it forms.
#include "layout/rank_grid.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <stdexcept>
#include <vector>

using namespace tcsim;
using collective::Group;
using layout::Dim;
using layout::GridSpec;
using layout::RankGrid;

namespace {

constexpr Dim kStageDims[] = {Dim::tp, Dim::cp, Dim::dp, Dim::dp_cp, Dim::etp, Dim::ep, Dim::ep_etp, Dim::expert_dp};

std::vector<GridSpec> layouts() {
    return {
        {.tp = 1, .cp = 1, .dp = 128, .pp = 16, .ep = 64, .gpus_per_node = 8}, // DeepSeek-V3 pre-training
        {.tp = 1, .cp = 8, .dp = 16, .pp = 16, .ep = 64, .gpus_per_node = 8},  // its 32K extension
        {.tp = 8, .cp = 2, .dp = 4, .pp = 2, .ep = 1, .gpus_per_node = 8},     // Llama-like dense
        {.tp = 2, .cp = 2, .dp = 4, .pp = 2, .ep = 4, .gpus_per_node = 4},
        {.tp = 4, .cp = 1, .dp = 3, .pp = 1, .ep = 3, .gpus_per_node = 8}, // groups straddling nodes
        {.tp = 2, .cp = 2, .dp = 4, .pp = 2, .ep = 4, .gpus_per_node = 4, .etp = 2},
        {.tp = 2, .cp = 1, .dp = 64, .pp = 2, .ep = 32, .gpus_per_node = 8, .etp = 4}, // ETP above TP
        {.tp = 8, .cp = 1, .dp = 4, .pp = 1, .ep = 8, .gpus_per_node = 8, .etp = 1},   // EP inside attention TP
    };
}

} // namespace

TEST_CASE("numbering: tensor-parallel innermost, then context, data, pipeline (Megatron-LM's order)") {
    // gpu = tp_i + TP (cp_i + CP (dp_i + DP pp_i)): with TP = CP = DP = PP = 2,
    // (1, 0, 1, 1) -> 1 + 2 (0 + 2 (1 + 2)) = 13.
    const RankGrid grid({.tp = 2, .cp = 2, .dp = 2, .pp = 2, .ep = 1, .gpus_per_node = 8});
    CHECK(grid.gpus() == 16);
    CHECK(grid.stage_gpus() == 8);
    CHECK(grid.gpu(1, 0, 1, 1) == 13);
    CHECK(grid.gpu(0, 0, 0, 0) == 0);
    CHECK(grid.gpu(1, 1, 1, 1) == 15);
    CHECK(grid.stage_of(13) == 1);
    CHECK_THROWS_AS((void)grid.gpu(2, 0, 0, 0), std::invalid_argument);
}

TEST_CASE("groups of every dimension in a stage, listed by hand") {
    // TP2 x CP2 x DP4 in stage 1 (GPUs 16-31), EP4 x ETP2 folded over the stage:
    //   tp {16,17} ...            cp {16,18} {17,19} ...      dp stride 4: {16,20,24,28} ...
    //   dp_cp stride 2: {16,18,20,...,30} {17,...,31}         etp {16,17} ...
    //   ep stride ETP = 2: {16,18,20,22} ...   ep_etp {16,...,23}   expert_dp stride 8: {16,24} ...
    const RankGrid grid({.tp = 2, .cp = 2, .dp = 4, .pp = 2, .ep = 4, .gpus_per_node = 4, .etp = 2});
    CHECK(grid.stage_groups(Dim::etp, 1).front() == Group{16, 17});
    CHECK(grid.stage_groups(Dim::ep_etp, 1).back() == Group{24, 25, 26, 27, 28, 29, 30, 31});
    CHECK(grid.stage_groups(Dim::tp, 1).front() == Group{16, 17});
    CHECK(grid.stage_groups(Dim::cp, 1).front() == Group{16, 18});
    CHECK(grid.stage_groups(Dim::cp, 1)[1] == Group{17, 19});
    CHECK(grid.stage_groups(Dim::dp, 1).front() == Group{16, 20, 24, 28});
    CHECK(grid.stage_groups(Dim::dp_cp, 1).front() == Group{16, 18, 20, 22, 24, 26, 28, 30});
    CHECK(grid.stage_groups(Dim::ep, 1).front() == Group{16, 18, 20, 22});
    CHECK(grid.stage_groups(Dim::ep, 1)[2] == Group{24, 26, 28, 30});
    CHECK(grid.stage_groups(Dim::expert_dp, 1).front() == Group{16, 24});
    CHECK(grid.stage_groups(Dim::pp, 1).front() == Group{0, 16});
    CHECK(grid.group_of(Dim::pp, 21) == Group{5, 21});
    // Pipeline sends pair GPU i of one stage with GPU i of the next.
    CHECK(grid.stage_pairs(0, 1)[3] == Group{3, 19});
    // A ring shift sends each member of a group to the next, wrapping.
    CHECK(grid.ring_pair(Dim::cp, 18) == std::vector<Group>{{18, 16}});
    CHECK(grid.ring_pair(Dim::tp, 3).front() == Group{3, 2});
}

TEST_CASE("MoE parallel folding: the expert grid ignores the attention layout's TP/CP/DP boundaries") {
    // TP2 x CP2 x DP4 with EP4 and ETP1 (Megatron-Core's default): an expert group is 4
    // consecutive GPUs, spanning both TP ranks and two CP ranks; expert-DP strides by 4.
    const RankGrid grid({.tp = 2, .cp = 2, .dp = 4, .pp = 2, .ep = 4, .gpus_per_node = 4});
    CHECK(grid.group_size(Dim::etp) == 1);
    CHECK(grid.stage_groups(Dim::ep, 1).front() == Group{16, 17, 18, 19});
    CHECK(grid.stage_groups(Dim::ep, 1)[3] == Group{28, 29, 30, 31});
    CHECK(grid.stage_groups(Dim::expert_dp, 1).front() == Group{16, 20, 24, 28});
    CHECK(grid.group_of(Dim::expert_dp, 31) == Group{19, 23, 27, 31});
    // ETP4 above TP2: expert-TP groups of 4 consecutive GPUs, EP stride 4.
    const RankGrid wide({.tp = 2, .cp = 1, .dp = 8, .pp = 1, .ep = 2, .gpus_per_node = 8, .etp = 4});
    CHECK(wide.group_of(Dim::etp, 5) == Group{4, 5, 6, 7});
    CHECK(wide.group_of(Dim::ep, 5) == Group{1, 5});
    CHECK(wide.group_of(Dim::expert_dp, 5) == Group{5, 13});
    // EP x ETP must divide the stage's GPUs, not DP x CP.
    CHECK_NOTHROW(RankGrid({.tp = 8, .cp = 1, .dp = 1, .pp = 1, .ep = 8, .gpus_per_node = 8}));
    CHECK_THROWS_AS(RankGrid({.tp = 2, .cp = 1, .dp = 4, .pp = 1, .ep = 4, .gpus_per_node = 8, .etp = 4}),
                    std::invalid_argument);
}

TEST_CASE("each dimension's groups partition every stage, and group_of names the group that holds a GPU") {
    for (const GridSpec& spec : layouts()) {
        const RankGrid grid(spec);
        for (Dim dim : kStageDims) {
            CAPTURE(layout::to_string(dim));
            for (int stage = 0; stage < spec.pp; ++stage) {
                std::vector<int> seen(static_cast<std::size_t>(grid.gpus()), 0);
                for (const Group& g : grid.stage_groups(dim, stage)) {
                    CHECK(static_cast<int>(g.size()) == grid.group_size(dim));
                    CHECK(std::is_sorted(g.begin(), g.end()));
                    for (int r : g) {
                        CHECK(grid.stage_of(r) == stage);
                        ++seen[static_cast<std::size_t>(r)];
                        CHECK(grid.group_of(dim, r) == g);
                    }
                }
                for (int r = stage * grid.stage_gpus(); r < (stage + 1) * grid.stage_gpus(); ++r)
                    CHECK(seen[static_cast<std::size_t>(r)] == 1);
            }
        }
    }
}

TEST_CASE("the expert grid is a grid: an expert group and an expert-data group meet in one GPU") {
    // Megatron-Core's folding: expert-TP x EP x expert-DP over the stage's TP x CP x DP GPUs.
    // A GPU's expert group (the experts it shares tokens with) and its expert-data group (the
    // GPUs holding the same experts) must meet only in that GPU. This failed for CP > 1 when EP
    // took the stride of DP alone while expert-DP took TP x EP.
    for (const GridSpec& spec : layouts()) {
        const RankGrid grid(spec);
        for (int r = 0; r < grid.stage_gpus(); ++r) {
            const Group ep = grid.group_of(Dim::ep, r);
            const Group edp = grid.group_of(Dim::expert_dp, r);
            std::vector<int> both;
            std::set_intersection(ep.begin(), ep.end(), edp.begin(), edp.end(), std::back_inserter(both));
            CHECK(both == std::vector<int>{r});
        }
    }
}

TEST_CASE("placement counts a group's GPUs per node from the GPUs themselves") {
    // DeepSeek-V3: EP64 over consecutive data-parallel ranks of 8-GPU nodes: 8 nodes of 8.
    const RankGrid dsv3({.tp = 1, .cp = 1, .dp = 128, .pp = 16, .ep = 64, .gpus_per_node = 8});
    CHECK(dsv3.placement(Dim::ep).size == 64);
    CHECK(dsv3.placement(Dim::ep).ranks_per_node == 8);
    CHECK(dsv3.placement(Dim::ep).nodes() == 8);
    CHECK(dsv3.placement(Dim::expert_dp).size == 2);
    CHECK(dsv3.placement(Dim::expert_dp).ranks_per_node == 1);
    CHECK(dsv3.placement(Dim::pp).ranks_per_node == 1);
    CHECK(dsv3.stage_hop_crosses_nodes());
    // TP8 x DP4 on 8-GPU nodes: a TP group fills a node, a DP group has one GPU per node.
    const RankGrid dense({.tp = 8, .cp = 1, .dp = 4, .pp = 1, .ep = 1, .gpus_per_node = 8});
    CHECK(dense.placement(Dim::tp).ranks_per_node == 8);
    CHECK(dense.placement(Dim::dp).ranks_per_node == 1);
    // Two stages of 4 GPUs share one 8-GPU node: the pipeline hop stays inside it.
    const RankGrid small({.tp = 4, .cp = 1, .dp = 1, .pp = 2, .ep = 1, .gpus_per_node = 8});
    CHECK_FALSE(small.stage_hop_crosses_nodes());
}

TEST_CASE("invalid grids and arguments are refused") {
    CHECK_THROWS_AS(RankGrid({.tp = 0}), std::invalid_argument);
    CHECK_THROWS_AS(RankGrid({.tp = 1, .cp = 1, .dp = 6, .pp = 1, .ep = 4}), std::invalid_argument);
    const RankGrid grid({.tp = 2, .cp = 1, .dp = 2, .pp = 2, .ep = 1});
    CHECK_THROWS_AS((void)grid.stage_groups(Dim::tp, 2), std::invalid_argument);
    CHECK_THROWS_AS((void)grid.group_of(Dim::tp, 8), std::invalid_argument);
    CHECK_THROWS_AS((void)grid.stage_pairs(0, 2), std::invalid_argument);
}
