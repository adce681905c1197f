// The override flags of `tcsim`, `tcsim run`, `tcsim check` and `tcsim explain`: values that
// replace keys of the input files (config/overrides.hpp) and how much of the cluster is used
// (scenario::ClusterUse).
//
//   --gpu NAME                          cluster.gpu (a GPU catalog name)
//   --gpus N | --nodes N                resize the cluster / use its first N nodes (DP follows)
//   --tp, --tensor-model-parallel-size          workload.parallel.tp
//   --pp, --pipeline-model-parallel-size        workload.parallel.pp
//   --vpp                                       workload.parallel.virtual_stages (model chunks per
//        pipeline rank; Megatron-LM's --num-layers-per-virtual-pipeline-stage counts layers per
//        chunk instead, so it is not an alias)
//   --dp                                        workload.parallel.dp (else derived from the GPUs)
//   --cp, --context-parallel-size               workload.parallel.cp
//   --ep, --expert-model-parallel-size          workload.parallel.ep
//   --etp, --expert-tensor-parallel-size        workload.parallel.etp
//   --mbs, --micro-batch-size                   workload.parallel.micro_batch_sequences
//   --gbs, --global-batch-size                  workload.training.global_batch_sequences
//   --zero                                      workload.parallel.zero_stage
//   --recompute                                 workload.training.recompute
//   --schedule                                  workload.parallel.schedule
//   --dtype                                     workload.training.gemm_dtype
//   --seq-len, --seq-length                     workload.training.seq_len
//   --tokens                                    workload.training.tokens
//   --set KIND.KEY=VALUE (repeatable)           any key of any input file (overrides.hpp)
// Values are checked by the loaders exactly as the file values they replace, so nothing is
// validated here; a bad one is reported naming the flag.
#pragma once

#include "config/overrides.hpp"
#include "scenario/options.hpp"

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace tcsim::cli {

struct OverrideOptions {
    std::vector<config::KeyOverride> flags; ///< the shorthand flags, in the order given
    std::vector<std::string> sets;          ///< the --set texts, in the order given
    scenario::ClusterUse use;

    /// The overrides: the shorthand flags, then the --set ones (a later one of the same key
    /// wins); throws config::ConfigError for a --set text that is not KIND.KEY=VALUE.
    [[nodiscard]] config::Overrides overrides() const;
};

/// Registers the flags above on `app`, filling `options`.
void add_override_options(CLI::App& app, OverrideOptions& options);

} // namespace tcsim::cli
