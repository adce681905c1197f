#include "engine/event_queue.hpp"

#include <algorithm>
#include <bit>
#include <limits>
#include <stdexcept>
#include <utility>

// Why a radix heap, and why the slots are prefetched
//
// With a million events pending, a binary or 4-ary heap touches about ten array positions per
// pop, the lower ones far apart; on a machine where a cache miss costs 200-400 ns (measured on
// the 2-core build host, benchmarks/engine_bench.cpp) that, not the comparisons, is the cost of an
// event. A radix heap only ever appends to the end of a bucket and walks a bucket from start to
// end, so every access is sequential and the hardware prefetcher hides the latency. It needs
// monotone keys, which a simulation's times are (nothing is scheduled in the past).
//
// Ties: the heap orders by time alone; entries of one time reach bucket 0 either by one refill
// (sorted there by sequence, usually one entry) or by a push at the time of bucket 0, which comes
// after everything already queued, so bucket 0 is always in (time, sequence) order.
//
// The callbacks live in a slot table, one cache line each, reused last-freed-first (the slot
// of the event just run is the one its callback's next event takes, still in cache). The slot
// of an event about to run is far from anything touched recently, so a refill, which learns the
// next few events to run, prefetches their slots while the ones before them run.
//
// Cancellation is lazy: cancel() frees the slot and bumps its generation, and the entry stays
// where it is, recognised as dead by its stale generation when it surfaces. When dead entries
// outnumber live ones they are all removed, an O(n) pass paid for by the n/2 cancels before it.
//
// front() may move last_ past the clock (a peek, or run_until stopping short of the next event);
// a push below last_ then goes to early_, a small binary heap drained before the buckets.
//
// An EventId packs (generation << 32 | slot). Generations start at 1 and only grow, so an id is
// never 0 and never matches a later occupant of its slot; a slot whose generation would wrap is
// retired instead of reused.

