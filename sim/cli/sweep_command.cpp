#include "cli/sweep_command.hpp"

#include "cli/option_checks.hpp"
#include "cli/override_options.hpp"
#include "cli/run_assessment.hpp"
#include "config/config_files.hpp"
#include "sweep/load_sweep.hpp"
#include "sweep/mpi_share.hpp"
#include "sweep/run_sweep.hpp"
#include "sweep/sweep_report.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <streambuf>
#include <thread>
#include <unistd.h>

namespace {

using namespace tcsim;

struct Options {
    std::string file;
    int threads = 0;
    bool json = false;
    bool csv = false;
    scenario::Options assessment;
    cli::OverrideOptions overrides;
};

std::string clock_text(double seconds) {
    const auto s = static_cast<long long>(seconds + 0.5);
    char text[32];
    std::snprintf(text, sizeof text, "%lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
    return text;
}

/// "tcsim sweep: 5/15 points, 0:00:41 elapsed, about 0:01:22 left", rewritten in place; the
/// estimate is the mean time per point so far times the points left (threads included).
class Progress {
public:
    void operator()(std::size_t done, std::size_t total) {
        const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
        const double left = elapsed / static_cast<double>(done) * static_cast<double>(total - done);
        std::cerr << "\rtcsim sweep: " << done << "/" << total << " points" << share_ << ", " << clock_text(elapsed)
                  << " elapsed, about " << clock_text(left) << " left " << (done == total ? "\n" : "") << std::flush;
    }
    std::string share_;

private:
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

/// Swallows what it is given: the stderr of ranks other than 0.
class NullBuffer : public std::streambuf {
protected:
    int_type overflow(int_type c) override { return traits_type::not_eof(c); }
};

std::string run_sweep_command(const Options& o) {
    if (o.json && o.csv) throw cli::InputError("give --json or --csv, not both");
    const sweep::MpiSession mpi;
    if (!mpi.is_root()) {
        // For the rest of this process's life, never destroyed: main writes its errors after we
        // return, and the standard streams are flushed at exit after function-local statics are
        // destroyed (a static buffer here left std::cerr dangling: ASan SEGV at exit under mpirun).
        static auto* const quiet = new NullBuffer;
        std::cerr.rdbuf(quiet);
    }
    const config::DiskFiles files;
    const sweep::SweepSpec spec = sweep::load_sweep(files, o.file);
    sweep::SweepOptions options;
    options.base = o.overrides.overrides();
    options.use = o.overrides.use;
    options.options = o.assessment;
    options.threads = o.threads > 0 ? o.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    options.share = mpi.share();
    if (mpi.is_root() && isatty(STDERR_FILENO) != 0) {
        auto progress = std::make_shared<Progress>();
        if (mpi.share().size > 1)
            progress->share_ = " of rank 0's share (1 in " + std::to_string(mpi.share().size) + ")";
        options.progress = [progress](std::size_t done, std::size_t total) { (*progress)(done, total); };
    }
    const std::vector<sweep::SweepRow> rows = mpi.gather(sweep::run_sweep(spec, options));
    if (!mpi.is_root()) return {};
    for (const sweep::SweepRow& r : rows)
        if (r.status == sweep::RowStatus::internal_error)
            throw std::runtime_error("sweep point " + std::to_string(r.point) + ": " + r.reason);
    if (o.json) return sweep::render_sweep_json(spec, rows);
    if (o.csv) return sweep::render_sweep_csv(spec, rows);
    return sweep::render_sweep_table(spec, rows);
}

} // namespace

namespace tcsim::cli {

void add_sweep_command(CLI::App& app, Commands& commands) {
    auto o = std::make_shared<Options>();
    CLI::App* cmd = app.add_subcommand(
        "sweep", "Run a sweep file: one full run assessment (as tcsim run) per point of its axes (product or zip); "
                 "threads with -j, processes with mpirun or srun");
    cmd->add_option("file", o->file, "Sweep file (TOML; format: sweeps/README.md)")->check(file_path())->required();
    cmd->add_option("-j,--jobs", o->threads,
                    "Threads per process (default: the hardware's concurrency); output is the same for any")
        ->check(integer_between(1, 1024, "a thread count"));
    cmd->add_option("--prices", o->assessment.prices,
                    "Price list (TOML; default: the sweep file's, else prices.toml beside the cluster file)");
    CLI::Option* json = cmd->add_flag("--json", o->json, "Write one JSON object (schema tcsim.sweep/1)");
    cmd->add_flag("--csv", o->csv, "Write one CSV row per point (columns: sweep/sweep_report.hpp)")->excludes(json);
    add_assessment_options(*cmd, o->assessment);
    add_override_options(*cmd, o->overrides);
    commands.push_back({cmd, [o] { return run_sweep_command(*o); }});
}

} // namespace tcsim::cli
