#include "engine/event_queue.hpp"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <limits>
#include <memory>
#include <stdexcept>
#include <utility>

// Why a radix heap on base-64 digits, and why the slots are prefetched
//
// With a million events pending, a binary or 4-ary heap touches about ten array positions per
// pop, the lower ones far apart; on a machine where a cache miss costs 200-400 ns (measured on
// the 2-core build host, benchmarks/engine_bench.cpp) that, not the comparisons, is the cost of an
// event. A radix heap only ever appends to the end of a bucket and walks a bucket from start to
// end, so every access is sequential and the hardware prefetcher hides the latency. It needs
// monotone keys, which a simulation's times are (nothing is scheduled in the past).
//
// A binary radix heap (one bucket per bit) moves an entry once for about every bit between its
// delay and the gap between events: with a million events over a second, about 11 moves each,
// and those passes were most of an event's cost. With base-64 digits an entry moves at most
// once per digit, and not at all below the bucket that becomes the block: a bucket of at most
// kBlockEntries entries is not spread further but sorted in place by time (an insertion sort:
// it is small) and run from there. In the hold benchmark that is 3 moves per event instead of 11.
//
// Ties without a sequence number: every bucket keeps its entries of equal time in push order.
// A push appends the newest entry; a refill spreads the least bucket, in order, into buckets
// that are all empty (they are below it); the purge keeps the order. A stable sort by time then
// yields (time, push order), and a push into the block goes after the entries of its time.
//
// The callbacks live in a slot table, one cache line each, reused last-freed-first (the slot
// of the event just run is the one its callback's next event takes, still in cache). The slot
// of an event about to run is far from anything touched recently, so a refill that spreads a
// small bucket (its entries are the next to run) prefetches their slots, as does the block.
//
// Cancellation is lazy: cancel() frees the slot and bumps its generation, and the entry stays
// where it is, recognised as dead by its stale generation when it surfaces. When dead entries
// outnumber live ones they are all removed, an O(n) pass paid for by the n/2 cancels before it.
// (Keeping the callbacks in the entries instead, so that they stream with them, was measured
// and lost: cancel() must destroy the callback at once, so each slot must then know where its
// entry is, and updating that on every move cost more than the slot's cache miss saves.)
//
// front() may move last_ past the clock (a peek, or run_until stopping short of the next event);
// a push below last_ then goes to early_, a small binary heap drained before everything else.
//
// An EventId packs (generation << 32 | slot). Generations start at 1 and only grow, so an id is
// never 0 and never matches a later occupant of its slot; a slot whose generation would wrap is
// retired instead of reused.

