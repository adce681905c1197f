// What `tcsim` (the DeepSeek-V3 claim check), `tcsim run` and `tcsim check` share: the options
// that price a run (rental, ownership, power, failures, Monte Carlo) and the one function that
// simulates a scenario and fills a report with it.
#pragma once

#include "cli/command.hpp"
#include "economics/assessment.hpp"
#include "io/config_files.hpp"
#include "io/report.hpp"
#include "topology/cluster.hpp"
#include "workload/workload.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tcsim::cli {

struct AssessmentOptions {
    std::string prices;                         ///< price list; "" = prices.toml beside the cluster file
    std::string datacenter;                     ///< power and reliability; "" = datacenter.toml beside the cluster
    std::optional<double> price_per_gpu_hour;   ///< overrides the price list's rental price
    bool no_extension = false;
    bool no_failures = false;
    std::optional<double> mtbf_per_gpu_hours;   ///< overrides the datacenter file's
    int samples = 1000;
    std::uint64_t seed = 1;
};

/// Registers --price-per-gpu-hour, --no-extension, --datacenter, --samples, --seed,
/// --no-failures and --mtbf-per-gpu-hours on `app`.
void add_assessment_options(CLI::App& app, AssessmentOptions& options);

/// Where the scenario's files are: the cluster file (prices and the datacenter file default to
/// its directory).
struct ScenarioFiles {
    const io::ConfigFiles* files = nullptr;
    std::string cluster_path;
};

/// Checks every layout, simulates the run, samples failures and prices it; the report has
/// everything but claims, published figures and the summary. `rental` overrides the price list
/// (a claim's own price). Throws InputError, ConfigError or PlanError on bad input.
io::RunReport simulate_and_assess(const ScenarioFiles& where, const topology::ClusterSpec& cluster,
                                  const workload::Workload& workload, const AssessmentOptions& options,
                                  const std::optional<economics::RentalPrice>& rental = std::nullopt);

/// Checks `claims` against the report's assessment and adds the verdicts, the verdict rule and
/// the summary paragraph to it. The best published MFU comes from mfu_records.toml beside the
/// cluster file.
void add_claim_checks(io::RunReport& report, const std::vector<economics::Claim>& claims, const ScenarioFiles& where);

/// Returns `text` when every claim checked in `reports` is consistent or pessimistic (the
/// physics allows it); otherwise throws FailedOutcome with `text` and exit_claim_unsupported,
/// naming the claims that are optimistic or inconsistent.
std::string claims_outcome(const std::vector<const io::RunReport*>& reports, std::string text);

} // namespace tcsim::cli
