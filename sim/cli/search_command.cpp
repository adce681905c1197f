// tcsim search: loads the cluster, the workload and the price, calls search::search_layouts and
// writes its table, JSON or CSV. Progress goes to stderr (every few seconds of a long search).
#include "cli/search_command.hpp"

#include "cli/builtin_note.hpp"
#include "cli/option_checks.hpp"
#include "config/config_files.hpp"
#include "config/disk_or_builtin_files.hpp"
#include "config/load_cluster.hpp"
#include "config/load_prices.hpp"
#include "config/load_workload.hpp"
#include "config/overrides.hpp"
#include "economics/cost_model.hpp"
#include "scenario/cluster_use.hpp"
#include "scenario/inputs_at_median.hpp"
#include "search/layout_search.hpp"
#include "search/search_report.hpp"
#include "search/value_list.hpp"

#include <CLI/CLI.hpp>

#include <chrono>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>

namespace {

using namespace tcsim;

/// One integer-list flag: its name, the range of its values, what the user wrote.
struct IntListFlag {
    const char* name;
    const char* help;
    int lo;
    int hi;
    std::string text;
};

struct Options {
    std::string cluster;
    std::string workload;
    std::string prices;
    std::optional<double> price_per_gpu_hour;
    int nodes = 0;
    int gpus = 0;
    std::vector<IntListFlag> lists{
        {"--tp", "Tensor-parallel degrees (default: divisors of the GPUs per node)", 1, 1'000'000, ""},
        {"--pp", "Pipeline stages (default: divisors of the GPU count)", 1, 1'000'000, ""},
        {"--vpp", "Virtual stages of interleaved 1F1B (default 2,3,4,6,8)", 2, 1'000, ""},
        {"--dp", "Data-parallel degrees allowed (DP is GPUs / (TP x PP x CP); default: any)", 1, 1'000'000'000, ""},
        {"--cp", "Context-parallel degrees (default 1,2,4,8)", 1, 1'000'000, ""},
        {"--ep", "Expert-parallel degrees (default: divisors of the routed experts)", 1, 1'000'000, ""},
        {"--etp", "Expert tensor-parallel degrees (default: divisors of the GPUs per node)", 1, 1'000'000, ""},
        {"--mbs", "Micro-batch sizes in sequences (default 1,2,4,8)", 1, 1'000'000, ""},
        {"--zero", "ZeRO stages (default 0-3)", 0, 3, ""},
    };
    std::string recompute;
    std::string schedule;
    std::vector<std::string> sets; ///< --set KIND.KEY=VALUE, as run takes them
    int top = 10;
    int threads = 0;
    bool json = false;
    bool csv = false;
};

const std::vector<std::string> kRecompute{"none", "selective", "full"};
const std::vector<std::string> kSchedules{"1f1b", "interleaved-1f1b", "zero-bubble", "dualpipe", "gpipe"};

std::vector<int>* bound_of(search::SearchBounds& b, const std::string& flag) {
    if (flag == "--tp") return &b.tp;
    if (flag == "--pp") return &b.pp;
    if (flag == "--vpp") return &b.vpp;
    if (flag == "--dp") return &b.dp;
    if (flag == "--cp") return &b.cp;
    if (flag == "--ep") return &b.ep;
    if (flag == "--etp") return &b.etp;
    if (flag == "--mbs") return &b.mbs;
    return &b.zero;
}

search::SearchBounds bounds_of(const Options& o) {
    search::SearchBounds b;
    for (const auto& flag : o.lists)
        if (!flag.text.empty()) *bound_of(b, flag.name) = search::parse_int_list(flag.text, flag.lo, flag.hi);
    if (!o.recompute.empty())
        for (const auto& word : search::parse_word_list(o.recompute, kRecompute))
            b.recompute.push_back(word == "none"        ? workload::Recompute::none
                                  : word == "selective" ? workload::Recompute::selective
                                                        : workload::Recompute::full);
    if (!o.schedule.empty())
        for (const auto& word : search::parse_word_list(o.schedule, kSchedules))
            for (const auto s : {workload::PipelineSchedule::gpipe, workload::PipelineSchedule::one_f_one_b,
                                 workload::PipelineSchedule::interleaved_1f1b, workload::PipelineSchedule::zero_bubble,
                                 workload::PipelineSchedule::dualpipe})
                if (workload::to_string(s) == word) b.schedule.push_back(s);
    return b;
}

/// Progress lines on stderr, at most one every two seconds, so that a short search prints none.
class Progress {
public:
    void operator()(const std::string& stage, std::size_t done, std::size_t total) {
        const auto now = std::chrono::steady_clock::now();
        if (now - last_ < std::chrono::seconds(2)) return;
        last_ = now;
        std::cerr << "tcsim search: " << stage << " " << done << "/" << total << " layouts\n";
    }

private:
    std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
};

std::string run_search(const Options& o) {
    if (o.json && o.csv) throw cli::InputError("give --json or --csv, not both");
    config::DiskOrBuiltinFiles files;
    config::Overrides overrides;
    for (const auto& text : o.sets) overrides.add_set(text);
    files.set_overrides(std::move(overrides));
    topology::ClusterSpec cluster = config::load_cluster(files, o.cluster);
    const workload::Workload workload = config::load_workload(files, o.workload);
    // The layouts are searched, so only the cluster follows --nodes or --gpus (not the workload's
    // own layout, as run's apply_cluster_use does).
    if (const auto part = scenario::cluster_part(cluster, {o.nodes, o.gpus}); part.gpus > 0) {
        if (part.gpus % cluster.gpus_per_node != 0)
            throw cli::InputError("--gpus " + std::to_string(o.gpus) + ": not a whole number of " +
                                  std::to_string(cluster.gpus_per_node) + "-GPU nodes");
        cluster.nodes = part.gpus / cluster.gpus_per_node;
        cluster.name += part.suffix;
    }
    economics::RentalPrice price;
    if (o.price_per_gpu_hour) {
        price = {units::dollars_per_hour(*o.price_per_gpu_hour), "", "--price-per-gpu-hour"};
    } else {
        const std::string path = o.prices.empty() ? files.resolve(o.cluster, "prices.toml") : o.prices;
        const economics::PriceCatalog catalog = config::load_prices(files, path, cluster.catalog_gpus);
        try {
            price = economics::price_for(catalog, cluster.gpu.name);
        } catch (const std::out_of_range& e) {
            throw cli::InputError(path + ": " + e.what() + "; give --price-per-gpu-hour");
        }
    }
    search::SearchOptions options;
    options.top = o.top;
    options.threads = o.threads > 0 ? o.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    auto progress = std::make_shared<Progress>();
    options.progress = [progress](const std::string& stage, std::size_t done, std::size_t total) {
        (*progress)(stage, done, total);
    };
    search::SearchResult result = search::search_layouts(cluster, workload, bounds_of(o), price, options);
    result.inputs_at_median = scenario::inputs_at_median(files.uncertain());
    cli::note_builtin_stand_ins("search", files);
    if (o.json) return search::render_search_json(result);
    if (o.csv) return search::render_search_csv(result);
    return search::render_search_table(result);
}

} // namespace

namespace tcsim::cli {

void add_search_command(CLI::App& app, Commands& commands) {
    auto o = std::make_shared<Options>();
    CLI::App* cmd = app.add_subcommand(
        "search", "Which layout is fastest: every valid layout of a workload on a cluster, pruned by the plan "
                  "checks and memory, screened, the best simulated in full");
    cmd->add_option("--cluster", o->cluster, "Cluster file (TOML)")->check(file_path())->required();
    cmd->add_option("--workload", o->workload, "Workload file (TOML); its own layout is simulated as a reference")
        ->check(file_path())
        ->required();
    cmd->add_option("--nodes", o->nodes, "Use only this many nodes of the cluster")
        ->check(positive_integer("a node count"));
    cmd->add_option("--gpus", o->gpus, "What-if: resize the cluster to this many GPUs (whole nodes)")
        ->check(positive_integer("a GPU count"));
    for (IntListFlag& flag : o->lists) {
        const int lo = flag.lo, hi = flag.hi;
        cmd->add_option(flag.name, flag.text, flag.help)
            ->check(CLI::Validator(
                [lo, hi](const std::string& text) -> std::string {
                    try {
                        (void)search::parse_int_list(text, lo, hi);
                        return {};
                    } catch (const std::invalid_argument& e) {
                        return e.what();
                    }
                },
                "LIST"));
    }
    auto words = [](const std::vector<std::string>& allowed) {
        return CLI::Validator(
            [allowed](const std::string& text) -> std::string {
                try {
                    (void)search::parse_word_list(text, allowed);
                    return {};
                } catch (const std::invalid_argument& e) {
                    return e.what();
                }
            },
            "NAMES");
    };
    cmd->add_option("--set", o->sets,
                    "KIND.KEY=VALUE: replace a key of an input file before the search (repeatable; KIND: cluster, "
                    "workload, prices; e.g. --set workload.parallel.moe_dispatcher=alltoall). The searched "
                    "degrees replace the workload's own")
        ->allow_extra_args(false);
    cmd->add_option("--recompute", o->recompute, "Recomputation: none,selective,full (default all)")
        ->check(words(kRecompute));
    cmd->add_option("--schedule", o->schedule,
                    "Pipeline schedules: 1f1b,interleaved-1f1b,zero-bubble,dualpipe,gpipe (default all)")
        ->check(words(kSchedules));
    cmd->add_option("--top", o->top, "Layouts simulated in full and ranked (default 10)")
        ->check(integer_between(1, 1000, "a layout count"));
    cmd->add_option("-j,--jobs", o->threads,
                    "Threads (default: the hardware's concurrency); output is the same for any")
        ->check(integer_between(1, 1024, "a thread count"));
    cmd->add_option("--prices", o->prices, "Price list (TOML; default: prices.toml beside the cluster file)")
        ->check(file_path());
    cmd->add_option("--price-per-gpu-hour", o->price_per_gpu_hour, "Rental price in US dollars per GPU-hour")
        ->check(CLI::Validator(check_positive, "USD/GPU-hour > 0"));
    cmd->add_flag("--json", o->json, "Write the result as one JSON object (schema tcsim.search/1)");
    cmd->add_flag("--csv", o->csv, "Write the ranked layouts as CSV");
    commands.push_back({cmd, [o] { return run_search(*o); }});
}

} // namespace tcsim::cli
