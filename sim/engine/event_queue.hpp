// The kernel's queue: callbacks keyed by (time, scheduling order), with cancellation by id.
// Simulation (simulation.hpp) is its only user and states the guarantees users rely on; this is
// the data structure under them.
//
// Contract
// - Order. front() is the entry of least (time, push order) among those pushed and neither
//   taken nor cancelled. Pushed times must never be below the time of an entry already taken
//   (the clock only moves forward); below the time of the current front is fine.
// - Ids. push() returns an EventId packing (generation << 32 | slot); cancel(id) is true only
//   for an entry still queued, destroys its callback at once (after the bookkeeping, so the
//   callback's destructor may use the queue) and never matches a later entry reusing the slot.
// - Cost. push, cancel and take_front are O(1) amortised; front() is amortised O(log T) in the
//   span T of the pending times (a radix heap on base-256 digits: an entry is written once per
//   level it moves down, at most 9 times in its life counting its push and its copy into the
//   block, all by sequential passes; 3 times in the hold benchmark, benchmarks/engine_bench.cpp).
//   A push into the range of times being run (the block, fewer than 4,096 entries) is inserted
//   in sorted place, moving the entries after it or those before it, whichever are fewer; a
//   block that has grown to 4,096 entries, or whose inserts have moved more than 4 entries per
//   entry it holds plus 256, goes back to the buckets (a move down a level for each entry), so
//   that is O(1) amortised too. Callables of up to Callback::kInlineBytes are stored without
//   allocating once the tables have grown to their working size. One that is trivially copyable
//   and destructible and at most 8 bytes (a pointer, a lambda capturing only `this`, a coroutine
//   handle) is kept in its entry: pushing, taking and cancelling it touch its slot's 4-byte
//   generation and never its 64-byte callback slot (event_queue.cpp says why that pays).
//   Cancelled entries stay queued until they surface or outnumber the live ones (then they are
//   all removed, O(n)), so entries() < max(2 pending() + 1, pending() + 64) after every cancel.
// - Exceptions. push() leaves the queue unchanged if it throws (bad_alloc, or length_error past
//   2^32 - 1 slots); the other operations do not throw but for bad_alloc while front() moves
//   entries between buckets, which leaves the queue unusable (the buckets' chunks only grow, to
//   about the most entries ever queued at once plus a part-filled chunk per bucket).
// - Moves. A moved-from queue is empty and usable, as a new one.
#pragma once

#include <array>
#include <bit>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

#include "engine/callback.hpp"
#include "engine/chunk_pool.hpp"
#include "engine/huge_page_allocator.hpp"

namespace tcsim::engine {

// Names one scheduled event, for cancel(). Value 0 is never issued (EventId{} is "no event").
struct EventId {
    std::uint64_t value = 0;
    auto operator<=>(const EventId&) const = default;
};

namespace detail {

class EventQueue {
public:
    // One queued event: plain data, 32 bytes, so the passes between buckets stream. A callable
    // that Callback::fits_entry (a pointer's size, nothing to run to move or destroy it) is kept
    // here, as its Ops and its bytes; any other lives in its slot's Callback.
    struct Entry {
        // Made without values, an entry is left unwritten (block_'s resize() before the entries
        // are copied in would otherwise zero them first).
        Entry() noexcept {} // NOLINT(modernize-use-equals-default): not value-initialised
        Entry(std::int64_t t, std::uint64_t i, const Callback::Ops* o, std::uint64_t p) noexcept
            : time(t), id(i), ops(o), payload(p) {}

