// The kernel's queue: callbacks keyed by (time, scheduling order), with cancellation by id.
// Simulation (simulation.hpp) is its only user and states the guarantees users rely on; this is
// the data structure under them.
//
// Contract
// - Order. front() is the entry of least (time, sequence) among those pushed and neither taken
//   nor cancelled; sequence is the push order. Pushed times must never be below the time of an
//   entry already taken (the clock only moves forward); below the time of the current front is
//   fine.
// - Ids. push() returns an EventId packing (generation << 32 | slot); cancel(id) is true only
//   for an entry still queued, destroys its callback at once (after the bookkeeping, so the
//   callback's destructor may use the queue) and never matches a later entry reusing the slot.
// - Cost. push, cancel and take_front are O(1) amortised; front() is amortised O(log T) in the
//   span T of the pending times (a radix heap: each entry moves down at most 63 buckets in its
//   life, by sequential passes). Callables of up to Callback::kInlineBytes are stored without
//   allocating once the tables have grown to their working size. Cancelled entries stay queued
//   until they surface or outnumber the live ones (then they are all removed, O(n)), so
//   entries() < max(2 pending() + 1, pending() + 64) after every cancel.
// - Exceptions. push() leaves the queue unchanged if it throws (bad_alloc, or length_error past
//   2^32 - 1 slots); the other operations do not throw but for bad_alloc while front() moves
//   entries between buckets, which leaves the queue unusable (its memory can grow to about
//   twice the pending entries).
#pragma once

#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "engine/callback.hpp"

namespace tcsim::engine {

// Names one scheduled event, for cancel(). Value 0 is never issued (EventId{} is "no event").
struct EventId {
    std::uint64_t value = 0;
    auto operator<=>(const EventId&) const = default;
};

namespace detail {

class EventQueue {
public:
    // One queued event: plain data, 16 bytes, so the passes between buckets stream.
    struct Entry {
        std::int64_t time;        // nanoseconds since SimTime{}
        std::uint32_t slot;       // where the callback and the sequence number live
        std::uint32_t generation; // the slot's generation when pushed; stale if it differs now
    };

    EventQueue() = default;
    EventQueue(EventQueue&&) noexcept = default;
    EventQueue& operator=(EventQueue&&) noexcept = default;
    EventQueue(const EventQueue&) = delete;
    EventQueue& operator=(const EventQueue&) = delete;
    ~EventQueue() = default;

    // Queues fn at `time` (>= 0), after every entry already queued for that time.
    EventId push(std::int64_t time, Callback&& fn);
    // True if the entry was queued; it is then gone and its callback destroyed.
    bool cancel(EventId id);
    // The next live entry, or nullptr if none; valid until the next call of any other member.
    const Entry* front();
    // Removes front()'s entry (front() must have returned it, with no call in between) and
    // returns its callback; its id no longer cancels anything.
    Callback take_front();

    std::size_t pending() const { return size_ - dead_; }
    std::size_t entries() const { return size_; }
    void reserve(std::size_t events);

private:
    static constexpr int kBuckets = 64;

    // A slot holds one queued callback; 64 bytes, one cache line, so a refill can prefetch it.
    struct alignas(64) Slot {
        Callback fn;                  // empty while the slot is free
        std::uint64_t sequence = 0;   // push order: the tie-break among equal times
        std::uint32_t generation = 1; // bumped each time the slot is released; never 0
    };

    bool live(const Entry& e) const { return slots_[e.slot].generation == e.generation; }
    bool later(const Entry& a, const Entry& b) const; // (time, sequence) order, for early_'s heap
    int bucket_of(std::int64_t time) const;
    std::uint32_t acquire_slot(Callback&& fn);
    void release_slot(std::uint32_t slot) noexcept;
    void refill();
    void compact();

    // Radix heap on time (Ahuja, Mehlhorn, Orlin & Tarjan 1990): bucket 0 holds the entries at
    // time last_, in sequence order from head_ on; bucket j >= 1 those whose time differs from
    // last_ first in bit j - 1. occupied_ has bit j set when bucket j (j >= 1) is not empty.
    std::array<std::vector<Entry>, kBuckets> buckets_;
    std::size_t head_ = 0;
    std::uint64_t occupied_ = 0;
    std::uint64_t fetched_ = 0; // bit j: every entry of bucket j had its slot prefetched
    std::int64_t last_ = 0;
    // Entries pushed below last_ (after front() looked ahead of the clock): a binary heap on
    // (time, sequence), all of them before every bucket's.
    std::vector<Entry> early_;
    std::vector<Slot> slots_;
    std::vector<std::uint32_t> free_slots_;
    std::size_t size_ = 0; // queued entries, cancelled ones included
    std::size_t dead_ = 0; // cancelled entries still queued
    std::uint64_t next_sequence_ = 0;
};

} // namespace detail
} // namespace tcsim::engine
