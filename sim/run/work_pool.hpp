// The independent simulations of one report (every distinct step of every run it needs, the
// rollouts of its RL stages), gathered first and then done on one pool of threads, the longest
// expected first, so that the threads finish together instead of one of them taking two long
// pieces in a row.
//
// Contract
// - add(expected_seconds, work) queues `work` (called once as work(buffers), returning a
//   copyable result) and returns a ticket for its result. `expected_seconds` orders the queue
//   and nothing else (run/expected_work.hpp): a poor estimate costs balance, never a result.
// - run(threads, buffers) does every piece queued since the last run on up to `threads`
//   threads, the largest expected first (ties in the order added). Each thread lends the
//   pieces it runs one training::StepBuffers, taken from `buffers` (the report's, null: its
//   own) and given back when run() returns. A piece must read nothing another piece writes
//   (the shared network::Fabric's memo is thread safe and changes no answer), so its result is
//   the same on any thread and for any thread count. If pieces throw, the exception of the
//   first piece in the order added that threw is rethrown after every thread has stopped.
// - result(ticket) is the piece's result once run() has done it; before, std::logic_error.
// - Not thread safe itself: add and run from one thread.
#pragma once

#include "run/step_buffer_pool.hpp"
#include "training/step_buffers.hpp"

#include <any>
#include <cstddef>
#include <functional>
#include <stdexcept>
#include <type_traits>
#include <utility>
#include <vector>

namespace tcsim::run {

class WorkPool {
public:
    /// Where the result of one piece will be, typed by what the piece returns.
    template <class T>
    class Ticket {
    public:
        Ticket() = default;

    private:
        friend class WorkPool;
        explicit Ticket(std::size_t piece) : piece_(piece) {}
        std::size_t piece_ = 0;
    };

    template <class F>
    auto add(double expected_seconds, F work) -> Ticket<std::invoke_result_t<F&, training::StepBuffers&>> {
        using T = std::invoke_result_t<F&, training::StepBuffers&>;
        pieces_.push_back(Piece{expected_seconds,
                                [work = std::move(work)](training::StepBuffers& b) mutable { return std::any(work(b)); },
                                {}});
        return Ticket<T>(pieces_.size() - 1);
    }

    void run(int threads, StepBufferPool* buffers = nullptr);

    template <class T>
    [[nodiscard]] const T& result(Ticket<T> ticket) const {
        const std::any& r = pieces_.at(ticket.piece_).result;
        if (!r.has_value()) throw std::logic_error("WorkPool::result: the piece has not run");
        return std::any_cast<const T&>(r);
    }

    /// Pieces added, done or not.
    [[nodiscard]] std::size_t size() const { return pieces_.size(); }

private:
    struct Piece {
        double expected_seconds = 0;
        std::function<std::any(training::StepBuffers&)> work;
        std::any result; ///< empty until done
    };
    std::vector<Piece> pieces_;
    std::size_t done_ = 0; ///< pieces before this index have run
};

} // namespace tcsim::run
