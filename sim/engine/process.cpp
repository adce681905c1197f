#include "engine/process.hpp"

#include <stdexcept>
#include <utility>

// Why the Simulation owns the frames: a process usually waits on something only the Simulation
// reaches (a timeout in its queue) or on nothing anyone reaches any more (an event nobody will
// succeed), so no user-side handle could free it at the right time. The Simulation keeps a
// plain table of started, unfinished frames; a finishing process removes itself (swap with the
// last, O(1)), and the Simulation destroys what is left when it goes.
//
// Why the frame is freed at final_suspend (suspend_never) and finished() lives in a shared
// ProcessState: ProcessRefs may outlive the frame by any amount, and a long simulation starts
// many short processes.

namespace tcsim::engine {
namespace detail {

class ProcessTable {
public:
    using Handle = std::coroutine_handle<Process::promise_type>;

    static void add(Simulation& sim, Handle frame) {
        frame.promise().table_index = sim.processes_.size();
        sim.processes_.push_back(frame);
    }

    static void remove(Simulation& sim, Process::promise_type& promise) noexcept {
        auto& table = sim.processes_;
        const std::size_t i = promise.table_index;
        if (i + 1 != table.size()) {
            table[i] = table.back();
            Handle::from_address(table[i].address()).promise().table_index = i;
        }
        table.pop_back();
    }

    // Triggers finished() with a queue entry that shares the state: the state then lives until it
    // is processed or the Simulation is gone, and the event never holds an entry to cancel, so a
    // ProcessRef may outlive its Simulation.
    static void finish(Simulation& sim, const std::shared_ptr<ProcessState>& state) {
        sim.schedule_at(sim.now(), [state] { state->finished.process(); });
        state->finished.state_ = Event::State::triggered;
        state->done = true;
    }
};

} // namespace detail

std::suspend_never Process::promise_type::final_suspend() noexcept {
    detail::ProcessTable::remove(*sim, *this);
    return {};
}

void Process::promise_type::return_void() { detail::ProcessTable::finish(*sim, state); }

ProcessRef start(Simulation& sim, Process process) {
    if (!process.frame_) throw std::invalid_argument("start: the process was already started");
    auto& promise = process.frame_.promise();
    promise.sim = &sim;
    promise.state = std::make_shared<detail::ProcessState>(sim);
    ProcessRef ref(promise.state);
    const auto frame = process.frame_;
    // If either step throws, the Process still owns the frame and destroys it.
    detail::ProcessTable::add(sim, frame);
    try {
        sim.schedule_at(sim.now(), [frame] { frame.resume(); });
    } catch (...) {
        detail::ProcessTable::remove(sim, promise);
        throw;
    }
    process.frame_ = {}; // the Simulation owns it now
    return ref;
}

} // namespace tcsim::engine
