#include "engine/simulation.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>

// Why the kernel looks like this
//
// The queue is a heap of small plain entries (time, sequence, slot, generation) and a separate
// slot table holds the callbacks. Sifting then moves 24-byte copies instead of std::function
// objects, and the heap array stays dense in cache. The sequence number makes the order total,
// so equal-time events run in scheduling order and the run is reproducible bit for bit.
//
// The heap has four children per node instead of two: half as many levels, and the four
// children sit in adjacent memory, so a pop from a queue of a million events touches about ten
// cache-line pairs instead of twenty scattered lines. With a million pending events that, not
// the comparisons, is what a pop costs.
//
// Cancellation is lazy: cancel() frees the slot and bumps its generation, and the heap entry
// stays where it is, recognised as dead later by its stale generation. That makes cancel O(1)
// without a position index that every sift would have to maintain. Two rules keep lazy deletion
// honest:
// - the top of the heap is always live (dead tops are dropped as soon as they surface), so
//   next_event_time() is a const O(1) peek and run_until() compares against a real event;
// - when dead entries outnumber live ones the heap is rebuilt without them (O(n), paid for by
//   the n/2 cancels before it), so a model that keeps rescheduling a far-future event cannot
//   grow the heap without bound.
// Rebuilding changes positions in the array but not the (time, sequence) order, so it cannot
// change what runs when.
//
// An EventId packs (generation << 32 | slot). Generations start at 1 and only grow, so an id is
// never 0 and never matches a later occupant of its slot. A slot whose 32-bit generation would
// wrap is retired instead of reused: it costs one slot per four billion reuses and removes the
// last way a stale id could cancel somebody else's event.

