#include "cli/explain_command.hpp"
#include "cli/option_checks.hpp"

#include "config/config_files.hpp"
#include "report/explain_report.hpp"
#include "scenario/explain.hpp"

#include <memory>
#include <string>

namespace tcsim::cli {

namespace {

struct Options {
    std::string workload;
    std::string cluster;
    bool json = false;
};

std::string explain(const Options& o) {
    const config::DiskFiles files;
    const report::Explanation e = scenario::explain(files, o.workload, o.cluster);
    return o.json ? report::explain_json(e) : report::explain_table(e);
}

} // namespace

void add_explain_command(CLI::App& app, Commands& commands) {
    auto options = std::make_shared<Options>();
    CLI::App* cmd = app.add_subcommand("explain", "Parameters, FLOPs, memory and communication of a workload");
    cmd->add_option("--workload", options->workload, "Workload file (TOML)")->check(file_path())->required();
    cmd->add_option("--cluster", options->cluster, "Cluster file (TOML): memory capacity and node size")
        ->check(file_path());
    cmd->add_flag("--json", options->json, "Write one JSON object");
    commands.push_back({cmd, [options] { return explain(*options); }});
}

} // namespace tcsim::cli
