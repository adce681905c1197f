// Builds the Program of one training step: every representative rank's ops, in schedule order,
// with their dependencies inside a rank and across pipeline stages.
//
// Contract
// - Symmetric mode: one representative rank per pipeline stage; all data-, tensor-, context-
//   and expert-parallel peers of a rank do the same work at the same time, so each stands for
//   tp x cp x dp GPUs (Program::gpus_per_rank). Their collectives are still priced for the
//   full group size.
// - Layers are split into contiguous model stages by the layout's pipeline_split rule
//   (training/stage_split.hpp: balanced by forward FLOPs, or Megatron-LM's even split by count;
//   the embedding on the first stage, the output head and MTP modules on the last).
// - A step: the schedule's actions (forward, backward, split backward, DualPipe's overlapped
//   pairs) per rank; pipeline sends between stages on the `pp` stream; after the last
//   backward, the data-parallel gradient collective (reduce-scatter under ZeRO >= 1,
//   all-reduce under ZeRO-0), the optimizer step on this rank's shard, and the parameter
//   all-gather (ZeRO >= 1), on the `dp` stream.
// - Throws PlanError if the batch cannot be split into micro-batches for the layout, and
//   std::invalid_argument if the schedule cannot run that many micro-batches.
#pragma once

#include "topology/cluster.hpp"
#include "training/program.hpp"
#include "training/stage_split.hpp"
#include "workload/workload.hpp"

#include <vector>

namespace tcsim::training {

/// Micro-batches per pipeline for a global batch: batch / (dp x micro-batch sequences).
int micro_batches_per_pipeline(const workload::Workload& workload, int global_batch_sequences);

Program build_program(const topology::ClusterSpec& cluster, const workload::Workload& workload, int seq_len,
                      int global_batch_sequences);
/// The same, its ops written into `storage` (cleared first, its capacity reused): the op list of
/// an earlier step (training/step_buffers.hpp), so that a run's steps on one thread write into
/// memory already mapped. The program is the same as build_program's.
Program build_program(const topology::ClusterSpec& cluster, const workload::Workload& workload, int seq_len,
                      int global_batch_sequences, engine::HugeVector<Op> storage);

/// Full mode: the symmetric program expanded to every GPU. GPU g = stage * M + q (M = tp x cp x
/// dp GPUs per stage, TP innermost) runs its stage's ops; pipeline dependencies and sends go to
/// the GPU at the same position q of the neighbouring stage; every collective is issued by each
/// member with `comm.member` = its GPU on its own group (the network model rendezvous them);
/// every group comes from the program's rank grid, as the symmetric program's do. Each GPU keeps
/// its stage's communication order (Program::comm_order, Op::issue): give it a program whose
/// order is agreed (training/issue_order.hpp), or members of one group may issue its
/// collectives in different orders as their readiness differs.
Program expand_to_full(const Program& symmetric);

} // namespace tcsim::training
