// The report to publish: one self-contained HTML page (`--html FILE` on `tcsim`, `tcsim run`
// and `tcsim check`) that a reader opens without network access.
//
// Contract: render_html() is a pure function of its reports: it computes nothing physical, it
// only picks figures, divides seconds into days, multiplies a phase's GPU-hours by the report's
// own rental price (economics::rental_cost) and draws. The page, in this order: the verdicts in
// plain words (each claim: its words, verdict, one sentence of why, its scope); a short glossary;
// the charts of each run (the report's, then each related run's): the duration distribution with
// failures (a histogram of the Monte Carlo samples, each claimed duration marked), dollars by
// phase, the sensitivity table as a tornado chart when the report has uncertain inputs, days and
// dollars against GPU count when the report carries them (scenario/gpu_scaling.hpp); then every
// source. Every chart says what it covers. All text is escaped (file names and claim words are
// hostile input); charts are inline SVG drawn here, the only scripts an error catcher (a script
// error marks the document: data-script-errors) and a self-check that marks the
// page's body with how many charts have drawn shapes (data-charts, data-charts-drawn) for the
// browser test. The same reports give the same bytes.
#pragma once

#include "report/run_report.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace tcsim::report {

/// Bins of the duration histogram, spread evenly over the samples' range.
inline constexpr int kHistogramBins = 20;

/// `text` with &, <, >, " and ' as character references: safe in element text and in quoted
/// attribute values.
std::string html_escape(std::string_view text);

/// One page for one or more reports (check's several claim files), the first one's title.
std::string render_html(const std::vector<const RunReport*>& reports);

inline std::string render_html(const RunReport& report) { return render_html(std::vector<const RunReport*>{&report}); }

} // namespace tcsim::report
