// Loads one calibration set (calibrations/*.toml).
//
// Format (keys marked * are required; the rest have the defaults shown):
//     set* = "megatron-sc21"        title* = "..."        source* = "..."
//     [[record]]                      (one or more)
//     id*, kind* (step|run|gemm|collective|expert_all_to_all|serve), source*, confidence*, date = "",
//     note = "", cluster* (path relative to this file; gives the GPU, its efficiency file and the
//     fabric), nodes (use this many of the cluster's nodes), nics_per_node (override)
//       step, run:   workload* (path), include_extension = true (run only)
//                    [record.parallel] tp, pp, dp, cp, ep, micro_batch_sequences, virtual_stages,
//                                      zero_stage, schedule, sequence_parallel,
//                                      split_embedding_and_loss, pipeline_split   (overrides)
//                    [record.training] seq_len, global_batch_sequences, recompute (overrides)
//       gemm:        m*, n*, k*, groups = 1, dtype* (fp8|bf16|fp16|tf32|fp32), library = "cublas"
//                    (cublas|deepgemm: whose FP8 kernel was measured, hardware/gemm_library.hpp)
//       collective:  collective* (all_reduce|all_gather|reduce_scatter|all_to_all), ranks* (the
//                    cluster's first GPUs, whole nodes beyond one), message* ("8 GiB"),
//                    algorithm = "auto" (network::Algorithm: auto|ring|tree|nvls|hierarchical|pairwise)
//       expert_all_to_all: direction* (dispatch|combine), ranks*, tokens* (per rank), hidden*,
//                    top_k*, max_nodes = 0, dtype* (fp8|bf16),
//                    algorithm = "deepep_normal" (deepep_normal|deepep_low_latency)
//       serve:       workload* (path: its [model] is served)
//                    [record.serving] prompt_tokens*, output_tokens*, weights = "fp8",
//                                     kv_cache = "bf16", disaggregated = true
//                    [record.decode] and, when disaggregated, [record.prefill]*: tp, dp, pp,
//                                     ep = 1, redundant_experts = 0 (serve/serve_spec.hpp)
//     [[record.published]]            (one or more per record)
//     metric*, value*, tolerance* (a fraction: 0.10 = 10 %), flops (model|hardware|megatron|8nd|
//     6nd; required for tflops_per_gpu, default "model" for mfu, refused elsewhere), note = "",
//     known_gap = "" (why the model misses it today), in_sample = false with fitted* when true
//     (what in tcsim's inputs was chosen after the value was seen: kept apart from predictions)
//     Set level: in_sample = false, fitted* when true (the parameter fitted on the set).
//
// Values carry their unit as text where the metric has one: step_time "3.53 s", pretrain_days
// "54.2 days", tflops_per_gpu and gemm_throughput "137 TFLOP/s", bus_bandwidth, rdma_bandwidth
// and nvlink_bandwidth "370 GB/s". Counts are numbers: mfu (a fraction, 0.43),
// tokens_per_s_per_gpu, *_gpu_hours, expert_comm_to_compute, the serve metrics
// (prefill_tokens_per_s_per_gpu, decode_tokens_per_s_per_gpu, output_tokens_per_s_per_request) (a ratio, step records of a model
// with expert parallelism).
//
// Contract: strict like every loader (unknown keys refused with a suggestion, errors name file,
// line, column and key). A metric that the record's kind cannot predict is refused at its key
// (a gemm record has no step_time). Record ids are unique within the file; uniqueness across
// files is checked by whoever loads several (validate).
#pragma once

#include "calibration/calibration_record.hpp"
#include "config/config_files.hpp"

#include <string>

namespace tcsim::calibration {

[[nodiscard]] CalibrationSet load_calibration_set(const config::ConfigFiles& files, const std::string& path);

} // namespace tcsim::calibration
