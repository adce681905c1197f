// A request that a resource (Resource, Container, Store) grants later: the awaiter of a process
// that waits in a resource's queue.
//
// Contract
// - Queued, then granted, then resumed. The resource queues the request (a WaitNode in its
//   FIFO), and when it can serve it does its bookkeeping at once (takes the unit, the amount,
//   the item) and calls grant(), which schedules the process's resumption at now() on the
//   queue, like an event's processing (SimPy triggers the request event; its process resumes
//   when the event is processed). Until then the request sits in the resource's `granted` list.
// - Withdrawn. A request destroyed while queued leaves the queue. One destroyed after grant()
//   but before its process resumed (its process destroyed with the Simulation) cancels the
//   resumption and reports true from withdraw(), so the resource can take back what it gave.
// - Internal to the engine (namespace detail).
#pragma once

#include <coroutine>

#include "engine/simulation.hpp"
#include "engine/wait_list.hpp"

namespace tcsim::engine::detail {

class Grant : public WaitNode {
public:
    std::coroutine_handle<> process{};

    bool granted() const { return sim_ != nullptr; }

    // Schedules the resumption at sim.now(), then moves the request to `granted` (its queue may
    // be another list). If scheduling throws, the request stays where it was.
    void grant(Simulation& sim, WaitList& granted) {
        wake_ = sim.schedule_at(sim.now(), [h = process] { h.resume(); });
        sim_ = &sim;
        granted.push_back(*this);
    }

    // Leaves whatever list holds it. True if it had been granted and its process had not resumed
    // yet (the resumption is then cancelled): the caller takes back what was granted.
    bool withdraw() noexcept {
        const bool was_linked = linked();
        unlink();
        return was_linked && sim_ != nullptr && sim_->cancel(wake_);
    }

protected:
    Grant() = default;
    ~Grant() = default;

private:
    Simulation* sim_ = nullptr;
    EventId wake_{};
};

} // namespace tcsim::engine::detail
