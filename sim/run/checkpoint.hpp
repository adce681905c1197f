// The size of a training checkpoint and the time to write it.
//
// Contract: a checkpoint holds what training needs to resume: the weights and the optimizer
// state of every parameter (the main model and its MTP modules), counted once however the
// layout shards or replicates them. Bytes per parameter follow training/memory_model.hpp's
// static state less the gradient buffer (rebuilt by the next step): BF16 weights 2 B + FP32
// master weights and Adam m and v 12 B = 14 B, the convention VAST quotes (12-16 B/param with
// mixed precision and Adam; hardware_and_pricing.md 6c). Data-loader and RNG state are
// negligible beside it. Writing blocks training for bytes / storage bandwidth: the whole
// job writes in parallel, so the storage system's aggregate write bandwidth is the limit.
#pragma once

#include "units/quantity.hpp"
#include "workload/model_spec.hpp"

namespace tcsim::run {

inline constexpr double kCheckpointBytesPerParameter = 2.0 + 12.0;

units::Bytes checkpoint_bytes(const workload::ModelSpec& model);

inline units::Seconds checkpoint_write_time(units::Bytes bytes, units::Bandwidth storage) { return bytes / storage; }

} // namespace tcsim::run
