// The decode step cost a rollout pays, from the serving model: one decode forward pass of a
// batch on the rollout engines' layout (serve/forward_step.hpp), the slowest pipeline stage.
//
// A rollout asks for the cost at every step (tens of thousands per RL step), so costs are kept
// per (batch, context bucket): the context is rounded to the nearest multiple of
// `context_bucket` tokens (at least 1) before pricing. Decode time is linear in the context
// (KV reads and the attention core), so the error of a bucket is at most half a bucket's share
// of the step: with 64-token buckets and contexts of thousands of tokens, under 1 %.
//
// Contract: the returned callable owns a copy of its inputs and its cache; deterministic.
#pragma once

#include "rl/rollout.hpp"
#include "serve/serve_spec.hpp"
#include "topology/cluster.hpp"
#include "workload/model_spec.hpp"

namespace tcsim::rl {

[[nodiscard]] DecodeStepCost serve_decode_cost(const workload::ModelSpec& model, const serve::ServeSpec& spec,
                                               const topology::ClusterSpec& cluster, int context_bucket = 64);

} // namespace tcsim::rl
