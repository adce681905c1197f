// A container of a continuous amount (fuel, bytes of a buffer, tokens) with a capacity, that
// processes put into and get from, waiting while it is too full or too empty.
//
// Semantics follow SimPy's Container (simpy.resources.container.Container): "Resource
// containing up to capacity of matter which may either be continuous (like water) or discrete
// (like apples). It supports requests to put or get matter into/from the container." Puts wait
// while `capacity - level < amount`, gets while `level < amount`; each kind waits in its own
// FIFO queue, and the head of a queue blocks those behind it (SimPy's _trigger_put/_trigger_get
// stop at the first request that cannot proceed).
//
// Contract
// - `co_await c.put(x)` / `co_await c.get(x)`: x must be > 0 and <= capacity
//   (std::invalid_argument; a larger amount could never be served and would block its queue
//   forever). A request that can be served at once, with nobody queued ahead, does not suspend.
// - Every change of level serves the waiting gets, then the waiting puts, each from its head
//   while the head fits, until neither moves; each served request's process resumes at now()
//   through the kernel's queue, in the order served.
// - A waiting process destroyed (with its Simulation) leaves its queue; a get destroyed after
//   it was served but before its process resumed puts its amount back.
// - Lifetime as for Resource.
#pragma once

#include <coroutine>
#include <cstddef>

#include "engine/grant.hpp"
#include "engine/simulation.hpp"
#include "engine/wait_list.hpp"

namespace tcsim::engine {

class Container {
public:
    // Throws std::invalid_argument unless 0 < capacity and 0 <= initial level <= capacity.
    Container(Simulation& sim, double capacity, double initial_level = 0.0);
    Container(const Container&) = delete;
    Container& operator=(const Container&) = delete;

    class [[nodiscard]] Request : detail::Grant {
    public:
        Request(const Request&) = delete;
        Request& operator=(const Request&) = delete;
        ~Request();
        bool await_ready();
        void await_suspend(std::coroutine_handle<> h);
        void await_resume() const noexcept {}

    private:
        friend class Container;
        enum class Kind { put, get };
        Request(Container& c, Kind kind, double amount) : container_(&c), kind_(kind), amount_(amount) {}
        Container* container_;
        Kind kind_;
        double amount_;
    };

    Request put(double amount);
    Request get(double amount);

    double capacity() const { return capacity_; }
    double level() const { return level_; }

private:
    void serve();

    Simulation* sim_;
    double capacity_;
    double level_;
    detail::WaitList puts_;
    detail::WaitList gets_;
    detail::WaitList granted_;
};

} // namespace tcsim::engine
