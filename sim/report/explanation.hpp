// What `tcsim explain` shows of a workload: its architecture and layout as read, parameters, FLOPs per token, memory per pipeline
// rank and communication per GPU per step (scenario::explain fills it; explain_report writes it).
#pragma once

#include "report/inputs_at_median.hpp"
#include "training/memory_model.hpp"
#include "training/stage_split.hpp"
#include "workload/model_math.hpp"
#include "workload/workload.hpp"

#include <map>
#include <string>

namespace tcsim::report {

struct Explanation {
    std::string workload;
    std::string cluster; ///< the cluster's name, or what was assumed without one
    bool have_cluster = false;
    std::vector<std::string> overrides;          ///< what the command line overrode, as written ("--tp 4")
    std::vector<std::string> builtin_inputs;     ///< input files read from built-in copies
    std::vector<InputAtMedian> inputs_at_median; ///< inputs given as ranges, explained at their median
    int seq_len = 0;
    int global_batch_sequences = 0; ///< the workload's global batch, as read
    /// The batch the memory and communication are given for: the global batch, or the nearest
    /// one the layout can run (run::runnable_batch, as `run` simulates it), e.g. interleaved 1F1B
    /// needs micro-batches per replica in multiples of PP.
    int batch_sequences = 0;
    workload::ModelSpec model;       ///< the architecture as read (shown so a reader can check it)
    workload::ParallelSpec parallel; ///< the pre-training layout
    hardware::Dtype gemm_dtype = hardware::Dtype::bf16;
    hardware::Dtype attention_dtype = hardware::Dtype::bf16;
    hardware::GemmLibrary fp8_gemm_library = hardware::GemmLibrary::cublas; ///< whose kernels run 8-bit GEMMs
    bool recompute_modules = false; ///< a per-module recompute policy is set
    workload::ParameterCounts parameters;
    workload::FlopsPerToken flops;
    training::MemoryEstimate memory;
    /// The pipeline split: each model stage's layers (model order) and its forward FLOPs per
    /// token (the rule's own weighing: layers, head and MTP modules).
    std::vector<training::StageLayers> pipeline_stages;
    std::vector<double> stage_forward_flops;
    std::map<std::string, double> comm_bytes_per_gpu; ///< by dimension label
};

} // namespace tcsim::report
