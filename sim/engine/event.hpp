// One-shot events that processes wait on: Event (succeeded by whoever holds it) and Timeout
// (succeeds itself after a delay).
//
// Semantics follow SimPy's Event and Timeout (simpy.events): an event is pending, then
// triggered (succeed() was called, or its delay was set), then processed (the kernel popped it
// from its queue and resumed every process waiting on it).
//
// Contract
// - Through the queue. succeed() schedules the event's processing at now() on the Simulation's
//   queue (SimPy's NORMAL priority); a Timeout is scheduled at now() + delay when it is made.
//   Waiting processes resume when that queue entry runs, in the order in which they began to
//   wait, so the kernel's order (time, then scheduling order) decides every resumption and runs
//   are reproducible bit for bit. One event costs one queue entry, whatever waits on it.
// - Once. succeed() on an event already triggered throws std::logic_error (SimPy raises
//   RuntimeError). An event is never reset: make a new one.
// - Late waiters. co_await on a processed event does not suspend (SimPy resumes such a waiter
//   at once as well); on a triggered but unprocessed one it waits for the processing.
// - Exceptions. A process that throws while being resumed propagates the exception out of the
//   kernel's step()/run()/run_until(), like a callback. The event still counts as processed;
//   the processes that were waiting on it behind the one that threw resume in a new queue
//   entry at the same time, so the caller may catch and go on.
// - Lifetime. An event must be destroyed before its Simulation (declare it after); a process's
//   finished() event is the exception (process.hpp). Destroying
//   a triggered, unprocessed event cancels its processing; processes still waiting on a
//   destroyed event are never resumed (the Simulation destroys them when it is destroyed).
//   Events are neither copyable nor movable: waiting processes hold their address.
#pragma once

#include <coroutine>

#include "engine/sim_time.hpp"
#include "engine/simulation.hpp"
#include "engine/wait_list.hpp"

namespace tcsim::engine {

namespace detail {

class ProcessTable;

// A suspended waiter on an Event: called when the event is processed (already unlinked).
class EventWaiter : public WaitNode {
public:
    virtual void on_event() = 0;

protected:
    ~EventWaiter() = default;
};

} // namespace detail

class Event {
public:
    explicit Event(Simulation& sim) : sim_(&sim) {}
    Event(const Event&) = delete;
    Event& operator=(const Event&) = delete;
    ~Event();

    // Triggers the event: it is processed at now(), after the events already queued for now().
    // Throws std::logic_error if it was already triggered.
    void succeed();

    bool triggered() const { return state_ != State::pending; }
    bool processed() const { return state_ == State::processed; }
    Simulation& simulation() const { return *sim_; }

    // Waits (in a Process) until the event is processed.
    auto operator co_await() noexcept {
        struct Awaiter final : detail::EventWaiter {
            Event* event;
            std::coroutine_handle<> process;
            explicit Awaiter(Event* e) : event(e) {}
            bool await_ready() const noexcept { return event->processed(); }
            void await_suspend(std::coroutine_handle<> h) noexcept {
                process = h;
                event->add_waiter(*this);
            }
            void await_resume() const noexcept {}
            void on_event() override { process.resume(); }
        };
        return Awaiter{this};
    }

    // For engine awaitables (any_of): appends a waiter, woken when the event is processed.
    void add_waiter(detail::EventWaiter& waiter) noexcept { waiters_.push_back(waiter); }

protected:
    // Triggers the event for processing at now() + delay (Timeout's constructor); throws what
    // Simulation::schedule_after throws.
    void trigger_after(Duration delay);

private:
    // A process's finished() event is processed by a queue entry that owns the event's storage
    // (process.cpp), so a ProcessRef may outlive the Simulation.
    friend class detail::ProcessTable;
    enum class State { pending, triggered, processed };
    void process();

    Simulation* sim_;
    EventId queued_{};
    State state_ = State::pending;
    detail::WaitList waiters_;
};

// An event that succeeds itself `delay` after it is made (SimPy's Timeout): made at t, it is
// processed at t + delay. Throws what Simulation::schedule_after throws for a negative delay or
// an overflow (the same exceptions and messages). Destroying it before then cancels it.
class Timeout : public Event {
public:
    Timeout(Simulation& sim, Duration delay);
};

// `co_await timeout(sim, 5ns)` resumes the process 5 ns later (the Timeout is a temporary that
// lives until the co_await completes).
inline Timeout timeout(Simulation& sim, Duration delay) { return Timeout(sim, delay); }

} // namespace tcsim::engine
