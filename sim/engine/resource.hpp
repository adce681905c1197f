// A resource of N identical units that processes acquire and release, first come first served.
//
// Semantics follow SimPy's Resource (simpy.resources.resource.Resource): "A resource has a
// limited number of slots that can be requested by a process. If all slots are taken, requesters
// are put into a queue. If a process releases a slot, the next process is popped from the queue
// and gets one slot."
//
// Contract
// - `co_await r.acquire()` takes a unit. If one is free and nobody is queued, the process does
//   not suspend (SimPy would resume it through the queue at the same time; nothing else
//   differs). Otherwise it joins the FIFO queue.
// - `r.release()` gives a unit back; if processes are queued, the unit goes straight to the
//   first, which resumes at now() through the kernel's queue (after the events already queued
//   for now()). A process that releases and acquires again at once therefore queues behind the
//   waiters. release() with no unit in use throws std::logic_error.
// - Units are counted, not owned: any process (or callback) may release.
// - A waiting process destroyed (with its Simulation) leaves the queue; one destroyed after its
//   unit was granted but before it resumed gives the unit back.
// - Lifetime: destroy a Resource before its Simulation or after it (process.hpp); destroying
//   it detaches the waiters, which are never resumed.
#pragma once

#include <coroutine>
#include <cstddef>

#include "engine/grant.hpp"
#include "engine/simulation.hpp"
#include "engine/wait_list.hpp"

namespace tcsim::engine {

class Resource {
public:
    // Throws std::invalid_argument if capacity is 0.
    Resource(Simulation& sim, std::size_t capacity);
    Resource(const Resource&) = delete;
    Resource& operator=(const Resource&) = delete;

    class [[nodiscard]] Acquire : detail::Grant {
    public:
        explicit Acquire(Resource& r) : resource_(&r) {}
        Acquire(const Acquire&) = delete;
        Acquire& operator=(const Acquire&) = delete;
        ~Acquire();
        bool await_ready();
        void await_suspend(std::coroutine_handle<> h);
        void await_resume() const noexcept {}

    private:
        friend class Resource;
        Resource* resource_;
    };

    Acquire acquire() { return Acquire(*this); }
    void release();

    std::size_t capacity() const { return capacity_; }
    std::size_t in_use() const { return in_use_; }
    std::size_t queued() const;

private:
    Simulation* sim_;
    std::size_t capacity_;
    std::size_t in_use_ = 0;
    detail::WaitList queue_;
    detail::WaitList granted_;
};

} // namespace tcsim::engine
