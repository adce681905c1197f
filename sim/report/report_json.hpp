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
//              compute_pct, exposed_comm_pct, bubble_pct,            of the steady phase's
//              rank, ranks, ranks_are, busiest_rank, busiest_compute_s}   last rank to finish
//              (rank: its index among `ranks` simulated ranks, "pipeline_ranks" or "gpus" as
//              `ranks_are` says; busiest_rank computes most; both null when none is known)
//   phases [{name, extension, seq_len, global_batch_sequences, steps, tokens, seconds, days,
//            step_time_s, mfu, tokens_per_s_per_gpu, breakdown {compute_s, exposed_comm_s, bubble_s}}]
//   price {usd_per_gpu_hour, source, date}
//   covers                                             what the figures cover, in words
//   published {source, figures [{figure, published, tcsim, difference_pct, note}]}  only if given
//   run_with_failures {samples, seed, failures_per_gpu_hour {value, source}, job_mtbf_hours,
//              restart_s {value, source}, storage_write_bytes_per_s {value, source},
//              checkpoint_bytes, checkpoint_write_s, checkpoint_interval_s [per stage],
//              checkpoint_interval_rule, failure_free_days {pretraining, extension, total},
//              failures, lost_work_hours, restart_hours, checkpoint_hours   (each {p5, p50, p95, mean}),
//              run_mfu {pretraining, total},
//              pretraining|extension|total {days, gpu_hours, rental_usd, energy_mwh, ownership_usd},
//              samples_total_days [one per sample]}                           only with an assessment
//   energy {busy_fraction, gpu_mw, server_mw, network_mw, it_mw, facility_mw, pue, mwh {p5..},
//           assumptions {gpu_idle_fraction, non_gpu_server_fraction, network_watts_per_endpoint, pue}}
//   ownership {covers, hardware_usd, network_usd, electricity_usd, total_usd (p50 run),
//              cluster_purchase_usd, network_endpoints, prices {...}} or null
//   claims [{name, statement, source, gpu, gpus, verdict, best_published_mfu {mfu, source},
//            figures [{quantity, scope, bound, claimed, unsimulated, note, compared,
//                      simulated {p5, p50, p95, mean}, band_low, band_high, difference_pct,
//                      verdict, implied_mfu, simulated_mfu, gpus_needed,
//                      price_needed_usd_per_gpu_hour, explanation}]}],  verdict_rule   only with claims
//   summary                                            a paragraph to quote, when there is one
// Phases also carry layout, own_layout and model_flops.
// Floating-point values are rounded to 9 significant digits (so the bytes do not carry
// last-bit noise) and written by nlohmann::json's shortest round-trip formatting; the same
// report always gives the same bytes. Non-finite values are written as null.
#pragma once

#include "report/run_report.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace tcsim::report {

nlohmann::ordered_json report_json(const RunReport& report);

/// report_json(report) indented by two spaces, with a final newline.
std::string render_json(const RunReport& report);

} // namespace tcsim::report
