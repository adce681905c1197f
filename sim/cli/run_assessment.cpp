#include "cli/run_assessment.hpp"

#include "cli/option_checks.hpp"
#include "economics/claim_check.hpp"

#include <algorithm>
#include <thread>

namespace tcsim::cli {

void add_assessment_options(CLI::App& app, scenario::Options& options) {
    app.add_option("--price-per-gpu-hour", options.price_per_gpu_hour,
                   "Rental price in US dollars per GPU-hour (default: the price list's entry for the GPU)")
        ->check(CLI::Validator(
            [](const std::string& text) {
                const std::string problem = check_positive(text);
                return problem.empty()
                           ? problem
                           : "expected a positive price in US dollars per GPU-hour (e.g. 2.5), got '" + text + "'";
            },
            "USD/GPU-hour > 0"));
    app.add_flag("--no-extension", options.no_extension, "Leave out the context-extension stages");
    app.add_option("--datacenter", options.datacenter,
                   "Power and reliability assumptions (TOML; default: datacenter.toml beside the cluster file)");
    app.add_option("--samples", options.samples, "Monte Carlo samples of failures and restarts (default 1000)")
        ->check(integer_between(1, 1'000'000, "a sample count"));
    app.add_option("--seed", options.seed, "Seed of the failure samples (the same seed gives the same output)")
        ->check(seed_value());
    app.add_flag("--no-failures", options.no_failures,
                 "No failures (checkpoints are written only at a checkpoint_interval the datacenter file gives: "
                 "Young/Daly needs failures)");
    app.add_option("--mtbf-per-gpu-hours", options.mtbf_per_gpu_hours,
                   "GPU-hours between job-interrupting failures per GPU (default: the datacenter file's)")
        ->check(CLI::Validator(check_positive, "hours > 0"));
    app.add_flag("--full", options.full,
                 "Full mode: simulate every GPU of each step (each collective waits for every member of its "
                 "group) instead of one representative per pipeline stage; slower, the same step within 1 %");
}

void add_jobs_option(CLI::App& app, scenario::Options& options) {
    options.jobs = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    app.add_option("-j,--jobs", options.jobs,
                   "Threads for the run's distinct steps and the report's independent runs (default: every core); "
                   "the output is the same bytes for any count")
        ->check(integer_between(1, 1024, "a thread count"));
}

void add_html_option(CLI::App& app, std::string& path) {
    app.add_option("--html", path,
                   "Also write the report to publish to this file: one self-contained HTML page (verdicts, glossary, "
                   "charts with the run at 0.5x, 2x and 4x the GPUs, sources)")
        ->check(CLI::Validator(
            [](const std::string& text) {
                return text.empty() ? std::string("expected a file name for the HTML report, got ''") : std::string();
            },
            "FILE"));
}

std::string claims_outcome(const std::vector<const report::RunReport*>& reports, std::string text) {
    std::string unsupported;
    int count = 0;
    for (const report::RunReport* r : reports)
        for (const auto& c : r->claims)
            if (economics::unsupported(c.verdict)) {
                unsupported += std::string(count++ ? "; " : "") + "\"" + c.claim.name + "\" is " + c.headline;
            }
    if (count == 0) return text;
    throw FailedOutcome(std::to_string(count) + (count == 1 ? " claim is" : " claims are") +
                            " not supported by the simulation: " + unsupported,
                        std::move(text), exit_claim_unsupported);
}

} // namespace tcsim::cli
