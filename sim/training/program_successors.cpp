#include "training/program_successors.hpp"

#include <stdexcept>
#include <string>

namespace tcsim::training {

void ProgramSuccessors::build(const Program& program) {
    // A counting sort by dependency: each op's successors come in id order because the ops are
    // walked in id order. first_[d + 1] counts d's successors, then (prefix sums) first_[d] is
    // where they start; filling moves first_[d] to their end, and a shift by one puts it back.
    const std::size_t n = program.ops.size();
    first_.assign(n + 1, 0);
    std::size_t edges = 0;
    for (OpIndex i = 0; i < n; ++i)
        for (const OpIndex d : program.ops[i].deps) {
            if (d >= n) throw std::invalid_argument("op " + std::to_string(i) + " depends on a missing op");
            ++first_[d + 1];
            ++edges;
        }
    if (edges >= 0xffffffffULL)
        throw std::length_error("a program with more than 4G dependencies");
    for (std::size_t i = 0; i < n; ++i) first_[i + 1] += first_[i];
    list_.resize(edges);
    for (OpIndex i = 0; i < n; ++i)
        for (const OpIndex d : program.ops[i].deps) list_[first_[d]++] = i;
    for (std::size_t i = n; i > 0; --i) first_[i] = first_[i - 1];
    first_[0] = 0;
}

} // namespace tcsim::training
