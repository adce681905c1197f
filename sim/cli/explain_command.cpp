#include "cli/explain_command.hpp"
#include "cli/option_checks.hpp"
#include "cli/override_options.hpp"

#include "config/disk_or_builtin_files.hpp"
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
    OverrideOptions overrides;
};

std::string explain(const Options& o) {
    config::DiskOrBuiltinFiles files;
    files.set_overrides(o.overrides.overrides());
    const report::Explanation e = scenario::explain(files, o.workload, o.cluster, o.overrides.use);
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
    add_override_options(*cmd, options->overrides);
    commands.push_back({cmd, [options] { return explain(*options); }});
}

} // namespace tcsim::cli
