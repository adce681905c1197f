#include "cli/check_command.hpp"

#include "cli/run_assessment.hpp"
#include "io/config_files.hpp"
#include "io/load_claim.hpp"
#include "io/report_json.hpp"
#include "io/report_table.hpp"

#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

namespace tcsim::cli {

namespace {

struct Options {
    std::vector<std::string> claims;
    bool json = false;
    AssessmentOptions assessment;
};

io::RunReport check_one(const Options& options, const io::ConfigFiles& files, const std::string& path) {
    const io::ClaimScenario scenario = io::load_claim(files, path);
    io::RunReport report = simulate_and_assess({&files, scenario.cluster_path}, scenario.cluster, scenario.workload,
                                               options.assessment, scenario.claim.price);
    add_claim_checks(report, {scenario.claim}, {&files, scenario.cluster_path});
    return report;
}

std::string check(const Options& options) {
    const io::DiskFiles files;
    std::vector<io::RunReport> reports;
    for (const auto& path : options.claims) reports.push_back(check_one(options, files, path));
    std::vector<const io::RunReport*> checked;
    for (const auto& r : reports) checked.push_back(&r);
    if (options.json) {
        if (reports.size() == 1) return claims_outcome(checked, io::render_json(reports.front()));
        nlohmann::ordered_json all = nlohmann::ordered_json::array();
        for (const auto& r : reports) all.push_back(io::report_json(r));
        return claims_outcome(checked, all.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + '\n');
    }
    std::string out;
    for (const auto& r : reports) out += (out.empty() ? "" : "\n") + io::render_table(r);
    return claims_outcome(checked, std::move(out));
}

} // namespace

void add_check_command(CLI::App& app, Commands& commands) {
    auto options = std::make_shared<Options>();
    CLI::App* cmd = app.add_subcommand("check", "Check published claims (duration, GPU-hours, dollars) against a simulated run "
                                                 "(exit 4 if a claim is optimistic or inconsistent)");
    cmd->add_option("claims", options->claims, "Claim files (TOML, e.g. claims/deepseek-v3-cost.toml)")->required();
    cmd->add_option("--prices", options->assessment.prices, "Price list (TOML; default: prices.toml beside the cluster file)");
    cmd->add_flag("--json", options->json, "Write one JSON object per claim (an array for several files)");
    add_assessment_options(*cmd, options->assessment);
    commands.push_back({cmd, [options] { return check(*options); }});
}

} // namespace tcsim::cli
