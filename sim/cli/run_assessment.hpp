// What `tcsim` (the DeepSeek-V3 claim check), `tcsim run` and `tcsim check` share on the command
// line: the options that price a run (rental, ownership, power, failures, Monte Carlo) and how its
// steps are simulated (--full), filled into scenario::Options, and how checked claims become the exit code.
#pragma once

#include "cli/command.hpp"
#include "report/run_report.hpp"
#include "scenario/options.hpp"

#include <string>
#include <vector>

namespace tcsim::cli {

/// Registers --price-per-gpu-hour, --no-extension, --datacenter, --samples, --seed,
/// --no-failures, --mtbf-per-gpu-hours and --full (every GPU simulated) on `app`.
void add_assessment_options(CLI::App& app, scenario::Options& options);
/// -j/--jobs: threads for a run's steps and a report's independent runs (scenario::Options::jobs),
/// every core by default. Not on sweep, whose own -j runs its points on threads.
void add_jobs_option(CLI::App& app, scenario::Options& options);

/// Registers --html FILE on `app`: the report to publish (report/report_html.hpp) written to FILE.
void add_html_option(CLI::App& app, std::string& path);

/// Returns `text` when every claim checked in `reports` is consistent or pessimistic (the
/// physics allows it); otherwise throws FailedOutcome with `text` and exit_claim_unsupported,
/// naming the claims that are optimistic or inconsistent.
std::string claims_outcome(const std::vector<const report::RunReport*>& reports, std::string text);

} // namespace tcsim::cli
