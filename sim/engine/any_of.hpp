// Waiting for the first of several events: `std::size_t i = co_await any_of(a, b, ...)`.
//
// Semantics follow SimPy's AnyOf condition (simpy.events.AnyOf), reduced to what a process
// needs: which event came first.
//
// Contract
// - The process resumes when the first of the events is processed, inside that event's queue
//   entry, and co_await yields its position in the argument list (0 for the first). Of two
//   events processed at the same time, the first in the kernel's order wins; if some are already
//   processed when the process begins to wait, it does not suspend and gets the lowest such
//   position.
// - The others are left alone: they still happen (or not) and may be waited on again. A
//   Timeout that lost the race and is destroyed afterwards is cancelled (event.hpp).
// - Events are taken by reference and must outlive the wait (a Timeout made in the same
//   full-expression does).
#pragma once

#include <array>
#include <coroutine>
#include <cstddef>

#include "engine/event.hpp"

namespace tcsim::engine {

template <std::size_t N>
class AnyOf {
    static_assert(N >= 1, "any_of needs at least one event");

public:
    explicit AnyOf(const std::array<Event*, N>& events) : events_(events) {
        for (std::size_t i = 0; i < N; ++i) {
            nodes_[i].owner = this;
            nodes_[i].index = i;
        }
    }
    AnyOf(const AnyOf&) = delete;
    AnyOf& operator=(const AnyOf&) = delete;

    bool await_ready() noexcept {
        for (std::size_t i = 0; i < N; ++i) {
            if (events_[i]->processed()) {
                winner_ = i;
                return true;
            }
        }
        return false;
    }
    void await_suspend(std::coroutine_handle<> process) noexcept {
        process_ = process;
        for (std::size_t i = 0; i < N; ++i) events_[i]->add_waiter(nodes_[i]);
    }
    std::size_t await_resume() const noexcept { return winner_; }

private:
    struct Node final : detail::EventWaiter {
        AnyOf* owner = nullptr;
        std::size_t index = 0;
        void on_event() override { owner->fired(index); }
    };

    void fired(std::size_t index) {
        winner_ = index;
        for (Node& n : nodes_) n.unlink();
        process_.resume();
    }

    std::array<Event*, N> events_;
    std::array<Node, N> nodes_{};
    std::coroutine_handle<> process_{};
    std::size_t winner_ = 0;
};

template <class... Events>
AnyOf<sizeof...(Events)> any_of(Events&... events) {
    return AnyOf<sizeof...(Events)>(std::array<Event*, sizeof...(Events)>{static_cast<Event*>(&events)...});
}

} // namespace tcsim::engine