namespace tcsim::engine {
namespace {

#ifndef TCSIM_ARITY
#define TCSIM_ARITY 4
#endif
constexpr std::size_t kArity = TCSIM_ARITY;
// Below this many dead entries, compaction is not worth a pass over the heap.
constexpr std::size_t kMinDeadToCompact = 64;

std::size_t parent(std::size_t i) { return (i - 1) / kArity; }
std::size_t first_child(std::size_t i) { return kArity * i + 1; }

// A read hint only: the slot of the next event is usually far from anything touched recently,
// and the callback about to run gives the memory system time to bring it in.
void prefetch(const void* p) {
#if defined(__GNUC__)
    __builtin_prefetch(p);
#else
    (void)p;
#endif
}

} // namespace

// Defaulted moves would leave the counters (dead_entries_ above all) in the source while its
// vectors are emptied, so pending() would underflow; the source must become a fresh Simulation.
Simulation::Simulation(Simulation&& other) noexcept
    : heap_(std::move(other.heap_)), slots_(std::move(other.slots_)), free_slots_(std::move(other.free_slots_)),
      dead_entries_(std::exchange(other.dead_entries_, 0)), next_sequence_(std::exchange(other.next_sequence_, 0)),
      executed_(std::exchange(other.executed_, 0)), now_(std::exchange(other.now_, SimTime{})),
      running_(std::exchange(other.running_, false)), processes_(std::move(other.processes_)) {
    other.processes_.clear();
    other.heap_.clear();
    other.slots_.clear();
    other.free_slots_.clear();
}

Simulation& Simulation::operator=(Simulation&& other) noexcept {
    if (this != &other) {
        destroy_processes();
        processes_ = std::move(other.processes_);
        other.processes_.clear();
        heap_ = std::move(other.heap_);
        slots_ = std::move(other.slots_);
        free_slots_ = std::move(other.free_slots_);
        dead_entries_ = std::exchange(other.dead_entries_, 0);
        next_sequence_ = std::exchange(other.next_sequence_, 0);
        executed_ = std::exchange(other.executed_, 0);
        now_ = std::exchange(other.now_, SimTime{});
        running_ = std::exchange(other.running_, false);
        other.heap_.clear();
        other.slots_.clear();
        other.free_slots_.clear();
    }
    return *this;
}

Simulation::~Simulation() { destroy_processes(); }

// A suspended process's frame holds timeouts to cancel and waits to withdraw, all of which touch
// the queue or the slots, so the frames go before any member does. Last started goes first, as
// locals would; a destructor never starts a process, so the table only shrinks here.
void Simulation::destroy_processes() noexcept {
    while (!processes_.empty()) {
        const std::coroutine_handle<> frame = processes_.back();
        processes_.pop_back();
        frame.destroy();
    }
}

EventId Simulation::schedule_at(SimTime when, Callback fn) {
    if (when < now_) {
        throw std::invalid_argument("Simulation::schedule_at: time " + std::to_string(when.time_since_epoch().count()) +
                                    " ns is before now() = " + std::to_string(now_.time_since_epoch().count()) + " ns");
    }
    if (!fn) throw std::invalid_argument("Simulation::schedule_at: empty callback");
    // Grow the heap before taking a slot, so that a failed allocation leaves no orphaned slot.
    if (heap_.size() == heap_.capacity()) heap_.reserve(std::max<std::size_t>(64, 2 * heap_.size()));
    const std::uint32_t slot = acquire_slot(std::move(fn));
    const std::uint32_t generation = slots_[slot].generation;
    heap_.push_back({}); // cannot throw: capacity reserved above
    push(Entry{when.time_since_epoch().count(), next_sequence_++, slot, generation});
    return EventId{(std::uint64_t{generation} << 32) | slot};
}

EventId Simulation::schedule_after(Duration delay, Callback fn) {
    if (delay < Duration::zero()) {
        throw std::invalid_argument("Simulation::schedule_after: negative delay " + std::to_string(delay.count()) +
                                    " ns");
    }
    if (delay > SimTime::max() - now_) {
        throw std::overflow_error("Simulation::schedule_after: now() + delay is past SimTime::max()");
    }
    return schedule_at(now_ + delay, std::move(fn));
}

bool Simulation::cancel(EventId id) {
    const auto slot = static_cast<std::uint32_t>(id.value & 0xffff'ffffU);
    const auto generation = static_cast<std::uint32_t>(id.value >> 32);
    if (slot >= slots_.size()) return false;
    Slot& s = slots_[slot];
    // A free slot has an empty callback, which covers ids of events that ran or were cancelled
    // and also ids made up by hand that happen to name a free slot's next generation.
    if (s.generation != generation || !s.fn) return false;
    // Destroy the callback only after the bookkeeping is consistent: its captures' destructors
    // are user code and may call back into this Simulation.
    Callback doomed = std::move(s.fn);
    release_slot(slot);
    ++dead_entries_;
    drop_dead_top();
    if (dead_entries_ >= kMinDeadToCompact && 2 * dead_entries_ > heap_.size()) compact();
    return true;
}

bool Simulation::step() {
    if (running_) throw std::logic_error("Simulation::step called from inside a callback");
    if (heap_.empty()) return false;
    run_top();
    return true;
}

void Simulation::run() {
    if (running_) throw std::logic_error("Simulation::run called from inside a callback");
    while (!heap_.empty()) run_top();
}

void Simulation::run_until(SimTime limit) {
    if (running_) throw std::logic_error("Simulation::run_until called from inside a callback");
    const std::int64_t limit_ns = limit.time_since_epoch().count();
    // The top is always live, so this compares against an event that will really run.
    while (!heap_.empty() && heap_.front().time <= limit_ns) run_top();
    if (limit > now_) now_ = limit;
}

std::optional<SimTime> Simulation::next_event_time() const {
    if (heap_.empty()) return std::nullopt;
    return SimTime{Duration{heap_.front().time}};
}

void Simulation::reserve(std::size_t events) {
    heap_.reserve(events);
    slots_.reserve(events);
    free_slots_.reserve(events);
}

std::uint32_t Simulation::acquire_slot(Callback&& fn) {
    if (!free_slots_.empty()) {
        const std::uint32_t slot = free_slots_.back();
        free_slots_.pop_back();
        slots_[slot].fn = std::move(fn);
        return slot;
    }
    if (slots_.size() >= std::numeric_limits<std::uint32_t>::max()) {
        throw std::length_error("Simulation: more than 2^32 - 1 pending events");
    }
    slots_.emplace_back();
    // Keep room for every slot on the free list, so that releasing one (in cancel, or before a
    // callback runs) never allocates and therefore never throws.
    if (free_slots_.capacity() < slots_.capacity()) free_slots_.reserve(slots_.capacity());
    const auto slot = static_cast<std::uint32_t>(slots_.size() - 1);
    slots_[slot].fn = std::move(fn);
    return slot;
}

void Simulation::release_slot(std::uint32_t slot) {
    Slot& s = slots_[slot];
    s.fn = nullptr;
    if (++s.generation != 0) free_slots_.push_back(slot);
    // else: retired, see the note at the top of this file.
}

// Sifts the last element (a placeholder already pushed by the caller) up into place, moving
// parents down into the hole instead of swapping.
void Simulation::push(Entry e) {
    Entry* h = heap_.data();
    std::size_t i = heap_.size() - 1;
    while (i > 0) {
        const std::size_t p = parent(i);
        if (!before(e, h[p])) break;
        h[i] = h[p];
        i = p;
    }
    h[i] = e;
}

void Simulation::pop_top() {
    const Entry last = heap_.back();
    heap_.pop_back();
    const std::size_t n = heap_.size();
    if (n == 0) return;
    sift_down(0, last);
}

void Simulation::sift_down(std::size_t i, Entry e) {
    Entry* h = heap_.data();
    const std::size_t n = heap_.size();
    for (;;) {
        const std::size_t c = first_child(i);
        if (c >= n) break;
        const std::size_t end = std::min(c + kArity, n);
        std::size_t best = c;
        for (std::size_t k = c + 1; k < end; ++k) {
            if (before(h[k], h[best])) best = k;
        }
        if (!before(h[best], e)) break;
        h[i] = h[best];
        i = best;
    }
    h[i] = e;
}

void Simulation::drop_dead_top() {
    while (!heap_.empty() && !live(heap_.front())) {
        pop_top();
        --dead_entries_;
    }
}

void Simulation::compact() {
    std::erase_if(heap_, [this](const Entry& e) { return !live(e); });
    dead_entries_ = 0;
    if (heap_.size() < 2) return;
    // Floyd's bottom-up heap construction: O(n).
    for (std::size_t i = parent(heap_.size() - 1) + 1; i-- > 0;) sift_down(i, heap_[i]);
}

void Simulation::run_top() {
    const Entry e = heap_.front();
    pop_top();
    drop_dead_top();
    if (!heap_.empty()) prefetch(&slots_[heap_.front().slot]);

    // Take the callback out and free its slot before calling it: the callback may schedule
    // (growing slots_ under its own feet) and cancel (its own id must then report false, since
    // the event is no longer pending).
    Callback fn = std::move(slots_[e.slot].fn);
    release_slot(e.slot);
    now_ = SimTime{Duration{e.time}};
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
