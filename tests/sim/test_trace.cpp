// The step timeline as Chrome trace-event JSON: it parses, names one process per rank and one
// thread per stream, and no stream runs two ops at once (streams are serial by construction).
#include "config/config_files.hpp"
#include "config/load_cluster.hpp"
#include "config/load_workload.hpp"
#include "report/trace_json.hpp"
#include "training/step_simulator.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <sstream>
#include <utility>
#include <vector>

using namespace tcsim;

TEST_CASE("the DeepSeek-V3 step trace is valid Chrome trace JSON with serial streams") {
    const config::DiskFiles files;
    const auto cluster = config::load_cluster(files, "topologies/deepseek-v3-h800.toml");
    const auto workload = config::load_workload(files, "workloads/deepseek-v3.toml");
    training::StepTrace trace;
    // The smallest batch DualPipe runs on this layout keeps the test quick.
    const auto step = training::simulate_step(cluster, workload, 4096, 4096, &trace);
    std::ostringstream out;
    report::write_chrome_trace(out, trace);
    const auto doc = nlohmann::json::parse(out.str());
    REQUIRE(doc.contains("traceEvents"));
    const auto& events = doc["traceEvents"];

    std::set<int> processes;
    std::set<std::pair<int, int>> named_threads;
    std::map<std::pair<int, int>, std::vector<std::pair<double, double>>> spans; // (pid, tid) -> [start, end)
    std::map<int, double> expert_us, compute_us; // per pid: expert dispatch/combine, compute ops
    std::size_t complete = 0;
    for (const auto& e : events) {
        REQUIRE(e.contains("ph"));
        const std::string ph = e["ph"];
        if (ph == "M") {
            if (e["name"] == "process_name") processes.insert(e["pid"].get<int>());
            if (e["name"] == "thread_name") named_threads.insert({e["pid"].get<int>(), e["tid"].get<int>()});
            continue;
        }
        REQUIRE(ph == "X");
        ++complete;
        CHECK(e["dur"].get<double>() >= 0);
        CHECK(!e["name"].get<std::string>().empty());
        const int pid = e["pid"];
        const int tid = e["tid"];
        CHECK(named_threads.count({pid, tid}) == 1);
        const double ts = e["ts"];
        spans[{pid, tid}].push_back({ts, ts + e["dur"].get<double>()});
        const std::string name = e["name"];
        if (name == "ep.ep_dispatch" || name == "ep.ep_combine") expert_us[pid] += e["dur"].get<double>();
        if (tid == 0) compute_us[pid] += e["dur"].get<double>();
    }
    CHECK(processes.size() == static_cast<std::size_t>(workload.parallel.pp));
    CHECK(complete == trace.program.ops.size());
    CHECK(complete == step.ops);
    // Every rank has a compute track and its communication tracks.
    for (int r = 0; r < workload.parallel.pp; ++r) {
        CHECK(spans.count({r, 0}) == 1);
        CHECK(spans.count({r, 1}) == 1);
    }
    for (auto& [track, list] : spans) {
        std::sort(list.begin(), list.end());
        for (std::size_t i = 1; i < list.size(); ++i) {
            CAPTURE(track.first);
            CAPTURE(track.second);
            // Timestamps are whole nanoseconds written in microseconds: allow 1 ns of rounding.
            CHECK(list[i].first >= list[i - 1].second - 1e-3);
        }
    }
    // The last event ends at the step time.
    double last = 0;
    for (const auto& [track, list] : spans)
        for (const auto& s : list) last = std::max(last, s.second);
    CHECK(last == doctest::Approx(step.step_seconds * 1e6).epsilon(1e-6));
    // The step's per-rank accounts are the timeline's: compute-stream busy time and the time
    // expert dispatches and combines were in flight (record dsv3-profile-overlap compares them).
    REQUIRE(step.ranks.size() == static_cast<std::size_t>(workload.parallel.pp));
    for (const auto& rank : step.ranks) {
        CAPTURE(rank.rank);
        CHECK(rank.expert_comm_s > 0);
        CHECK(rank.expert_comm_s * 1e6 == doctest::Approx(expert_us[rank.rank]).epsilon(1e-6));
        CHECK(rank.breakdown.compute_s * 1e6 == doctest::Approx(compute_us[rank.rank]).epsilon(1e-6));
    }
}
