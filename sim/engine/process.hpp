// Processes: C++20 coroutines that run on a Simulation and wait with co_await.
//
//   Process worker(Simulation& sim, Resource& r) {
//     co_await r.acquire();
//     co_await timeout(sim, 5ns);
//     r.release();
//   }
//   ProcessRef p = start(sim, worker(sim, r));
//
// Semantics follow SimPy's Process (simpy.events.Process): a process is started by the
// environment, runs until it waits for an event, and is itself an event that others can wait
// for, processed when it returns.
//
// Contract
// - Starting. Calling a coroutine that returns Process creates it suspended; nothing runs until
//   start(sim, process) schedules its first resumption at sim.now() on the queue (SimPy's
//   Initialize event), so processes started at the same time begin in the order started.
//   A Process that is never started is destroyed with its handle.
// - Waiting. Inside a process, co_await an Event or Timeout (event.hpp), any_of(...) (any_of.hpp),
//   another process's ProcessRef, or a resource's request (resource.hpp, container.hpp,
//   store.hpp). Every resumption happens inside a queue entry of the Simulation, so the kernel's
//   order (time, then scheduling order) is the only order, and runs are reproducible bit for bit.
// - Finishing. When the body returns, the ProcessRef reports done() at once and its finished()
//   event is triggered (processed at the same time, through the queue); co_await on the
//   ProcessRef waits for that event.
// - Exceptions. An exception that leaves a process body propagates out of the kernel's
//   step()/run()/run_until() that resumed it, as a callback's does; the process is then over
//   but not done(), and processes waiting for it are never resumed.
// - Ownership. The Simulation owns the coroutines of started processes: a finished process
//   frees its frame at once (one whose body threw keeps it until the Simulation goes), and
//   destroying the Simulation destroys every process still
//   suspended (each frame's destructors run: pending timeouts are cancelled, waits withdrawn),
//   so nothing leaks. Events and resources a process waits on must therefore be destroyed
//   before the Simulation or after it, never while one of its processes still uses them from a
//   resumption. Do not move a Simulation that has started processes. A ProcessRef may outlive
//   the Simulation (done() stays readable; do not wait on it then).
// - Arguments. A coroutine keeps its parameters by value in its frame; references (the
//   Simulation, resources) must outlive it. A lambda coroutine's captures live in the lambda,
//   not the frame: give it parameters instead.
#pragma once

#include <coroutine>
#include <cstddef>
#include <memory>

#include "engine/event.hpp"
#include "engine/simulation.hpp"

namespace tcsim::engine {

class ProcessRef;

namespace detail {

// What outlives a process's frame: whether it finished, and the event that says so.
struct ProcessState {
    explicit ProcessState(Simulation& sim) : finished(sim) {}
    Event finished;
    bool done = false;
};

class ProcessTable;

} // namespace detail

class [[nodiscard]] Process {
public:
    struct promise_type {
        Simulation* sim = nullptr;
        std::size_t table_index = 0;
        std::shared_ptr<detail::ProcessState> state;

        Process get_return_object() noexcept {
            return Process{std::coroutine_handle<promise_type>::from_promise(*this)};
        }
        std::suspend_always initial_suspend() noexcept { return {}; }
        // Leaves the Simulation's table; the frame is then freed (suspend_never).
        std::suspend_never final_suspend() noexcept;
        // Marks done and triggers finished() (before the body's locals are destroyed; nothing can
        // observe the difference, since waiters resume through the queue).
        void return_void();
        [[noreturn]] void unhandled_exception() { throw; }
    };

    Process(Process&& other) noexcept : frame_(other.frame_) { other.frame_ = {}; }
    Process& operator=(Process&&) = delete;
    Process(const Process&) = delete;
    Process& operator=(const Process&) = delete;
    ~Process() {
        if (frame_) frame_.destroy();
    }

private:
    friend ProcessRef start(Simulation& sim, Process process);
    explicit Process(std::coroutine_handle<promise_type> frame) : frame_(frame) {}
    std::coroutine_handle<promise_type> frame_;
};

// A shared, non-owning handle to a started process. Copyable; keeps finished() alive.
class ProcessRef {
public:
    ProcessRef() = default;

    // The body has returned.
    bool done() const { return state_ && state_->done; }
    // Processed at the time the body returned, through the queue (usable in any_of).
    Event& finished() const { return state_->finished; }
    // Waits (in another process) until finished() is processed.
    auto operator co_await() const noexcept { return state_->finished.operator co_await(); }

private:
    friend ProcessRef start(Simulation& sim, Process process);
    explicit ProcessRef(std::shared_ptr<detail::ProcessState> state) : state_(std::move(state)) {}
    std::shared_ptr<detail::ProcessState> state_;
};

// Hands the process to `sim`, which first resumes it at sim.now() through the queue.
// Throws std::invalid_argument for a Process already started (moved from).
ProcessRef start(Simulation& sim, Process process);

} // namespace tcsim::engine
