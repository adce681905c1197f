#include "engine/event.hpp"

#include <memory>
#include <stdexcept>

// Why events resume their waiters inside the queue entry that processes them, and not one
// entry each: a process that waits on a timeout then costs one kernel event, as a callback
// would, and the order among waiters is the order in which they began to wait, with nothing
// else interleaved. That the processing itself is a queue entry (also for succeed(), which
// could resume the waiters on the spot) is what keeps the kernel's order the only order: a
// callback that succeeds an event never runs a process in the middle of itself.

namespace tcsim::engine {
namespace {

// Resumes the waiters of `ready` in order. If one throws, the rest move to a new queue entry
// at the same time, which resumes them when the caller goes on.
void wake_all(Simulation& sim, detail::WaitList& ready) {
    while (!ready.empty()) {
        auto& waiter = static_cast<detail::EventWaiter&>(ready.front());
        waiter.unlink();
        try {
            waiter.on_event();
        } catch (...) {
            if (!ready.empty()) {
                auto rest = std::make_shared<detail::WaitList>();
                rest->splice(ready);
                Simulation* s = &sim;
                sim.schedule_at(sim.now(), [s, rest] { wake_all(*s, *rest); });
            }
            throw;
        }
    }
}

} // namespace

Event::~Event() {
    if (queued_ != EventId{}) sim_->cancel(queued_);
}

void Event::succeed() {
    if (state_ != State::pending) throw std::logic_error("Event::succeed: the event was already triggered");
    trigger_after(Duration::zero());
}

void Event::trigger_after(Duration delay) {
    queued_ = sim_->schedule_after(delay, [this] { process(); });
    state_ = State::triggered;
}

void Event::process() {
    queued_ = EventId{};
    state_ = State::processed;
    // A resumed process may destroy this event (a Timeout in its frame, say), so the waiters move
    // to a list of our own first and nothing below touches *this.
    detail::WaitList ready;
    ready.splice(waiters_);
    wake_all(*sim_, ready);
}

Timeout::Timeout(Simulation& sim, Duration delay) : Event(sim) { trigger_after(delay); }

} // namespace tcsim::engine
