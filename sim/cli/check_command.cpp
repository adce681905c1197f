#include "cli/check_command.hpp"

#include "cli/override_options.hpp"
#include "cli/run_assessment.hpp"
#include "cli/write_whole_file.hpp"
#include "config/disk_or_builtin_files.hpp"
#include "report/report_csv.hpp"
#include "report/report_html.hpp"
#include "report/report_json.hpp"
#include "report/report_table.hpp"
#include "scenario/evaluate.hpp"
#include "scenario/gpu_scaling.hpp"
#include "scenario/load.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace tcsim::cli {

namespace {

struct Options {
    std::vector<std::string> claims;
    bool json = false;
    bool csv = false;
    std::string html; ///< write the report to publish here (report/report_html.hpp)
    scenario::Options assessment;
    OverrideOptions overrides;
};

std::string check(const Options& options) {
    config::DiskOrBuiltinFiles files;
    files.set_overrides(options.overrides.overrides());
    for (const std::string* given : {&options.assessment.prices, &options.assessment.datacenter})
        if (!given->empty()) files.named_by_user(*given);
    // Every claim file is loaded and checked before any run is simulated.
    std::vector<scenario::Inputs> inputs;
    for (const auto& path : options.claims)
        inputs.push_back(scenario::load_claim_check(files, path, options.assessment, options.overrides.use));
    std::vector<report::RunReport> reports;
    for (const auto& in : inputs) reports.push_back(scenario::evaluate(in));
    std::vector<const report::RunReport*> checked;
    for (const auto& r : reports) checked.push_back(&r);
    if (!options.html.empty()) {
        // The page is written whatever the verdicts (exit 4 still follows for unsupported claims).
        std::vector<report::RunReport> scaled = reports;
        for (std::size_t i = 0; i < scaled.size(); ++i)
            scaled[i].gpu_scaling = scenario::scale_gpu_counts(inputs[i], scaled[i]);
        std::vector<const report::RunReport*> pages;
        for (const auto& r : scaled) pages.push_back(&r);
        const std::string page = report::render_html(pages);
        write_whole_file(options.html, "HTML report", [&page](std::ostream& out) { out << page; });
    }
    if (options.csv) return claims_outcome(checked, report::render_claims_csv(checked));
    if (options.json) {
        if (reports.size() == 1) return claims_outcome(checked, report::render_json(reports.front()));
        // Several claim files: one object holding each file's run document in order.
        nlohmann::ordered_json all;
        all["schema"] = "tcsim.check/1";
        all["schema_version"] = 1;
        all["tcsim_version"] = TCSIM_VERSION;
        all["reports"] = nlohmann::ordered_json::array();
        for (const auto& r : reports) all["reports"].push_back(report::report_json(r));
        return claims_outcome(checked,
                              all.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + '\n');
    }
    std::string out;
    for (const auto& r : reports) out += (out.empty() ? "" : "\n") + report::render_table(r);
    return claims_outcome(checked, std::move(out));
}

} // namespace

void add_check_command(CLI::App& app, Commands& commands) {
    auto options = std::make_shared<Options>();
    CLI::App* cmd =
        app.add_subcommand("check", "Check published claims (duration, GPU-hours, dollars) against a simulated run "
                                    "(exit 4 if a claim is optimistic or inconsistent)");
    cmd->add_option("claims", options->claims, "Claim files (TOML, e.g. claims/deepseek-v3-cost.toml)")->required();
    cmd->add_option("--prices", options->assessment.prices,
                    "Price list (TOML; default: prices.toml beside the cluster file)");
    CLI::Option* json =
        cmd->add_flag("--json", options->json, "Write one JSON object per claim (an array for several files)");
    cmd->add_flag("--csv", options->csv, "Write one CSV row per claimed figure (report/report_csv.hpp)")
        ->excludes(json);
    add_html_option(*cmd, options->html);
    add_assessment_options(*cmd, options->assessment);
    add_jobs_option(*cmd, options->assessment);
    add_override_options(*cmd, options->overrides);
    commands.push_back({cmd, [options] { return check(*options); }});
}

} // namespace tcsim::cli
