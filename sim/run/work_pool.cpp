#include "run/work_pool.hpp"

#include "run/parallel_map.hpp"

#include <algorithm>
#include <exception>
#include <numeric>
#include <span>

namespace tcsim::run {

void WorkPool::run(int threads, StepBufferPool* buffers) {
    const std::size_t first = done_;
    const std::size_t count = pieces_.size() - first;
    if (count == 0) return;
    // Longest first (list scheduling, Graham's LPT rule): the long pieces start at once on
    // different threads and the short ones fill in around them. A thread's buffers, sized by
    // its first piece, then serve the smaller ones without growing (a table that grows is
    // mapped afresh).
    std::vector<std::size_t> order(count);
    std::iota(order.begin(), order.end(), first);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return pieces_[a].expected_seconds > pieces_[b].expected_seconds;
    });
    LentBuffers lent(buffers, std::min(count, static_cast<std::size_t>(std::max(1, threads))));
    std::vector<std::exception_ptr> errors(count);
    parallel_map<char>(count, std::span<training::StepBuffers>(lent.sets()),
                       [&](training::StepBuffers& b, std::size_t k) {
                           const std::size_t i = order[k];
                           try {
                               pieces_[i].result = pieces_[i].work(b);
                           } catch (...) {
                               errors[i - first] = std::current_exception();
                           }
                           return char{};
                       });
    done_ = pieces_.size();
    for (Piece& p : std::span(pieces_).subspan(first)) p.work = nullptr; // what it captured, released
    for (const std::exception_ptr& e : errors)
        if (e) std::rethrow_exception(e);
}

} // namespace tcsim::run
