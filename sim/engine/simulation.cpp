#include "engine/simulation.hpp"

#include <stdexcept>
#include <string>
#include <utility>

// The queue (engine/event_queue.hpp) keeps the order, the callbacks and the cancellations; this
// file keeps the clock and the rules: no time before now(), no re-entry from a callback, an
// exception leaving the queue as it was but for the event that threw.

namespace tcsim::engine {

// Defaulted moves would leave the source's counters and clock behind while its queue is emptied;
// the source must become a fresh Simulation.
Simulation::Simulation(Simulation&& other) noexcept
    : queue_(std::exchange(other.queue_, detail::EventQueue{})), executed_(std::exchange(other.executed_, 0)),
      now_(std::exchange(other.now_, SimTime{})), running_(std::exchange(other.running_, false)),
      processes_(std::move(other.processes_)) {
    other.processes_.clear();
}

Simulation& Simulation::operator=(Simulation&& other) noexcept {
    if (this != &other) {
        destroy_processes();
        processes_ = std::move(other.processes_);
        other.processes_.clear();
        queue_ = std::exchange(other.queue_, detail::EventQueue{});
        executed_ = std::exchange(other.executed_, 0);
        now_ = std::exchange(other.now_, SimTime{});
        running_ = std::exchange(other.running_, false);
    }
    return *this;
}

Simulation::~Simulation() { destroy_processes(); }

// A suspended process's frame holds timeouts to cancel and waits to withdraw, all of which touch
// the queue, so the frames go before any member does. Last started goes first, as locals would;
// a destructor never starts a process, so the table only shrinks here.
void Simulation::destroy_processes() noexcept {
    while (!processes_.empty()) {
        const std::coroutine_handle<> frame = processes_.back();
        processes_.pop_back();
        frame.destroy();
    }
}

void Simulation::refuse_time(SimTime when) const {
    throw std::invalid_argument("Simulation::schedule_at: time " + std::to_string(when.time_since_epoch().count()) +
                                " ns is before now() = " + std::to_string(now_.time_since_epoch().count()) + " ns");
}

void Simulation::refuse_empty() { throw std::invalid_argument("Simulation::schedule_at: empty callback"); }

void Simulation::check_delay(Duration delay) const {
    if (delay < Duration::zero()) {
        throw std::invalid_argument("Simulation::schedule_after: negative delay " + std::to_string(delay.count()) +
                                    " ns");
    }
    if (delay > SimTime::max() - now_) {
        throw std::overflow_error("Simulation::schedule_after: now() + delay is past SimTime::max()");
    }
}

EventId Simulation::schedule_at(SimTime when, Callback fn) {
    if (when < now_) refuse_time(when);
    if (!fn) refuse_empty();
    return queue_.push(when.time_since_epoch().count(), std::move(fn));
}

EventId Simulation::schedule_after(Duration delay, Callback fn) {
    check_delay(delay);
    return schedule_at(now_ + delay, std::move(fn));
}

bool Simulation::cancel(EventId id) { return queue_.cancel(id); }

bool Simulation::step() {
    if (running_) throw std::logic_error("Simulation::step called from inside a callback");
    const detail::EventQueue::Entry* next = queue_.front();
    if (next == nullptr) return false;
    run_front(next->time);
    return true;
}

void Simulation::run() {
    if (running_) throw std::logic_error("Simulation::run called from inside a callback");
    for (const detail::EventQueue::Entry* next = queue_.front(); next != nullptr; next = queue_.front()) {
        run_front(next->time);
    }
}

void Simulation::run_until(SimTime limit) {
    if (running_) throw std::logic_error("Simulation::run_until called from inside a callback");
    const std::int64_t limit_ns = limit.time_since_epoch().count();
    // front() is always live, so this compares against an event that will really run.
    for (const detail::EventQueue::Entry* next = queue_.front(); next != nullptr && next->time <= limit_ns;
         next = queue_.front()) {
        run_front(next->time);
    }
    if (limit > now_) now_ = limit;
}

std::optional<SimTime> Simulation::next_event_time() const {
    const detail::EventQueue::Entry* next = queue_.front();
    if (next == nullptr) return std::nullopt;
    return SimTime{Duration{next->time}};
}

void Simulation::reserve(std::size_t events) { queue_.reserve(events); }

// Runs the entry queue_.front() has just returned, of that time.
void Simulation::run_front(std::int64_t time) {
    now_ = SimTime{Duration{time}};
    Callback fn = queue_.take_front();
    ++executed_;

    struct RunningGuard {
        bool& flag;
        explicit RunningGuard(bool& f) : flag(f) { flag = true; }
        ~RunningGuard() { flag = false; }
        RunningGuard(const RunningGuard&) = delete;
        RunningGuard& operator=(const RunningGuard&) = delete;
    } guard(running_);
    fn();
}

} // namespace tcsim::engine
