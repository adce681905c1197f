// The space the search enumerates: bounds respected, DP what the GPUs leave, one total order.
#include "config/config_files.hpp"
#include "config/load_cluster.hpp"
#include "config/load_workload.hpp"
#include "search/search_space.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <set>

using namespace tcsim;

namespace {

const std::string root = TCSIM_SOURCE_DIR;

topology::ClusterSpec a100_nodes(int nodes) {
    topology::ClusterSpec c = config::load_cluster(config::DiskFiles{}, root + "/topologies/a100-cluster.toml");
    c.nodes = nodes;
    return c;
}

workload::Workload gpt3() { return config::load_workload(config::DiskFiles{}, root + "/workloads/gpt3-175b.toml"); }

} // namespace

TEST_CASE("fixed and bounded dimensions are respected; DP is GPUs / (TP x PP x CP)") {
    const auto cluster = a100_nodes(8); // 64 GPUs
    search::SearchBounds b;
    b.tp = {2, 4};
    b.pp = {2, 3, 4, 5, 6, 7, 8};
    b.mbs = {2};
    b.zero = {1};
    b.cp = {1};
    b.recompute = {workload::Recompute::full};
    const auto space = search::enumerate_layouts(cluster, gpt3(), b);
    REQUIRE_FALSE(space.empty());
    std::set<int> pps;
    for (const auto& c : space) {
        const auto& p = c.parallel;
        CHECK((p.tp == 2 || p.tp == 4));
        CHECK(p.micro_batch_sequences == 2);
        CHECK(p.zero_stage == 1);
        CHECK(p.cp == 1);
        CHECK(c.recompute == workload::Recompute::full);
        CHECK(p.tp * p.pp * p.cp * p.dp == 64);
        pps.insert(p.pp);
    }
    // 3, 5, 6, 7 do not divide 64 / TP: only the powers of two remain.
    CHECK(pps == std::set<int>{2, 4, 8});
    CHECK(std::is_sorted(space.begin(), space.end()));
}

TEST_CASE("a DP bound filters; one stage runs 1F1B only; interleaving takes the VPP bound") {
    const auto cluster = a100_nodes(8);
    search::SearchBounds b;
    b.dp = {4};
    b.vpp = {3};
    b.cp = {1};
    const auto space = search::enumerate_layouts(cluster, gpt3(), b);
    REQUIRE_FALSE(space.empty());
    for (const auto& c : space) {
        CHECK(c.parallel.dp == 4);
        if (c.parallel.pp == 1) CHECK(c.parallel.schedule == workload::PipelineSchedule::one_f_one_b);
        if (c.parallel.schedule == workload::PipelineSchedule::interleaved_1f1b)
            CHECK(c.parallel.virtual_stages == 3);
        else
            CHECK(c.parallel.virtual_stages == 1);
    }
}

TEST_CASE("with a single replica of every weight the ZeRO stages are one layout, kept once") {
    const auto cluster = a100_nodes(8);
    search::SearchBounds b;
    b.tp = {8};
    b.pp = {8};
    b.cp = {1};
    b.mbs = {1};
    b.recompute = {workload::Recompute::none};
    b.schedule = {workload::PipelineSchedule::one_f_one_b};
    const auto space = search::enumerate_layouts(cluster, gpt3(), b);
    REQUIRE(space.size() == 1); // TP8 x PP8 x DP1: nothing to shard
    CHECK(space.front().parallel.zero_stage == 0);
}

TEST_CASE("a custom pipeline layout is kept only where the candidate has the workload's chunks") {
    const auto cluster = a100_nodes(32); // 256 GPUs
    auto w = gpt3(); // 96 layers, PP16 with 1F1B
    w.parallel.pipeline_layout = "Et*5|(t*6|)*14,t*7|L"; // 5 + 84 + 7 = 96 over 16 chunks
    search::SearchBounds b;
    b.pp = {8, 16};
    b.tp = {8};
    b.cp = {1};
    b.mbs = {1};
    b.zero = {1};
    b.recompute = {workload::Recompute::full};
    const auto space = search::enumerate_layouts(cluster, w, b);
    REQUIRE_FALSE(space.empty());
    int kept = 0;
    for (const auto& c : space) {
        const bool same_chunks = c.parallel.pp == w.parallel.pp && c.parallel.schedule == w.parallel.schedule &&
                                 c.parallel.virtual_stages == w.parallel.virtual_stages;
        CHECK(c.parallel.pipeline_layout == (same_chunks ? w.parallel.pipeline_layout : std::string()));
        kept += same_chunks ? 1 : 0;
    }
    CHECK(kept > 0);
    CHECK(kept < static_cast<int>(space.size()));
}
