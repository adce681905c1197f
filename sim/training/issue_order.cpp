#include "training/issue_order.hpp"

#include <stdexcept>
#include <string>

namespace tcsim::training {

void agree_issue_order(Program& program, const std::vector<exec::OpSpan>& spans) {
    if (spans.size() != program.ops.size())
        throw std::invalid_argument("agree_issue_order: " + std::to_string(spans.size()) + " spans for a program of " +
                                    std::to_string(program.ops.size()) + " ops");
    std::vector<bool> seen(program.ops.size(), false);
    // Next position per (rank, stream).
    std::vector<int> next(static_cast<std::size_t>(program.ranks) * kStreamCount, 0);
    for (const exec::OpSpan& span : spans) {
        if (span.op >= program.ops.size() || seen[span.op])
            throw std::invalid_argument(
                "agree_issue_order: span of op " + std::to_string(span.op) +
                (span.op >= program.ops.size() ? ", which the program does not have" : ", which ran twice"));
        seen[span.op] = true;
        Op& op = program.ops[span.op];
        if (op.is_compute()) continue;
        op.issue = next[static_cast<std::size_t>(op.rank) * kStreamCount + static_cast<std::size_t>(op.stream)]++;
    }
    program.comm_order = CommOrder::agreed;
}

} // namespace tcsim::training
