// Feasibility of a parallel plan on a cluster, before anything is simulated.
//
// Contract: `check_plan` returns normally when the layout can be placed; otherwise it throws one
// PlanError listing every violated rule with the numbers that show why, e.g.
//   layout TP1 x PP16 x CP1 x DP64 = 1024 GPUs, but the cluster has 2048 (256 nodes x 8)
// Rules: TP*PP*CP*DP equals the cluster's GPUs; TP divides the attention heads (and the KV
// heads for GQA), TP <= GPUs per node and divides it; EP divides DP*CP and the routed experts
// (EP > 1 needs an MoE model); PP (times virtual stages) <= layers (+ 2 with
// split_embedding_and_loss: the embedding and the head are units of their own); with pipeline_split = "even" the
// layers divide as Megatron-LM divides them (workload/even_split.hpp); the final and ramp-start global
// batches are divisible by DP x micro-batch (extension stages are priced at the nearest batch
// the layout can run); every sequence length is
// divisible by CP; DualPipe has an even PP; a step's micro-batches x layers is at most kMaxLayerPassesPerStep; virtual_stages >= 1; the GEMM and attention dtypes have a nonzero peak on
// the cluster's GPU; reserved communication SMs leave SMs for compute.
// Memory fit is a separate check (it needs the model's memory math).
#pragma once

#include "topology/cluster.hpp"
#include "workload/workload.hpp"

#include <stdexcept>
#include <string>
#include <vector>

namespace tcsim::workload {

class PlanError : public std::runtime_error {
public:
    PlanError(std::string context, std::vector<std::string> problems);
    /// One sentence per violated rule, with its numbers.
    [[nodiscard]] const std::vector<std::string>& problems() const { return problems_; }

private:
    std::vector<std::string> problems_;
};

/// The most micro-batch x layer passes one pipeline may make in a step (micro-batches per step x
/// (layers + MTP modules)): the symmetric step simulation costs about 18 us of CPU per pass
/// (benchmarks/full_mode_bench, GPT-3 175B on 1,024 A100: 192 micro-batches x 96 layers in
/// 0.33 s, Release), so this is about 20 s per step simulated. Published layouts make a few hundred to 150,000 (GPT-3 175B on 8 GPUs in
/// 8 stages: 1,536 micro-batches x 96 layers).
inline constexpr long long kMaxLayerPassesPerStep = 1'000'000;

/// Throws PlanError if `workload`'s parallel plan cannot run on `cluster`.
void check_plan(const topology::ClusterSpec& cluster, const Workload& workload);

/// The rules that need no cluster (degrees, heads, experts, pipeline, batches and their size),
/// for a workload looked at alone (`tcsim explain` without --cluster).
void check_layout(const Workload& workload);

} // namespace tcsim::workload
