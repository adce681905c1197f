// The discrete-event kernel: simulated time and a queue of callbacks to run at given times.
//
// Contract
// - Order. Events run in order of (time, scheduling order): of two events at the same time,
//   the one scheduled first runs first. Nothing else (addresses, hashing, wall clock) enters the
//   order, so the same schedule gives the same execution, bit for bit, on every run.
// - Time. now() starts at SimTime{} and only moves forward. While a callback runs, now() is its
//   event's time. schedule_at() refuses a time before now(); an event scheduled at now() from a
//   callback runs after every event already queued for now().
// - Callbacks may schedule and cancel events, including at the current time. They must not
//   call step(), run() or run_until() of the same Simulation (std::logic_error).
// - Cancellation. cancel(id) returns true only if the event was pending; it then never runs and
//   its callback (with everything it captured) is destroyed at once. Cancelling an event that
//   has run, is running or was already cancelled returns false and changes nothing, as does
//   EventId{} and any id naming storage this Simulation never allocated. An EventId never
//   matches a later event of the Simulation that issued it, even one that reuses the storage
//   of a cancelled one. Ids are not tagged with their Simulation: an id from another
//   Simulation (or from this one before it was moved from) may name one of its pending events,
//   so never pass one.
// - Exceptions. A callback's exception propagates out of step()/run()/run_until(); that event
//   has been removed and counts as executed, now() is its time, and the rest of the queue is
//   intact, so the caller may go on.
// - Processes. The Simulation owns the coroutine of every process started on it
//   (engine/process.hpp) that has not finished, and its destructor destroys them first, while
//   the queue they may cancel from is intact: destroying a Simulation with suspended processes
//   leaks nothing.
// - State. Everything lives in the Simulation object; there are no globals, and any number of
//   Simulations may coexist (one thread each: a Simulation is not synchronised).
// - Cost. schedule and cancel are O(1) amortised, step O(log T) amortised in the span T of the
//   pending times (engine/event_queue.hpp), and a callback of up to 40 bytes (five pointers, a
//   std::function and a pointer; engine/callback.hpp) is scheduled without allocating once the
//   queue has grown to its working size.
#pragma once

#include <compare>
#include <concepts>
#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <type_traits>
#include <utility>
#include <vector>

#include "engine/callback.hpp"
#include "engine/event_queue.hpp"
#include "engine/sim_time.hpp"

namespace tcsim::engine {

namespace detail {
class ProcessTable;
}

// What the template schedule_at/schedule_after take: a callable a Callback can be made of,
// other than a Callback itself or nullptr (those take the Callback overloads).
template <class F>
concept SchedulableCallable = !std::same_as<std::remove_cvref_t<F>, Callback> &&
                              !std::same_as<std::remove_cvref_t<F>, std::nullptr_t> &&
                              std::constructible_from<Callback, F>;

class Simulation {
public:
    using Callback = engine::Callback;

    Simulation() = default;
    // Not copyable: callbacks usually capture a reference to their Simulation, and a copy would
    // run them against the original. Movable only while no callback or process refers to it by
    // address and none is running; the moved-from Simulation is left empty at time zero, ready for
    // reuse.
    Simulation(const Simulation&) = delete;
    Simulation& operator=(const Simulation&) = delete;
    Simulation(Simulation&& other) noexcept;
    Simulation& operator=(Simulation&& other) noexcept;
    ~Simulation();

    SimTime now() const { return now_; }

    // Schedules fn to run at `when`. Throws std::invalid_argument if when < now() or fn is empty.
    EventId schedule_at(SimTime when, Callback fn);
    // Schedules fn to run at now() + delay. Throws std::invalid_argument if delay < 0 or fn is
    // empty, std::overflow_error if now() + delay is past SimTime::max().
    EventId schedule_after(Duration delay, Callback fn);
    // The same for any other callable (a lambda, a std::function): the same checks and effects,
    // but a callable stored in place is built straight where the queue keeps it, rather than in
    // a Callback moved there.
    template <class F>
    requires SchedulableCallable<F>
    EventId schedule_at(SimTime when, F&& fn) {
        if (when < now_) refuse_time(when);
        if constexpr (requires { fn == nullptr; }) {
            if (fn == nullptr) refuse_empty();
        }
        return queue_.push(when.time_since_epoch().count(), std::forward<F>(fn));
    }
    template <class F>
    requires SchedulableCallable<F>
    EventId schedule_after(Duration delay, F&& fn) {
        check_delay(delay);
        return schedule_at(now_ + delay, std::forward<F>(fn));
    }

    // True if the event was pending; it will never run. False for events that have run, are
    // running, were cancelled, and for EventId{} (see the contract for foreign ids).
    bool cancel(EventId id);

    // Runs the next event: sets now() to its time, then calls it. False if none is pending.
    bool step();
    // Runs events until none remain.
    void run();
    // Runs every event with time <= limit (including those that callbacks schedule up to limit),
    // then sets now() = limit if limit > now(). A limit before now() runs nothing.
    void run_until(SimTime limit);

    // Time of the next event to run, if any is pending.
    std::optional<SimTime> next_event_time() const;
    // Live (not cancelled) events.
    std::size_t pending() const { return queue_.pending(); }
    // Events run so far (including one whose callback threw).
    std::uint64_t executed() const { return executed_; }
    // Entries in the internal queue: pending() plus cancelled entries not yet reclaimed. A
    // diagnostic (tests use it to check that cancellation keeps the queue bounded): it stays
    // below max(2 * pending() + 1, pending() + 64) after every cancel.
    std::size_t queued_entries() const { return queue_.entries(); }

    // Makes room for `events` pending events' callbacks, so that scheduling up to that many does
    // not grow the callback tables (the queue's buckets still grow to their working size).
    void reserve(std::size_t events);

private:
    friend class detail::ProcessTable;
    void destroy_processes() noexcept;
    void run_front(std::int64_t time);
    [[noreturn]] void refuse_time(SimTime when) const;
    [[noreturn]] static void refuse_empty();
    void check_delay(Duration delay) const; // throws as schedule_after says

    // Mutable: finding the next live event (next_event_time) may drop cancelled entries and
    // move entries between the queue's buckets, which changes no observable state.
    mutable detail::EventQueue queue_;
    std::uint64_t executed_ = 0;
    SimTime now_{};
    bool running_ = false;
    // Started, unfinished processes (engine/process.hpp keeps each one's index in its promise).
    std::vector<std::coroutine_handle<>> processes_;
};

} // namespace tcsim::engine