namespace tcsim::engine::detail {
namespace {

// Below this many dead entries, compaction is not worth a pass over the queue.
constexpr std::size_t kMinDeadToCompact = 64;
// A bucket of at most this many entries becomes the block instead of being spread.
constexpr std::size_t kBlockEntries = 64;
// A block that pushes have grown to this many entries goes back to the buckets (so that an
// insertion into it stays cheap).
constexpr std::size_t kSpillAt = 256;
// A refill prefetches the slots of the entries it spreads when there are at most this many.
constexpr std::size_t kPrefetchUpTo = 1024;
// How far ahead of the block's head take_front prefetches a slot.
constexpr std::size_t kLookahead = 8;
// Taken entries at the start of the block worth erasing (when they are half of it).
constexpr std::size_t kMinHeadToErase = 256;

void prefetch(const void* p) {
#if defined(__GNUC__)
    __builtin_prefetch(p);
#else
    static_cast<void>(p);
#endif
}

void prefetch_write(const void* p) {
#if defined(__GNUC__)
    __builtin_prefetch(p, 1);
#else
    static_cast<void>(p);
#endif
}

// Into the outer caches only, for lines needed a while from now.
void prefetch_far(const void* p) {
#if defined(__GNUC__)
    __builtin_prefetch(p, 0, 1);
#else
    static_cast<void>(p);
#endif
}

bool time_before(std::int64_t time, const EventQueue::Entry& e) { return time < e.time; }

} // namespace

int EventQueue::bucket_of(std::int64_t time) const {
    const auto differ = static_cast<std::uint64_t>(time ^ last_);
    const int level = differ == 0 ? 0 : (63 - std::countl_zero(differ)) / kDigitBits;
    const auto digit = static_cast<int>((static_cast<std::uint64_t>(time) >> (level * kDigitBits)) & (kDigits - 1));
    return level * kDigits + digit;
}

bool EventQueue::later(const Early& a, const Early& b) {
    return a.entry.time > b.entry.time || (a.entry.time == b.entry.time && a.order > b.order);
}

void EventQueue::place(const Entry& e, int index) {
    Bucket& to = buckets_[static_cast<std::size_t>(index)];
    to.entries.push_back(e);
    // The bucket's next cache line, for writing: a refill writes to up to 64 buckets in turn,
    // more streams than the hardware prefetcher follows. (Computed as an address, since it may
    // lie past the storage; a prefetch never faults.)
    const auto next_line = reinterpret_cast<std::uintptr_t>(std::to_address(to.entries.end())) + 64;
    prefetch_write(reinterpret_cast<const void*>(next_line));
    to.least = std::min(to.least, e.time);
    const auto level = static_cast<unsigned>(index) / kDigits;
    occupied_[level] |= std::uint64_t{1} << (static_cast<unsigned>(index) % kDigits);
    levels_ |= std::uint32_t{1} << level;
}

EventId EventQueue::push(std::int64_t time, Callback&& fn) {
    // Room first, so that a failed allocation leaves nothing half done.
    enum class Where { early, block, bucket } where = Where::bucket;
    int index = 0; // the bucket's
    if (time < last_) {
        where = Where::early;
        if (early_.size() == early_.capacity()) early_.reserve(std::max<std::size_t>(16, 2 * early_.size()));
    } else {
        if (time <= block_end_ && block_.size() - head_ >= kSpillAt) spill_block();
        if (time <= block_end_) {
            where = Where::block;
            if (block_.size() == block_.capacity()) block_.reserve(std::max(kBlockEntries, 2 * block_.size()));
        } else {
            index = bucket_of(time);
            std::vector<Entry>& bucket = buckets_[static_cast<std::size_t>(index)].entries;
            if (bucket.size() == bucket.capacity()) bucket.reserve(std::max<std::size_t>(16, 2 * bucket.size()));
        }
    }
    const std::uint32_t slot = acquire_slot(std::move(fn));
    const Entry e{time, slot, slots_[slot].generation};
    // Nothing below allocates: room was made above.
    switch (where) {
    case Where::early:
        early_.push_back(Early{e, early_order_++});
        std::push_heap(early_.begin(), early_.end(), later);
        break;
    case Where::block: // after every entry of its time: the newest of them
        block_.insert(std::upper_bound(block_.begin() + static_cast<std::ptrdiff_t>(head_), block_.end(), time,
                                       time_before),
                      e);
        break;
    case Where::bucket: place(e, index); break;
    }
    ++size_;
    return EventId{(std::uint64_t{e.generation} << 32) | slot};
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
    for (;;) {
        if (!early_.empty()) {
            if (dead_ == 0 || live(early_.front().entry)) return &early_.front().entry;
            std::pop_heap(early_.begin(), early_.end(), later);
            early_.pop_back();
        } else {
            if (head_ == block_.size()) {
                block_.clear();
                head_ = 0;
                if (levels_ == 0) return nullptr;
                refill();
            }
            if (dead_ == 0 || live(block_[head_])) return &block_[head_];
            ++head_;
        }
        --size_;
        --dead_;
    }
}

Callback EventQueue::take_front() {
    Entry e{};
    if (!early_.empty()) {
        e = early_.front().entry;
        std::pop_heap(early_.begin(), early_.end(), later);
        early_.pop_back();
    } else {
        e = block_[head_++];
        if (head_ == block_.size()) {
            block_.clear();
            head_ = 0;
        } else if (head_ >= kMinHeadToErase && 2 * head_ >= block_.size()) {
            // Events that keep scheduling at the current time never let the block run dry: drop
            // the entries already taken (a move of at most as many, so O(1) amortised).
            block_.erase(block_.begin(), block_.begin() + static_cast<std::ptrdiff_t>(head_));
            head_ = 0;
        }
        if (head_ + kLookahead < block_.size()) prefetch(&slots_[block_[head_ + kLookahead].slot]);
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

// The block is used up and early_ empty: the least non-empty bucket holds the next entries. Its
// least time becomes last_. If it is small, or a single time, it becomes the block; otherwise its
// entries spread over the buckets below it (all empty), and the least of those is taken in turn.
// Entries in other buckets stay where they are: they differ from the old and the new last_ first
// in the same digit, and by the same value there.
void EventQueue::refill() {
    for (;;) {
        const int level = std::countr_zero(levels_);
        std::uint64_t& occupied = occupied_[static_cast<std::size_t>(level)];
        const int digit = std::countr_zero(occupied);
        occupied &= occupied - 1;
        if (occupied == 0) levels_ &= ~(std::uint32_t{1} << level);
        Bucket& from = buckets_[static_cast<std::size_t>(level * kDigits + digit)];
        last_ = std::exchange(from.least, std::numeric_limits<std::int64_t>::max());
        if (level == 0 || from.entries.size() <= kBlockEntries) {
            block_.swap(from.entries); // the block is empty: the bucket keeps its storage
            // Entries of equal time are in push order (see the top of this file); a stable
            // insertion sort by time keeps them so.
            for (auto it = block_.begin() + 1; level > 0 && it < block_.end(); ++it) {
                if (it->time >= (it - 1)->time) continue;
                const Entry moving = *it;
                const auto to = std::upper_bound(block_.begin(), it, moving.time, time_before);
                std::move_backward(to, it, it + 1);
                *to = moving;
            }
            // Every entry of the bucket shares the digits from `level` up with last_.
            block_end_ = level == 0 ? last_ : last_ | ((std::int64_t{1} << (level * kDigitBits)) - 1);
            // The first few run next; take_front keeps kLookahead ahead from there.
            for (std::size_t i = 0; i < std::min(kLookahead, block_.size()); ++i) prefetch(&slots_[block_[i].slot]);
            return;
        }
        // The entries of a small bucket are the next to run: fetch their slots while they move.
        if (from.entries.size() <= kPrefetchUpTo) {
            for (const Entry& e : from.entries) prefetch_far(&slots_[e.slot]);
        }
        for (const Entry& e : from.entries) place(e, bucket_of(e.time));
        from.entries.clear();
    }
}

// The block has grown by pushes into its range: its untaken entries go back to the buckets.
// They are at or above last_ and at or below block_end_, so they land in buckets below the one
// the block came from, all empty (later pushes in that range came here), in (time, push order).
// Room first, then move: if an allocation fails nothing has moved.
void EventQueue::spill_block() {
    const auto rest = block_.begin() + static_cast<std::ptrdiff_t>(head_);
    // Sorted by time, so the entries of one bucket are consecutive.
    for (auto run = rest; run != block_.end();) {
        const int index = bucket_of(run->time);
        auto end = run + 1;
        while (end != block_.end() && bucket_of(end->time) == index) ++end;
        std::vector<Entry>& to = buckets_[static_cast<std::size_t>(index)].entries;
        to.reserve(to.size() + static_cast<std::size_t>(end - run));
        run = end;
    }
    for (auto it = rest; it != block_.end(); ++it) place(*it, bucket_of(it->time));
    block_.clear();
    head_ = 0;
    block_end_ = last_ - 1;
}

void EventQueue::compact() {
    const auto dead = [this](const Entry& e) { return !live(e); };
    block_.erase(block_.begin(), block_.begin() + static_cast<std::ptrdiff_t>(head_));
    head_ = 0;
    std::erase_if(block_, dead); // keeps the order
    std::size_t size = block_.size();
    for (std::size_t index = 0; index < buckets_.size(); ++index) {
        Bucket& bucket = buckets_[index];
        if (bucket.entries.empty()) continue;
        std::erase_if(bucket.entries, dead); // keeps the order, which the ties need
        size += bucket.entries.size();
        bucket.least = std::numeric_limits<std::int64_t>::max();
        for (const Entry& e : bucket.entries) bucket.least = std::min(bucket.least, e.time);
        if (bucket.entries.empty()) {
            const std::size_t level = index / kDigits;
            occupied_[level] &= ~(std::uint64_t{1} << (index % kDigits));
            if (occupied_[level] == 0) levels_ &= ~(std::uint32_t{1} << level);
        }
    }
    std::erase_if(early_, [this](const Early& e) { return !live(e.entry); });
    std::make_heap(early_.begin(), early_.end(), later);
    size_ = size + early_.size();
    dead_ = 0;
}

} // namespace tcsim::engine::detail
