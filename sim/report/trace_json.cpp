#include "report/trace_json.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <string>
#include <vector>

namespace tcsim::report {

namespace {
const char* phase_name(training::Phase p) {
    switch (p) {
    case training::Phase::forward: return "forward";
    case training::Phase::backward: return "backward";
    case training::Phase::weight_grad: return "weight_grad";
    case training::Phase::optimizer: return "optimizer";
    }
    return "?";
}
} // namespace

void write_chrome_trace(std::ostream& out, const training::StepTrace& trace) {
    const auto& program = trace.program;
    // Spans arrive in completion order; the file lists them in program order.
    std::vector<const training::OpSpan*> by_op(program.ops.size(), nullptr);
    for (const auto& s : trace.spans) by_op[s.op] = &s;

    nlohmann::ordered_json events = nlohmann::ordered_json::array();
    for (int r = 0; r < program.ranks; ++r) {
        events.push_back({{"name", "process_name"},
                          {"ph", "M"},
                          {"pid", r},
                          {"tid", 0},
                          {"args",
                           {{"name", "pipeline rank " + std::to_string(r) + " (x" +
                                         std::to_string(program.gpus_per_rank) + " GPUs)"}}}});
        events.push_back(
            {{"name", "process_sort_index"}, {"ph", "M"}, {"pid", r}, {"tid", 0}, {"args", {{"sort_index", r}}}});
        for (int s = 0; s < training::kStreamCount; ++s)
            events.push_back({{"name", "thread_name"},
                              {"ph", "M"},
                              {"pid", r},
                              {"tid", s},
                              {"args", {{"name", training::to_string(static_cast<training::Stream>(s))}}}});
    }
    for (training::OpIndex i = 0; i < program.ops.size(); ++i) {
        const auto* span = by_op[i];
        if (span == nullptr) continue;
        const auto& op = program.ops[i];
        nlohmann::ordered_json args = {
            {"micro_batch", op.micro_batch}, {"layer", op.layer}, {"phase", phase_name(op.phase)}};
        std::string name;
        if (op.is_compute()) {
            name = program.blocks[static_cast<std::size_t>(op.block)].name;
        } else {
            const collective::CommWork& comm = program.comm(op);
            name = std::string(layout::to_string(op.dim)) + "." + collective::to_string(comm.kind);
            args["group_size"] = comm.placement.size;
            args["bytes"] = comm.bytes.value();
        }
        // Integer nanoseconds written as microseconds with 3 decimals: exact and stable.
        const auto us = [](double seconds) {
            return static_cast<double>(static_cast<long long>(seconds * 1e9 + 0.5)) / 1e3;
        };
        events.push_back({{"name", name},
                          {"cat", op.is_compute() ? "compute" : "communication"},
                          {"ph", "X"},
                          {"pid", op.rank},
                          {"tid", static_cast<int>(op.stream)},
                          {"ts", us(span->start_s)},
                          {"dur", us(span->end_s) - us(span->start_s)},
                          {"args", std::move(args)}});
    }
    nlohmann::ordered_json doc = {{"traceEvents", std::move(events)}, {"displayTimeUnit", "ms"}};
    out << doc.dump() << '\n';
}

} // namespace tcsim::report
