// A Program's dependencies turned around: for each op, the ops that name it among their
// dependencies. An executor that makes each op only when it first matters (exec/op_source.hpp)
// asks for them as an op finishes: the symmetric replay's ops, and full mode's expansion, which
// maps each symmetric successor to every GPU.
//
// Contract
// - build(program) lists, for every op i, the ops naming i, ascending, each as many times as it
//   names i; of(i) is that list (valid until the next build or sort_each). The program's
//   dependencies must name its ops (std::invalid_argument otherwise, naming the first op, in id
//   order, that names a missing one).
// - sort_each(less) reorders each op's list by `less` (stable), for a caller whose successors
//   come in another order.
// - Two flat tables (4 bytes per op and per dependency) on huge pages once large; build() reuses
//   their capacity (a step's buffers keep one for the next step, training/step_buffers.hpp).
#pragma once

#include "engine/huge_page_allocator.hpp"
#include "training/program.hpp"

#include <algorithm>
#include <span>

namespace tcsim::training {

class ProgramSuccessors {
public:
    ProgramSuccessors() = default;
    explicit ProgramSuccessors(const Program& program) { build(program); }

    void build(const Program& program);

    [[nodiscard]] std::span<const OpIndex> of(OpIndex i) const {
        return {list_.data() + first_[i], list_.data() + first_[i + 1]};
    }

    /// Bytes of capacity held.
    [[nodiscard]] std::size_t bytes() const { return (first_.capacity() + list_.capacity()) * sizeof(OpIndex); }

    template <class Less>
    void sort_each(Less less) {
        for (std::size_t i = 0; i + 1 < first_.size(); ++i)
            std::stable_sort(list_.begin() + first_[i], list_.begin() + first_[i + 1], less);
    }

private:
    engine::HugeVector<OpIndex> first_; ///< op i's successors are list_[first_[i], first_[i + 1])
    engine::HugeVector<OpIndex> list_;
};

} // namespace tcsim::training
