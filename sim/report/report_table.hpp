// The terminal report: per-phase table, steady-step breakdown, totals against published figures.
//
// Contract: render_table() returns plain text (ASCII, '\n' line ends), the same bytes for the
// same report: fixed-point formatting in the "C" conventions, no locale, no terminal colours.
// Sections, in order: a title line naming workload, cluster and GPUs; "Phases" (phase, seq len,
// batch, steps, step time, MFU, tokens/s/GPU, days); "Step breakdown" of the steady phase
// (compute, exposed communication, pipeline bubble, each with its % of the step); "Totals"
// (days, GPU-hours, dollars for pre-training, extension and total, with the price and its
// source, and the published value and difference in % beside each figure that has one);
// "Published:" (the source) when there are published figures; and a "Covers:" line.
#pragma once

#include "report/run_report.hpp"

#include <string>

namespace tcsim::report {

std::string render_table(const RunReport& report);

} // namespace tcsim::report
