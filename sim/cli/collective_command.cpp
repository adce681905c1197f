// tcsim collective: nccl-tests on the simulated network.
//
//   tcsim collective --cluster FILE --op all_reduce|all_gather|reduce_scatter|all_to_all|
//                    ep_dispatch|ep_combine --gpus N [--sizes 1K:16G] [--algorithm NAME]
//                    [--top-k 8] [--max-nodes 4] [--token-bytes 7392] [--json | --csv]
//   --csv columns: size_bytes, time_s, algbw_GBps, busbw_GBps, algorithm (one row per size;
//   GB/s = 10^9 bytes per second, as nccl-tests and the JSON write them)
#include "cli/collective_command.hpp"
#include "cli/option_checks.hpp"

#include "cli/builtin_note.hpp"
#include "config/config_files.hpp"
#include "config/disk_or_builtin_files.hpp"
#include "config/load_cluster.hpp"
#include "network/collective_benchmark.hpp"
#include "report/csv_text.hpp"
#include "scenario/cluster_use.hpp"
#include "scenario/load.hpp"
#include "units/parse.hpp"

#include <nlohmann/json.hpp>
#include <unistd.h> // isatty: progress only on a terminal

#include <cctype>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

namespace tcsim::cli {
namespace {

struct CollectiveOptions {
    std::string cluster;
    std::string op = "all_reduce";
    int gpus = 0;
    std::string sizes = "1K:16G";
    std::string algorithm = "auto";
    int top_k = 8;
    int max_nodes = 4;
    double token_bytes = 7168.0 * (1.0 + 4.0 / 128.0);
    bool json = false;
    bool csv = false;
    std::vector<std::string> sets; ///< --set KIND.KEY=VALUE on the cluster, its catalog or efficiency file
};

units::Bytes parse_size(std::string_view text) {
    std::string t(text);
    while (!t.empty() && std::isspace(static_cast<unsigned char>(t.back()))) t.pop_back();
    while (!t.empty() && std::isspace(static_cast<unsigned char>(t.front()))) t.erase(t.begin());
    if (t.empty()) throw InputError("--sizes: empty size");
    const char last = static_cast<char>(std::toupper(static_cast<unsigned char>(t.back())));
    double scale = 0;
    switch (last) {
    case 'K': scale = 1024.0; break;
    case 'M': scale = 1024.0 * 1024; break;
    case 'G': scale = 1024.0 * 1024 * 1024; break;
    case 'T': scale = 1024.0 * 1024 * 1024 * 1024; break;
    default: break;
    }
    const std::string number = scale > 0 ? t.substr(0, t.size() - 1) : t;
    std::size_t used = 0;
    double value = -1;
    try {
        value = std::stod(number, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    // At most 1 PiB: far beyond any collective, and its time still fits the engine's clock.
    constexpr double kLargest = 1024.0 * 1024 * 1024 * 1024 * 1024;
    const auto checked = [&t](double bytes) {
        if (bytes > kLargest)
            throw InputError("--sizes: \"" + t + "\" is larger than 1 PiB, the largest size tcsim sweeps");
        return units::Bytes(bytes);
    };
    if (used == number.size() && value > 0 && std::isfinite(value)) return checked(value * (scale > 0 ? scale : 1.0));
    try {
        const units::Bytes b = units::parse_bytes(t);
        if (b.value() > 0) return checked(b.value());
    } catch (const units::UnitError&) {}
    throw InputError("--sizes: expected a size such as 1K, 64M, 16G or \"64 MiB\", got \"" + t + "\"");
}

std::string human(double bytes) {
    const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    int u = 0;
    while (bytes >= 1024 && u < 4) {
        bytes /= 1024;
        ++u;
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6g %s", bytes, units[u]);
    return buf;
}

std::string execute(const CollectiveOptions& o) {
    const auto op = network::benchmark_op_from_string(o.op);
    if (!op)
        throw InputError("--op: expected all_reduce, all_gather, reduce_scatter, all_to_all, ep_dispatch or "
                         "ep_combine, got \"" +
                         o.op + "\"");
    const auto algorithm = network::algorithm_from_string(o.algorithm);
    if (!algorithm)
        throw InputError("--algorithm: expected auto, ring, tree, nvls, hierarchical, pairwise, deepep_normal, "
                         "deepep_low_latency, direct, torus_ring or mesh_direct, got \"" +
                         o.algorithm + "\"");
    config::Overrides overrides;
    for (const auto& text : o.sets) overrides.add_set(text);
    scenario::refuse_unread(
        overrides, {config::FileKind::cluster, config::FileKind::gpus, config::FileKind::efficiency}, "collective");
    config::DiskOrBuiltinFiles files;
    files.set_overrides(overrides);
    const topology::ClusterSpec cluster = config::load_cluster(files, o.cluster);
    (void)scenario::check_cluster_builds(cluster, o.cluster);
    note_builtin_stand_ins("collective", files);
    network::CollectiveBenchmarkSpec spec;
    spec.op = *op;
    spec.gpus = o.gpus;
    spec.sizes = parse_size_sweep(o.sizes);
    spec.algorithm = *algorithm;
    spec.top_k = o.top_k;
    spec.max_nodes = o.max_nodes;
    spec.token_bytes = units::Bytes(o.token_bytes);
    // Progress on stderr while the sweep runs, only for a person watching a terminal.
    if (isatty(STDERR_FILENO) != 0)
        spec.progress = [](std::size_t done, std::size_t total) {
            std::cerr << "\rtcsim collective: " << done << " of " << total << " sizes" << (done == total ? "\n" : "")
                      << std::flush;
        };
    std::vector<network::CollectiveBenchmarkRow> rows;
    try {
        rows = network::run_collective_benchmark(cluster, spec);
    } catch (const std::invalid_argument& e) {
        throw InputError(e.what());
    }
    if (o.csv) {
        std::string out = report::csv_record({"size_bytes", "time_s", "algbw_GBps", "busbw_GBps", "algorithm"});
        for (const auto& r : rows)
            out += report::csv_record({report::csv_number(r.size.value()), report::csv_number(r.time.count()),
                                       report::csv_number(r.algbw.value() / 1e9),
                                       report::csv_number(r.busbw.value() / 1e9),
                                       std::string(network::to_string(r.algorithm))});
        return out;
    }
    if (o.json) {
        nlohmann::ordered_json out;
        out["schema"] = "tcsim.collective/1"; // name/version of this document's layout (README)
        out["cluster"] = cluster.name;
        out["op"] = o.op;
        out["gpus"] = o.gpus;
        out["rows"] = nlohmann::ordered_json::array();
        for (const auto& r : rows)
            out["rows"].push_back({{"size_bytes", r.size.value()},
                                   {"time_s", r.time.count()},
                                   {"algbw_GBps", r.algbw.value() / 1e9},
                                   {"busbw_GBps", r.busbw.value() / 1e9},
                                   {"algorithm", std::string(network::to_string(r.algorithm))}});
        return out.dump(2) + "\n";
    }
    std::string text =
        "# " + o.op + " on " + std::to_string(o.gpus) + " GPUs of " + cluster.name + " (simulated, idle network)\n";
    char line[160];
    std::snprintf(line, sizeof line, "%14s %14s %12s %12s  %s\n", "size", "time (us)", "algbw (GB/s)", "busbw (GB/s)",
                  "algorithm");
    text += line;
    for (const auto& r : rows) {
        std::snprintf(line, sizeof line, "%14s %14.2f %12.2f %12.2f  %s\n", human(r.size.value()).c_str(),
                      r.time.count() * 1e6, r.algbw.value() / 1e9, r.busbw.value() / 1e9,
                      std::string(network::to_string(r.algorithm)).c_str());
        text += line;
    }
    return text;
}

} // namespace

std::vector<units::Bytes> parse_size_sweep(std::string_view text) {
    const auto colon = text.find(':');
    if (colon == std::string_view::npos) return {parse_size(text)};
    const units::Bytes from = parse_size(text.substr(0, colon));
    const units::Bytes to = parse_size(text.substr(colon + 1));
    if (to < from) throw InputError("--sizes: \"" + std::string(text) + "\" ends below where it starts");
    return network::doubling_sizes(from, to);
}

void add_collective_command(CLI::App& app, Commands& commands) {
    auto o = std::make_shared<CollectiveOptions>();
    CLI::App* cmd = app.add_subcommand("collective",
                                       "nccl-tests-like sweep of one collective on the simulated network (flow model)");
    cmd->add_option("--cluster", o->cluster, "Cluster file (topologies/*.toml)")->check(file_path())->required();
    cmd->add_option("--op", o->op, "all_reduce, all_gather, reduce_scatter, all_to_all, ep_dispatch or ep_combine")
        ->capture_default_str();
    cmd->add_option("--gpus", o->gpus, "GPUs taking part: the cluster's first N (whole nodes beyond one)")
        ->required()
        ->check(integer_between(2, 1'000'000, "a GPU count of at least 2"));
    cmd->add_option("--sizes", o->sizes, "SIZE or FROM:TO, doubling (1K = 1024 bytes)")->capture_default_str();
    cmd->add_option("--algorithm", o->algorithm,
                    "auto, ring, tree, nvls, hierarchical, pairwise, deepep_normal, deepep_low_latency, direct, "
                    "torus_ring or mesh_direct (expert ops: auto is DeepEP's kernels, pairwise NCCL's all-to-all of "
                    "every token copy as Megatron-Core's alltoall dispatcher runs it)")
        ->capture_default_str();
    cmd->add_option("--top-k", o->top_k, "Expert ops: experts per token (at most the GPU count)")
        ->capture_default_str()
        ->check(integer_between(1, 1'000'000, "an expert count per token"));
    cmd->add_option("--max-nodes", o->max_nodes, "Expert ops: nodes a token may reach (0 = unlimited)")
        ->capture_default_str()
        ->check(integer_between(0, 1'000'000, "a node count (0 = unlimited)"));
    cmd->add_option("--token-bytes", o->token_bytes, "Expert ops: bytes of one token on the wire")
        ->capture_default_str()
        ->check(CLI::Validator(check_positive, "bytes > 0"));
    cmd->add_option("--set", o->sets,
                    "Override a key of the cluster file or of the catalog or efficiency file it names: KIND.KEY=VALUE, "
                    "KIND one of cluster, gpus, efficiency (e.g. --set cluster.scale_up.twisted=true); repeatable")
        ->allow_extra_args(false);
    CLI::Option* json = cmd->add_flag("--json", o->json, "Write one JSON object");
    cmd->add_flag("--csv", o->csv, "Write one CSV row per size: size_bytes,time_s,algbw_GBps,busbw_GBps,algorithm")
        ->excludes(json);
    commands.push_back({cmd, [o] { return execute(*o); }});
}

} // namespace tcsim::cli