        // The slot names the event (its generation; its Callback if not here); the generation is
        // the slot's when pushed, stale if it differs now. One word (the EventId's value): built
        // from two 4-byte stores and read back whole, it stalled on store forwarding.
        std::uint32_t slot() const { return static_cast<std::uint32_t>(id & 0xffff'ffffU); }
        std::uint32_t generation() const { return static_cast<std::uint32_t>(id >> 32); }

        std::int64_t time;        // nanoseconds since SimTime{}
        std::uint64_t id;         // generation << 32 | slot
        const Callback::Ops* ops; // the callable's, if it is here; nullptr if in the slot
        std::uint64_t payload;    // the callable's bytes, if it is here
    };
    static_assert(Callback::kEntryBytes == sizeof(std::uint64_t));

    EventQueue() = default;
    // A moved-from queue is empty, as a new one.
    EventQueue(EventQueue&& other) noexcept { swap(other); }
    EventQueue& operator=(EventQueue&& other) noexcept {
        EventQueue taken(std::move(other));
        swap(taken);
        return *this;
    }
    EventQueue(const EventQueue&) = delete;
    EventQueue& operator=(const EventQueue&) = delete;
    ~EventQueue() = default;

    // True if push() keeps a callable made from an F in its entry (Callback::fits_entry: at most
    // 8 bytes, trivially copyable and destructible), not in a slot. A Callback holding such a
    // callable is kept there too.
    template <class F>
    static constexpr bool keeps_in_entry() {
        using T = std::remove_cvref_t<F>;
        return Callback::fits_entry<T>() && std::is_nothrow_constructible_v<T, F>;
    }

    // Queues fn at `time` (>= 0), after every entry already queued for that time. fn is a
    // Callback (moved from) or a callable to make one of; not empty. A callable for which
    // keeps_in_entry() holds is copied into the entry; any other that
    // Callback::constructs_in_place_nothrow() is built straight in its slot.
    template <class F>
    EventId push(std::int64_t time, F&& fn);
    // True if the entry was queued; it is then gone and its callback destroyed.
    bool cancel(EventId id);
    // The next live entry, or nullptr if none; valid until the next call of any other member.
    const Entry* front() {
        if (early_.empty() && head_ < block_.size() && dead_ == 0) return &block_[head_];
        return find_front();
    }
    // Removes front()'s entry (front() must have returned it, with no call in between) and
    // returns its callback; its id no longer cancels anything.
    Callback take_front();

    std::size_t pending() const { return size_ - dead_; }
    std::size_t entries() const { return size_; }
    void reserve(std::size_t events);

private:
    // Times are read in base-256 digits: 8 levels of 256 buckets cover the 63 bits of a time.
    static constexpr int kDigitBits = 8;
    static constexpr int kDigits = 1 << kDigitBits;
    static constexpr int kLevels = (63 + kDigitBits - 1) / kDigitBits;

    // The callback of a slot whose entry does not hold it; 64 bytes, one cache line, so that
    // take_front can prefetch it. Empty unless an entry of that slot, queued, keeps it here.
    struct alignas(64) Slot {
        Callback fn;
    };
    // A slot's generation: a multiple of 4 while free, and then bumped by kInEntry or kInSlot
    // when taken (so an id's generation is never 0), and to the next multiple of 4 when freed.
    static constexpr std::uint32_t kInEntry = 1; // taken, the callable in the entry
    static constexpr std::uint32_t kInSlot = 2;  // taken, the callable in fns_
    // Buckets hold their entries in chunks of 15 (488 bytes with the link) from one pool.
    static constexpr std::size_t kChunkEntries = 15;
    using Chunks = ChunkPool<Entry, kChunkEntries>;
    using Bucket = Chunks::List; // equal times in push order (see event_queue.cpp)
    // An entry pushed below last_, with its push order among those: early_ is a heap of them.
    struct Early {
        Entry entry;
        std::uint64_t order;
    };

    // How far ahead of the block's head take_front prefetches a generation, and the slot of an
    // entry that does not hold its callable (32 measured a little better than 16 or 24 with a
    // million pending, and no worse than 48 or 64, when every entry's slot was prefetched).
    static constexpr std::size_t kLookahead = 32;
    // Taken entries at the start of the block worth erasing (when they are half of it).
    static constexpr std::size_t kMinHeadToErase = 256;

    bool live(const Entry& e) const { return generations_[e.slot()] == e.generation(); }
    const Entry* find_front();
    // push() of the callable of `ops` and `payload`, kept in the entry, or of *fn (ops nullptr).
    // Scalars rather than an Entry: one built in memory field by field and read back whole
    // stalled on store forwarding.
    // InEntry: ops is not nullptr (known when compiled, so that the slot's path is not built).
    template <bool InEntry>
    EventId push_entry(std::int64_t time, const Callback::Ops* ops, std::uint64_t payload, Callback* fn);
    EventId push_elsewhere(std::int64_t time, const Callback::Ops* ops, std::uint64_t payload, Callback* fn);
    // Takes a slot (may throw, changing nothing), moves *fn there if ops is nullptr (else the
    // callable is in the entry); returns the entry's id. The caller builds the entry in place.
    std::uint64_t occupy(const Callback::Ops* ops, Callback* fn) {
        return ops != nullptr ? occupy_in_entry() : occupy_in_slot(std::move(*fn));
    }
    std::uint64_t occupy_in_entry();
    // A slot with fn's callable built in its callback (a Callback is moved from).
    template <class F>
    std::uint64_t occupy_in_slot(F&& fn);
    Callback take(const Entry& e) noexcept;
    Callback take_early();
    void trim_block();
    static bool later(const Early& a, const Early& b); // (time, order) order, for early_'s heap
    int bucket_of(std::int64_t time) const;
    // The entry Entry(made...) (or a copy of one) into bucket `index`, bucket_of(its time). Made
    // in place from its fields, not copied from one built on the stack: that stalled on store
    // forwarding (its fields stored one by one, then read back 16 bytes at a time).
    template <class... Made>
    void place(int index, const Made&... made);
    void swap(EventQueue& other) noexcept;
    void take_block(Bucket& from, int level);
    std::uint32_t acquire_slot(); // a free slot (its callback empty), or a new one; may throw
    std::uint32_t add_slot();
    void grow_fns(std::uint32_t slot); // fns_ up to slot; gives slot back to the free list if it throws
    void make_free_room(); // room on the free list for every slot of generations_' capacity
    void free_slot(std::uint32_t slot) noexcept; // its callback already empty
    void refill();
    void spill_block();
    void compact();

    // Radix heap on time (Ahuja, Mehlhorn, Orlin & Tarjan 1990), with digits of kDigitBits bits
    // (Cherkassky, Goldberg & Silverstein's multi-level buckets): an entry whose time first
    // differs from last_ in digit l, where it has value v, is in bucket l * kDigits + v; one at
    // last_ itself in bucket (0, last_'s digit 0). Bucket i is not empty only if bit i % 64 of
    // occupied_[i / 64] is set, and that word is not 0 only if bit i / 64 of occupied_words_ is;
    // numbered so, the least bucket is the first one occupied. last_ is at most the least
    // pending time (the base of the bucket last taken). block_ holds the entries at or below
    // block_end_ (and not below last_), sorted by (time, push order), run from head_ on: the
    // least bucket, once it is small enough or a single time.
    Chunks chunks_;
    std::array<Bucket, kLevels * kDigits> buckets_;
    std::array<std::uint64_t, (kLevels * kDigits + 63) / 64> occupied_{};
    std::uint32_t occupied_words_ = 0;
    std::int64_t last_ = 0;
    std::vector<Entry> block_;
    std::size_t head_ = 0;
    std::int64_t block_end_ = -1;
    std::size_t block_shifts_ = 0; // entries moved by pushes into the block since it was formed
    // Entries pushed below last_ (after front() looked ahead of the clock): a binary heap on
    // (time, order), all of them before every other entry.
    std::vector<Early> early_;
    std::uint64_t early_order_ = 0;
    // Every slot's generation (4 bytes: a million pending events' fit in a cache of a few MB),
    // and the callbacks of the slots whose entries do not hold theirs (fns_ grows only as far as
    // the highest such slot). On huge pages once large: both are touched at random.
    HugeVector<std::uint32_t> generations_;
    HugeVector<Slot> fns_;
    // The free slots, last freed on top, in free_slots_[0, free_count_); free_slots_ has room
    // (free_room_) for every slot of generations_' capacity, so releasing one never allocates
    // and never checks. Not a vector: its room is left unwritten (zeroing it cost the fill 20 %).
    std::unique_ptr<std::uint32_t[]> free_slots_;
    std::size_t free_room_ = 0;
    std::size_t free_count_ = 0;
    std::size_t size_ = 0; // queued entries, cancelled ones included
    std::size_t dead_ = 0; // cancelled entries still queued
};

// The common cases inline (they are most of an event's work): a push into a bucket with a slot
// and a chunk at hand, and a take from the block; event_queue.cpp has the rest.

inline int EventQueue::bucket_of(std::int64_t time) const {
    const auto differ = static_cast<std::uint64_t>(time ^ last_);
    const int level = differ == 0 ? 0 : (63 - std::countl_zero(differ)) / kDigitBits;
    const auto digit = static_cast<int>((static_cast<std::uint64_t>(time) >> (level * kDigitBits)) & (kDigits - 1));
    return level * kDigits + digit;
}

template <class... Made>
inline void EventQueue::place(int index, const Made&... made) {
    const auto i = static_cast<unsigned>(index);
    Bucket& to = buckets_[i];
    chunks_.emplace(to, made...);
#if defined(__GNUC__)
    // The bucket's next cache line, for writing: a refill writes to up to 256 buckets in turn,
    // more streams than the hardware prefetcher follows. (Computed as an address, since it may
    // lie past the chunk; a prefetch never faults.)
    if (const Entry* next = Chunks::next_place(to)) {
        __builtin_prefetch(reinterpret_cast<const void*>(reinterpret_cast<std::uintptr_t>(next) + 64), 1);
    }
#endif
    occupied_[i / 64] |= std::uint64_t{1} << (i % 64);
    occupied_words_ |= std::uint32_t{1} << (i / 64);
}

inline std::uint32_t EventQueue::acquire_slot() {
    if (free_count_ == 0) return add_slot();
    return free_slots_[--free_count_];
}

inline void EventQueue::free_slot(std::uint32_t slot) noexcept {
    std::uint32_t& generation = generations_[slot];
    generation = (generation | 3U) + 1;
    if (generation != 0) free_slots_[free_count_++] = slot;
    // else: retired, see event_queue.cpp.
}

inline std::uint64_t EventQueue::occupy_in_entry() {
    const std::uint32_t slot = acquire_slot(); // may throw, changing nothing
    return (std::uint64_t{generations_[slot] += kInEntry} << 32) | slot;
}

template <class F>
std::uint64_t EventQueue::occupy_in_slot(F&& fn) {
    const std::uint32_t slot = acquire_slot(); // may throw, changing nothing
    if (slot >= fns_.size()) grow_fns(slot);   // may throw, giving the slot back
    fns_[slot].fn.emplace(std::forward<F>(fn));
    return (std::uint64_t{generations_[slot] += kInSlot} << 32) | slot;
}

template <bool InEntry>
EventId EventQueue::push_entry(std::int64_t time, const Callback::Ops* ops, std::uint64_t payload, Callback* fn) {
    // Past the block (so not below last_), into a bucket with room or a free chunk.
    if (time > block_end_) {
        const int index = bucket_of(time);
        if (!Chunks::append_takes_chunk(buckets_[static_cast<std::size_t>(index)]) || chunks_.free_chunks() != 0) {
            std::uint64_t id = 0; // taking the slot is the only step that may throw
            if constexpr (InEntry) {
                id = occupy_in_entry();
            } else {
                id = occupy_in_slot(std::move(*fn));
            }
            place(index, time, id, ops, payload);
            ++size_;
            return EventId{id};
        }
    }
    return push_elsewhere(time, ops, payload, fn);
}

template <class F>
EventId EventQueue::push(std::int64_t time, F&& fn) {
    using T = std::remove_cvref_t<F>;
    if constexpr (keeps_in_entry<F>()) {
        // Into the entry: nothing touches the slot's callback.
        const T callable(std::forward<F>(fn));
        std::uint64_t payload = 0;
        std::memcpy(&payload, static_cast<const void*>(&callable), sizeof(T));
        return push_entry<true>(time, Callback::ops_of<T>(), payload, nullptr);
    } else if constexpr (std::same_as<T, Callback>) {
        static_assert(std::is_rvalue_reference_v<F&&>, "a Callback is moved, never copied");
        if (fn.ops_ != nullptr && fn.ops_->fits_entry) {
            std::uint64_t payload = 0;
            std::memcpy(&payload, fn.storage_, Callback::kEntryBytes);
            const EventId id = push_entry<true>(time, fn.ops_, payload, nullptr);
            fn.ops_ = nullptr; // moved from (nothing to destroy)
            return id;
        }
        return push_entry<false>(time, nullptr, 0, &fn);
    } else if constexpr (!Callback::constructs_in_place_nothrow<F>()) {
        // Made first, so that a throw leaves the queue as it was; then moved into its slot.
        return push(time, Callback(std::forward<F>(fn)));
    } else {
        // Past the block (so not below last_), into a bucket with room or a free chunk: built
        // straight in its slot.
        if (time > block_end_) {
            const int index = bucket_of(time);
            if (!Chunks::append_takes_chunk(buckets_[static_cast<std::size_t>(index)]) || chunks_.free_chunks() != 0) {
                const std::uint64_t id = occupy_in_slot(std::forward<F>(fn)); // may throw, changing nothing
                place(index, time, id, static_cast<const Callback::Ops*>(nullptr), std::uint64_t{0});
                ++size_;
                return EventId{id};
            }
        }
        Callback made(std::forward<F>(fn));
        return push_entry<false>(time, nullptr, 0, &made);
    }
}

// Takes e's callable and frees its slot (e is queued and live, and now leaves the queue).
inline Callback EventQueue::take(const Entry& e) noexcept {
    if (e.ops != nullptr) {
        free_slot(e.slot());
        return Callback(e.ops, &e.payload);
    }
    Callback fn = std::move(fns_[e.slot()].fn);
    free_slot(e.slot());
    return fn;
}

inline Callback EventQueue::take_front() {
    if (!early_.empty()) return take_early();
    const Entry e = block_[head_++];
    if (head_ == block_.size() || head_ >= kMinHeadToErase) trim_block();
#if defined(__GNUC__)
    if (head_ + kLookahead < block_.size()) {
        const Entry& ahead = block_[head_ + kLookahead];
        __builtin_prefetch(&generations_[ahead.slot()], 1);
        if (ahead.ops == nullptr) __builtin_prefetch(&fns_[ahead.slot()]);
    }
#endif
    --size_;
    // Take the callback out and free its slot before anyone calls it: the callback may push
    // (growing the tables under its own feet) and cancel (its own id must then report false).
    return take(e);
}

} // namespace detail
} // namespace tcsim::engine
