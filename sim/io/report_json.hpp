// The machine-readable report: one JSON object per run, for notebooks, CI and other tools.
//
// Contract: report_json() builds one object whose keys, in this order, are
//   cluster, gpu, workload, gpus                       what was simulated
//   step_time_s, mfu, mfu_gemm_dtype, tokens_per_s_per_gpu, tflops_per_gpu   of the steady phase
//   tokens, pretrain_tokens                            tokens of all phases / of pre-training
//   duration_days, gpu_hours, cost_usd                 every simulated phase (pre-training + extension)
//   pretraining {duration_days, gpu_hours, cost_usd}   pre-training phases only
//   extension {duration_days, gpu_hours, cost_usd}     context-extension phases only
//   breakdown {phase, step_time_s, compute_s, exposed_comm_s, bubble_s,
//              compute_pct, exposed_comm_pct, bubble_pct}            of the steady phase
//   phases [{name, extension, seq_len, global_batch_sequences, steps, tokens, seconds, days,
//            step_time_s, mfu, tokens_per_s_per_gpu, breakdown {compute_s, exposed_comm_s, bubble_s}}]
//   price {usd_per_gpu_hour, source, date}
//   covers                                             what the figures cover, in words
//   published {source, figures [{figure, published, tcsim, difference_pct, note}]}  only if given
// Floating-point values are rounded to 9 significant digits (so the bytes do not carry
// last-bit noise) and written by nlohmann::json's shortest round-trip formatting; the same
// report always gives the same bytes. Non-finite values are written as null.
#pragma once

#include "io/report.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace tcsim::io {

nlohmann::ordered_json report_json(const RunReport& report);

/// report_json(report) indented by two spaces, with a final newline.
std::string render_json(const RunReport& report);

} // namespace tcsim::io