namespace tcsim::engine::detail {
namespace {

// Below this many dead entries, compaction is not worth a pass over the queue.
constexpr std::size_t kMinDeadToCompact = 64;
// How many of the next events a refill prefetches the slots of.
constexpr std::size_t kLookahead = 16;
// Taken entries at the start of bucket 0 worth erasing (when they are half of it).
constexpr std::size_t kMinHeadToErase = 256;

void prefetch(const void* p) {
#if defined(__GNUC__)
    __builtin_prefetch(p);
#else
    static_cast<void>(p);
#endif
}

} // namespace

int EventQueue::bucket_of(std::int64_t time) const {
    const auto differ = static_cast<std::uint64_t>(time ^ last_);
    return differ == 0 ? 0 : 64 - std::countl_zero(differ); // times are >= 0: at most 63
}

bool EventQueue::later(const Entry& a, const Entry& b) const {
    return a.time > b.time || (a.time == b.time && slots_[a.slot].sequence > slots_[b.slot].sequence);
}

EventId EventQueue::push(std::int64_t time, Callback&& fn) {
    const bool early = time < last_;
    const int bucket = early ? 0 : bucket_of(time);
    std::vector<Entry>& to = early ? early_ : buckets_[static_cast<std::size_t>(bucket)];
    // Room first, so that a failed allocation leaves nothing half done.
    if (to.size() == to.capacity()) to.reserve(std::max<std::size_t>(16, 2 * to.size()));
    const std::uint32_t slot = acquire_slot(std::move(fn));
    Slot& s = slots_[slot];
    s.sequence = next_sequence_++;
    to.push_back(Entry{time, slot, s.generation}); // cannot throw: capacity reserved above
    if (early) {
        std::push_heap(early_.begin(), early_.end(), [this](const Entry& a, const Entry& b) { return later(a, b); });
    } else if (bucket > 0) {
        occupied_ |= std::uint64_t{1} << bucket;
        fetched_ &= ~(std::uint64_t{1} << bucket); // a slot not prefetched joins it
    }
    ++size_;
    return EventId{(std::uint64_t{s.generation} << 32) | slot};
}

bool EventQueue::cancel(EventId id) {
    const auto slot = static_cast<std::uint32_t>(id.value & 0xffff'ffffU);
    const auto generation = static_cast<std::uint32_t>(id.value >> 32);
    if (slot >= slots_.size()) return false;
    Slot& s = slots_[slot];
    // A free slot has an empty callback, which covers ids of events that ran or were cancelled
    // and also ids made up by hand that happen to name a free slot's next generation.
    if (s.generation != generation || !s.fn) return false;
    // Destroy the callback only after the bookkeeping is consistent: its captures' destructors
    // are user code and may call back into the queue.
    Callback doomed = std::move(s.fn);
    release_slot(slot);
    ++dead_;
    if (dead_ >= kMinDeadToCompact && 2 * dead_ > size_) compact();
    return true;
}

const EventQueue::Entry* EventQueue::front() {
    const auto by_later = [this](const Entry& a, const Entry& b) { return later(a, b); };
    for (;;) {
        if (!early_.empty()) {
            if (live(early_.front())) return &early_.front();
            std::pop_heap(early_.begin(), early_.end(), by_later);
            early_.pop_back();
        } else {
            std::vector<Entry>& now = buckets_[0];
            if (head_ == now.size()) {
                now.clear();
                head_ = 0;
                if (occupied_ == 0) return nullptr;
                refill();
            }
            if (live(now[head_])) return &now[head_];
            ++head_;
        }
        --size_;
        --dead_;
    }
}

Callback EventQueue::take_front() {
    Entry e{};
    if (!early_.empty()) {
        e = early_.front();
        std::pop_heap(early_.begin(), early_.end(), [this](const Entry& a, const Entry& b) { return later(a, b); });
        early_.pop_back();
    } else {
        std::vector<Entry>& now = buckets_[0];
        e = now[head_++];
        if (head_ == now.size()) {
            now.clear();
            head_ = 0;
        } else if (head_ >= kMinHeadToErase && 2 * head_ >= now.size()) {
            // Events that keep scheduling at the current time never let bucket 0 run dry: drop
            // the entries already taken (a move of at most as many, so O(1) amortised).
            now.erase(now.begin(), now.begin() + static_cast<std::ptrdiff_t>(head_));
            head_ = 0;
        }
        if (head_ + kLookahead / 2 < now.size()) prefetch(&slots_[now[head_ + kLookahead / 2].slot]);
    }
    --size_;
    // Take the callback out and free its slot before anyone calls it: the callback may push
    // (growing slots_ under its own feet) and cancel (its own id must then report false).
    Callback fn = std::move(slots_[e.slot].fn);
    release_slot(e.slot);
    return fn;
}

void EventQueue::reserve(std::size_t events) {
    slots_.reserve(events);
    free_slots_.reserve(events);
}

std::uint32_t EventQueue::acquire_slot(Callback&& fn) {
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
    if (free_slots_.capacity() < slots_.capacity()) {
        try {
            free_slots_.reserve(slots_.capacity());
        } catch (...) {
            slots_.pop_back();
            throw;
        }
    }
    const auto slot = static_cast<std::uint32_t>(slots_.size() - 1);
    slots_[slot].fn = std::move(fn);
    return slot;
}

void EventQueue::release_slot(std::uint32_t slot) noexcept {
    Slot& s = slots_[slot];
    s.fn.reset();
    if (++s.generation != 0) free_slots_.push_back(slot);
    // else: retired, see the note at the top of this file.
}

// Bucket 0 is used up and early_ empty: the least non-empty bucket holds the next entries. Its
// least time becomes last_, and its entries spread over the buckets below it (all empty), the
// ones at last_ into bucket 0. Entries in higher buckets stay where they are: they differ from
// the old and the new last_ first in the same bit.
void EventQueue::refill() {
    const int from_index = std::countr_zero(occupied_);
    const std::uint64_t from_bit = std::uint64_t{1} << from_index;
    std::vector<Entry>& from = buckets_[static_cast<std::size_t>(from_index)];
    occupied_ &= ~from_bit;
    const bool already_fetched = (fetched_ & from_bit) != 0;
    fetched_ &= ~((from_bit << 1) - 1); // bucket from_index and the (empty) ones below it
    std::int64_t least = from.front().time;
    for (const Entry& e : from) least = std::min(least, e.time);
    last_ = least;
    // Room first, then move: a failed allocation happens before anything has moved. A few
    // entries (the usual case) get room for all of them in each bucket below; many are counted.
    constexpr std::size_t kFew = 64;
    std::array<std::size_t, kBuckets> counts;
    if (from.size() <= kFew) {
        counts.fill(from.size());
    } else {
        counts.fill(0);
        for (const Entry& e : from) ++counts[static_cast<std::size_t>(bucket_of(e.time))];
    }
    for (int j = 0; j < from_index; ++j) {
        const auto k = static_cast<std::size_t>(j);
        std::vector<Entry>& to = buckets_[k];
        if (to.capacity() < to.size() + counts[k]) to.reserve(std::max(to.size() + counts[k], 2 * to.capacity()));
    }
    std::uint64_t filled = 0;
    for (const Entry& e : from) {
        const int j = bucket_of(e.time);
        buckets_[static_cast<std::size_t>(j)].push_back(e);
        filled |= std::uint64_t{1} << j;
    }
    from.clear();
    occupied_ |= filled & ~std::uint64_t{1};
    std::vector<Entry>& now = buckets_[0];
    if (now.size() > 1) {
        std::sort(now.begin(), now.end(),
                  [this](const Entry& a, const Entry& b) { return slots_[a.slot].sequence < slots_[b.slot].sequence; });
    }
    // The entries now in the lowest buckets are the next to run, in bucket order: prefetch the
    // slots of the first few, unless an earlier refill already did so for all of them.
    if (already_fetched) {
        fetched_ |= filled;
        return;
    }
    std::size_t fetched = 0;
    for (std::uint64_t rest = filled; rest != 0 && fetched < kLookahead; rest &= rest - 1) {
        const int j = std::countr_zero(rest);
        const std::vector<Entry>& bucket = buckets_[static_cast<std::size_t>(j)];
        if (bucket.size() <= kLookahead - fetched) fetched_ |= std::uint64_t{1} << j; // all of it
        for (const Entry& e : bucket) {
            if (fetched == kLookahead) break;
            prefetch(&slots_[e.slot]);
            ++fetched;
        }
    }
}

void EventQueue::compact() {
    const auto dead = [this](const Entry& e) { return !live(e); };
    std::vector<Entry>& now = buckets_[0];
    now.erase(now.begin(), now.begin() + static_cast<std::ptrdiff_t>(head_));
    head_ = 0;
    std::size_t size = 0;
    for (int j = 0; j < kBuckets; ++j) {
        std::vector<Entry>& bucket = buckets_[static_cast<std::size_t>(j)];
        std::erase_if(bucket, dead); // keeps the order, which bucket 0 needs
        size += bucket.size();
        if (j > 0 && bucket.empty()) occupied_ &= ~(std::uint64_t{1} << j);
    }
    std::erase_if(early_, dead);
    std::make_heap(early_.begin(), early_.end(), [this](const Entry& a, const Entry& b) { return later(a, b); });
    size_ = size + early_.size();
    dead_ = 0;
}

} // namespace tcsim::engine::detail
