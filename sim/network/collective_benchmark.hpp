// nccl-tests-like sweeps on the flow network: one collective on the first `gpus` GPUs of a
// cluster, once per message size, on an otherwise idle network.
//
// Contract
// - Ranks are the cluster's first `gpus` GPUs in rank order (whole nodes when gpus exceeds one
//   node: gpus must then be a multiple of gpus_per_node).
// - size: as nccl-tests names it: the buffer of all_reduce, the gathered output of all_gather,
//   the input of reduce_scatter, what each rank sends in all_to_all; for ep_dispatch /
//   ep_combine, each rank's input tokens x token_bytes (tokens = size / token_bytes).
// - time: simulated completion time (FlowNetwork::transfer), algbw = size / time, busbw as
//   nccl-tests defines it: all_reduce algbw * 2(n-1)/n; all_gather, reduce_scatter and all_to_all
//   algbw * (n-1)/n. For the expert ops, busbw is DeepEP's reported "bottleneck bandwidth"
//   (its tests/test_internode.py and test_intranode.py): across nodes the RDMA bandwidth counted
//   over token-node pairs including the local node, tokens x m_eff x token_bytes / time; inside
//   one node the NVLink bandwidth counted over tokens received per GPU including local ones,
//   tokens x D x token_bytes / time (m_eff, D: collective_plan.hpp); for the low-latency
//   kernels every token copy, tokens x top_k x token_bytes / time (test_low_latency.py). Forced
//   onto pairwise, an expert op is NCCL's all-to-all of every token copy (Megatron-Core's alltoall
//   dispatcher) and its busbw that of nccl-tests' all-to-all on the copies sent,
//   tokens x top_k x token_bytes / time x (n-1)/n.
// - Throws std::invalid_argument for a GPU count the cluster cannot provide (or fewer than 2),
//   an algorithm that does not apply, an empty size list, or expert routing that cannot be
//   (top-k outside 1..GPUs, a negative node limit, a token of no bytes).
#pragma once

#include "network/collective_plan.hpp"
#include "topology/cluster.hpp"
#include "units/quantity.hpp"

#include <cstddef>
#include <functional>
#include <optional>
#include <string_view>
#include <vector>

namespace tcsim::network {

enum class BenchmarkOp : std::uint8_t { all_reduce, all_gather, reduce_scatter, all_to_all, ep_dispatch, ep_combine };

std::string_view to_string(BenchmarkOp op);
std::optional<BenchmarkOp> benchmark_op_from_string(std::string_view text);

struct CollectiveBenchmarkSpec {
    BenchmarkOp op = BenchmarkOp::all_reduce;
    int gpus = 0;
    std::vector<units::Bytes> sizes;
    Algorithm algorithm = Algorithm::automatic;
    // Expert-parallel ops: DeepSeek-V3's routing by default (arXiv:2412.19437 Sec 2.1.2, 3.2.2:
    // 8 routed experts per token on at most 4 nodes; FP8 tokens of hidden 7168 with one FP32
    // scale per 128 values on dispatch).
    int top_k = 8;
    int max_nodes = 4;
    units::Bytes token_bytes{7168.0 * (1.0 + 4.0 / 128.0)};
    topology::Ecmp ecmp = topology::Ecmp::hashed;
    /// Called after each size with (sizes done, sizes in all), for progress on a long sweep
    /// (a fabric-crossing all-to-all on 16K GPUs takes minutes); not called when empty.
    std::function<void(std::size_t, std::size_t)> progress;
};

struct CollectiveBenchmarkRow {
    units::Bytes size;
    units::Seconds time{0.0};
    units::Bandwidth algbw;
    units::Bandwidth busbw;
    Algorithm algorithm = Algorithm::ring;
};

std::vector<CollectiveBenchmarkRow> run_collective_benchmark(const topology::ClusterSpec& cluster,
                                                             const CollectiveBenchmarkSpec& spec);

/// Sizes from `from` to `to` (inclusive when reached), doubling: nccl-tests' `-b -e -f 2`.
std::vector<units::Bytes> doubling_sizes(units::Bytes from, units::Bytes to);

} // namespace tcsim::network
