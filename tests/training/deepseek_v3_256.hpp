// The training tests' scaled DeepSeek-V3: its model, recipe and layout (TP1, EP64, DualPipe,
// ZeRO-1) on 256 of its GPUs, PP4 x CP `cp` x DP 64 / `cp`; and every per-rank figure of two
// replays compared exactly (the tests here check that two ways of running a step are the same
// run, to the bit).
#pragma once

#include "config/config_files.hpp"
#include "config/load_cluster.hpp"
#include "config/load_workload.hpp"
#include "training/step_result.hpp"

#include <doctest/doctest.h>

#include <cstddef>
#include <vector>

namespace tcsim::training_test {

struct Scaled {
    topology::ClusterSpec cluster;
    workload::Workload workload;
};

inline Scaled deepseek_v3_256(int cp) {
    const config::DiskFiles files;
    Scaled s{config::load_cluster(files, "topologies/deepseek-v3-h800.toml"),
             config::load_workload(files, "workloads/deepseek-v3.toml")};
    s.workload.parallel.pp = 4;
    s.workload.parallel.cp = cp;
    s.workload.parallel.dp = 64 / cp;
    s.cluster.nodes = 256 / s.cluster.gpus_per_node;
    return s;
}

inline void check_same_ranks(const std::vector<training::RankTimes>& a, const std::vector<training::RankTimes>& b) {
    REQUIRE(a.size() == b.size());
    for (std::size_t r = 0; r < a.size(); ++r) {
        CAPTURE(r);
        CHECK(a[r].finish_s == b[r].finish_s);
        CHECK(a[r].breakdown.compute_s == b[r].breakdown.compute_s);
        CHECK(a[r].breakdown.exposed_comm_s == b[r].breakdown.exposed_comm_s);
        CHECK(a[r].breakdown.bubble_s == b[r].breakdown.bubble_s);
        CHECK(a[r].expert_comm_s == b[r].expert_comm_s);
    }
}

} // namespace tcsim::training_test
