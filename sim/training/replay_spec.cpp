#include "training/replay_spec.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <utility>

namespace tcsim::training {

void refuse_spec(OpIndex i, const Op& op) {
    if (op.is_compute() != (op.stream == Stream::compute))
        throw std::logic_error("op " + std::to_string(i) + (op.is_compute() ? " computes on a communication stream"
                                                                             : " communicates on the compute stream"));
    throw std::logic_error("op " + std::to_string(i) + " communicates without a place in its stream's agreed issue order");
}

SlotLists::SlotLists(int ranks, bool agreed)
    : ranks_(static_cast<std::size_t>(std::max(ranks, 0))), agreed_(agreed), lists_(ranks_ * kStreamCount),
      unsorted_(lists_.size(), false) {}

void SlotLists::add(const Op& op) {
    // A rank's slots nearly always come in program order: counted as they come, and only a list
    // that went back is sorted and merged at the end.
    if (op.rank < 0 || static_cast<std::size_t>(op.rank) >= ranks_ || !slotted(op.stream, agreed_)) return;
    const int slot = agreed_ && op.stream != Stream::compute ? op.issue : op.slot;
    const std::size_t at = static_cast<std::size_t>(op.rank) * kStreamCount + static_cast<std::size_t>(op.stream);
    auto& list = lists_[at];
    if (!list.empty() && list.back().slot == slot) {
        ++list.back().ops;
        return;
    }
    if (!list.empty() && list.back().slot > slot) unsorted_[at] = true;
    list.push_back({slot, 1});
}

std::vector<std::vector<exec::SlotCount>> SlotLists::take() {
    for (std::size_t at = 0; at < lists_.size(); ++at) {
        if (!unsorted_[at]) continue;
        auto& list = lists_[at];
        std::stable_sort(list.begin(), list.end(),
                         [](const exec::SlotCount& a, const exec::SlotCount& b) { return a.slot < b.slot; });
        std::vector<exec::SlotCount> merged;
        for (const exec::SlotCount& c : list)
            if (!merged.empty() && merged.back().slot == c.slot)
                merged.back().ops += c.ops;
            else
                merged.push_back(c);
        list = std::move(merged);
        unsorted_[at] = false;
    }
    return std::move(lists_);
}

std::vector<std::vector<exec::SlotCount>> slot_counts(const Program& program, bool agreed) {
    SlotLists lists(program.ranks, agreed);
    for (const Op& op : program.ops) lists.add(op);
    return lists.take();
}

} // namespace tcsim::training
