// One scenario, loaded and checked: everything a run report is computed from.
//
// Contract: an Inputs comes from one of the loaders of load.hpp, which read every file it needs
// (cluster, workload, prices, datacenter assumptions, claims, MFU records, published figures),
// apply the overrides and check every layout before returning, so that evaluate() (evaluate.hpp)
// meets no bad input file: every input error surfaces before any simulation starts.
#pragma once

#include "economics/assessment.hpp"
#include "economics/claim_check.hpp"
#include "network/fabric.hpp"
#include "report/run_report.hpp"
#include "scenario/options.hpp"
#include "topology/cluster.hpp"
#include "workload/workload.hpp"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tcsim::scenario {

/// The claims to check against the run, with the best published MFU for the cluster's GPU.
struct ClaimChecks {
    std::vector<economics::Claim> claims;
    std::optional<economics::MfuRecord> best_mfu;
    /// The band's factors: tcsim's measured model uncertainty (model_uncertainty.toml beside
    /// the cluster, or the built-in copy).
    economics::ModelUncertainty uncertainty;
};

struct UncertainDesign; // uncertain_design.hpp

struct Inputs {
    topology::ClusterSpec cluster; ///< named for how it is used (nodes used, resized)
    workload::Workload workload;   ///< as loaded, overrides and resizes applied
    Options options;
    economics::AssessmentInputs assessment;  ///< prices chosen, reliability overridden, Monte Carlo
    std::string datacenter_path;             ///< named when the failure rate makes the run unfinishable
    std::optional<ClaimChecks> claim_checks; ///< absent: no verdicts and no summary
    std::optional<report::PublishedFigures> published;
    std::vector<std::string> overridden;     ///< what the command line overrode, as written (cluster_use.hpp)
    std::vector<std::string> builtin_inputs; ///< files read from built-in copies (disk_or_builtin_files.hpp)
    /// Other scenarios whose claims the same report checks (the built-in story's GPT-4 claim),
    /// each simulated on its own; their own `related` is empty.
    std::vector<Inputs> related;
    /// Keys given as ranges or distributions, the design and the samples they are evaluated at
    /// (uncertain_design.hpp); null when every input is a single value.
    std::shared_ptr<const UncertainDesign> uncertain;
    /// `cluster`'s fabric, from the graph the load built to check it (null when not checked);
    /// evaluate's run simulates on it instead of building the graph again. Valid only while
    /// `cluster` is unchanged.
    std::shared_ptr<const network::Fabric> fabric = nullptr;
};

} // namespace tcsim::scenario
