#include "engine/event_queue.hpp"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <limits>
#include <memory>
#include <stdexcept>
#include <utility>

// Why a radix heap on base-256 digits over chunks, and why the slots are prefetched
//
// With a million events pending, a binary or 4-ary heap touches about ten array positions per
// pop, the lower ones far apart; on a machine where a cache miss costs 200-400 ns (measured on
// the 2-core build host, benchmarks/engine_bench.cpp) that, not the comparisons, is the cost of an
// event. A radix heap only ever appends to the end of a bucket and walks a bucket from start to
// end, so every access is sequential and the hardware prefetcher hides the latency. It needs
// monotone keys, which a simulation's times are (nothing is scheduled in the past).
//
// A binary radix heap (one bucket per bit) moves an entry once for about every bit between its
// delay and the gap between events: with a million events over a second, about 11 moves each.
// With base-256 digits an entry moves at most once per digit, and not at all below the bucket
// that becomes the block: a bucket of at most kBlockEntries entries is not spread further but
// sorted by time into the block (a counting sort on the top bits of the bucket's range, about
// two ranges per entry, then an insertion sort, which finds few entries out of place: sorting by
// insertion alone mispredicted a branch or two per entry) and run from there. In the hold benchmark an entry is pushed into a bucket of digit 3 (2^24 ns wide),
// moved once into one of digit 2 (65 us, about 65 entries there) and copied into the block: 3
// writes of 32 bytes, where base-64 digits took 4 or 5 and a sort of 4-entry blocks.
//
// The buckets are lists of 488-byte chunks (15 entries and a link) from one pool (engine/chunk_pool.hpp), not vectors:
// a refill gives each chunk of the bucket it spreads back as soon as it has read it, and the
// buckets it spreads into take those chunks next, still in cache, so the entries in flight
// occupy about their own size in memory (vectors kept every bucket's largest size, about twice
// the pending entries, and grew by fresh pages). A spread prefetches the next chunk of its list
// while it reads one, since the chunks are scattered.
//
// Ties without a sequence number: every bucket keeps its entries of equal time in push order.
// A push appends the newest entry; a refill spreads the least bucket, in order, into buckets
// that are all empty (they are below it); the purge keeps the order. A stable sort by time then
// yields (time, push order), and a push into the block goes after the entries of its time.
//
// A refill sets last_ to the base of the bucket it takes (last_'s digits above the bucket's
// level, its digit, zeros below) rather than the bucket's least time: every entry there is at
// or above it and shares its digits from the level up, which is all the spread needs, and no
// push has to keep a bucket's least time up to date.
//
// Where the callables live. One that needs no code to move or destroy and fits in 8 bytes (a
// pointer, a lambda capturing only `this` or one pointer, a coroutine handle: most of a model's
// events, and the hold benchmark's) is kept in its entry, as its Ops pointer and its bytes, and
// streams with it; take_front makes the Callback back from those. Any other lives in a slot
// table (fns_), one cache line each. Either way the event has a slot, reused last-freed-first
// (the slot of the event just run is the one its callback's next event takes, still in cache),
// whose generation (in its own array, generations_, 4 bytes a slot) names the event in its id and
// tells a live entry from a cancelled one. The slot of an event about to run is far from
// anything touched recently: take_front prefetches its generation, and its callback if that is
// in fns_, kLookahead entries ahead in the block, and both tables are on huge pages
// (engine/huge_page_allocator.hpp) once large, since with 4 KiB pages each of those random lines
// also missed the TLB. With a million events pending the generations take 4 MB, which the
// build host's 32 MB L3 holds, where the 64-byte slots (64 MiB) missed to DRAM on about every
// event (about 80 % of a take waited on that line, with the generation kept in the slot).
//
// Cancellation is lazy: cancel() frees the slot and bumps its generation, and the entry stays
// where it is, recognised as dead by its stale generation when it surfaces. When dead entries
// outnumber live ones they are all removed, an O(n) pass paid for by the n/2 cancels before it.
// (Keeping every callback in its entry, so that they stream with them, was measured and lost:
// cancel() must destroy the callback at once, so each slot must then know where its entry is,
// and updating that on every move cost more than the slot's cache miss saves. That objection
// does not hold for a trivially destructible callable, which is all the entries keep: there is
// nothing to destroy, so cancelling one only bumps the generation, and its bytes, left in the
// dead entry, are never read.)
//
// front() may move last_ past the clock (a peek, or run_until stopping short of the next event);
// a push below last_ then goes to early_, a small binary heap drained before everything else.
//
// An EventId packs (generation << 32 | slot). A slot's generation starts at 0 and only grows: a
// multiple of 4 while the slot is free, one more (kInEntry) or two more (kInSlot) while an entry
// holds it, which also says where its callable is, and the next multiple of 4 once freed. So an
// id is never 0, an id made up to name a free slot's generation matches nothing, and no id
// matches a later occupant of its slot; a slot whose generation would wrap (after 2^30 events)
// is retired instead of reused.

namespace tcsim::engine::detail {
namespace {

// Below this many dead entries, compaction is not worth a pass over the queue.
constexpr std::size_t kMinDeadToCompact = 64;
// A bucket of at most this many entries becomes the block instead of being spread.
constexpr std::size_t kBlockEntries = 2048;
// A block that pushes have grown to this many entries goes back to the buckets (so that an
// insertion into it stays cheap), as does one into which pushes have moved more than
// kShiftsPerEntry entries per entry it holds, plus kFreeShifts: a block whose range is wide
// against the delays of the pushes (a bucket of a high digit, few pending events) would
// otherwise take most pushes, each a move of half of it.
constexpr std::size_t kSpillAt = 4096;
constexpr std::size_t kShiftsPerEntry = 4;
constexpr std::size_t kFreeShifts = 256;

void prefetch(const void* p) {
#if defined(__GNUC__)
    __builtin_prefetch(p);
#else
    static_cast<void>(p);
#endif
}

bool time_before(std::int64_t time, const EventQueue::Entry& e) { return time < e.time; }

// The most ranges (as a power of 2) the counting sort of a block uses.
constexpr int kMaxBinBits = 11;

// Stable insertion sort by time: cheap when the entries are few or nearly sorted.
void sort_by_time(EventQueue::Entry* entries, std::size_t n) {
    for (std::size_t i = 1; i < n; ++i) {
        if (entries[i].time >= entries[i - 1].time) continue;
        const EventQueue::Entry moving = entries[i];
        std::size_t j = i;
        for (; j > 0 && entries[j - 1].time > moving.time; --j) entries[j] = entries[j - 1];
        entries[j] = moving;
    }
}

} // namespace

bool EventQueue::later(const Early& a, const Early& b) {
    return a.entry.time > b.entry.time || (a.entry.time == b.entry.time && a.order > b.order);
}

void EventQueue::swap(EventQueue& other) noexcept {
    using std::swap;
    swap(chunks_, other.chunks_);
    swap(buckets_, other.buckets_);
    swap(occupied_, other.occupied_);
    swap(occupied_words_, other.occupied_words_);
    swap(last_, other.last_);
    swap(block_, other.block_);
    swap(head_, other.head_);
    swap(block_end_, other.block_end_);
    swap(block_shifts_, other.block_shifts_);
    swap(early_, other.early_);
    swap(early_order_, other.early_order_);
    swap(generations_, other.generations_);
    swap(fns_, other.fns_);
    swap(free_slots_, other.free_slots_);
    swap(free_room_, other.free_room_);
    swap(free_count_, other.free_count_);
    swap(size_, other.size_);
    swap(dead_, other.dead_);
}

// The cases push() leaves: below last_, into the block, or into a bucket that needs a chunk when
// none is free.
EventId EventQueue::push_elsewhere(std::int64_t time, const Callback::Ops* ops, std::uint64_t payload, Callback* fn) {
    // The common case here: at or after every entry of the block (an event at now() from a
    // callback), with room at its end. No search, nothing moves.
    if (time <= block_end_ && head_ < block_.size() && time >= block_.back().time &&
        block_.size() < block_.capacity() && block_.size() - head_ < kSpillAt) {
        const std::uint64_t id = occupy(ops, fn);
        block_.emplace_back(time, id, ops, payload);
        ++size_;
        return EventId{id};
    }
    // Room first, so that a failed allocation leaves nothing half done.
    enum class Where { early, block, bucket } where = Where::bucket;
    int index = 0; // the bucket's
    if (time < last_) {
        where = Where::early;
        if (early_.size() == early_.capacity()) early_.reserve(std::max<std::size_t>(16, 2 * early_.size()));
    } else {
        if (time <= block_end_ &&
            (block_.size() - head_ >= kSpillAt || block_shifts_ > kShiftsPerEntry * block_.size() + kFreeShifts)) {
            spill_block();
        }
        if (time <= block_end_) {
            where = Where::block;
            if (block_.size() == block_.capacity()) block_.reserve(std::max(kBlockEntries, 2 * block_.size()));
        } else {
            index = bucket_of(time);
            if (Chunks::append_takes_chunk(buckets_[static_cast<std::size_t>(index)])) chunks_.reserve_free(1);
        }
    }
    const Entry e(time, occupy(ops, fn), ops, payload);
    // Nothing below allocates: room was made above.
    switch (where) {
    case Where::early:
        early_.push_back(Early{e, early_order_++});
        std::push_heap(early_.begin(), early_.end(), later);
        break;
    case Where::block: { // after every entry of its time: the newest of them
        const auto first = block_.begin() + static_cast<std::ptrdiff_t>(head_);
        const auto at = std::upper_bound(first, block_.end(), time, time_before);
        if (head_ > 0 && at - first <= block_.end() - at) {
            // Nearer the head: the entries before it move back by one, into a taken entry's place.
            std::move(first, at, first - 1);
            --head_;
            *(at - 1) = e;
            block_shifts_ += static_cast<std::size_t>(at - first);
        } else {
            block_shifts_ += static_cast<std::size_t>(block_.end() - at);
            block_.insert(at, e);
        }
        break;
    }
    case Where::bucket: place(index, e); break;
    }
    ++size_;
    return EventId{e.id};
}

bool EventQueue::cancel(EventId id) {
    const auto slot = static_cast<std::uint32_t>(id.value & 0xffff'ffffU);
    const auto generation = static_cast<std::uint32_t>(id.value >> 32);
    if (slot >= generations_.size()) return false;
    // A free slot's generation is a multiple of 4, which covers ids made up by hand that name a
    // free slot's generation; ids of events that ran or were cancelled name an older one.
    const std::uint32_t now = generations_[slot];
    if (now != generation || now % 4 == 0) return false;
    // Destroy the callback only after the bookkeeping is consistent: its captures' destructors
    // are user code and may call back into the queue. A callable kept in the entry is trivially
    // destructible: nothing to do but free the slot, and fns_ is not touched.
    Callback doomed = now % 4 == kInSlot ? std::move(fns_[slot].fn) : Callback{};
    free_slot(slot);
    ++dead_;
    if (dead_ >= kMinDeadToCompact && 2 * dead_ > size_) compact();
    return true;
}

const EventQueue::Entry* EventQueue::find_front() {
    for (;;) {
        if (!early_.empty()) {
            if (dead_ == 0 || live(early_.front().entry)) return &early_.front().entry;
            std::pop_heap(early_.begin(), early_.end(), later);
            early_.pop_back();
        } else {
            if (head_ == block_.size()) {
                block_.clear();
                head_ = 0;
                if (occupied_words_ == 0) return nullptr;
                refill();
            }
            if (dead_ == 0 || live(block_[head_])) return &block_[head_];
            ++head_;
        }
        --size_;
        --dead_;
    }
}

Callback EventQueue::take_early() {
    const Entry e = early_.front().entry;
    std::pop_heap(early_.begin(), early_.end(), later);
    early_.pop_back();
    --size_;
    return take(e);
}

void EventQueue::trim_block() {
    if (head_ == block_.size()) {
        block_.clear();
        head_ = 0;
    } else if (2 * head_ >= block_.size()) {
        // Events that keep scheduling at the current time never let the block run dry: drop
        // the entries already taken (a move of at most as many, so O(1) amortised).
        block_.erase(block_.begin(), block_.begin() + static_cast<std::ptrdiff_t>(head_));
        head_ = 0;
    }
}

void EventQueue::reserve(std::size_t events) {
    generations_.reserve(events);
    fns_.reserve(events);
    make_free_room();
}

void EventQueue::make_free_room() {
    if (free_room_ >= generations_.capacity()) return;
    auto room = std::make_unique_for_overwrite<std::uint32_t[]>(generations_.capacity());
    std::copy_n(free_slots_.get(), free_count_, room.get());
    free_slots_ = std::move(room);
    free_room_ = generations_.capacity();
}

// acquire_slot() with no free slot: a new one at the end, free (generation 0), its callback
// empty or not yet in fns_.
std::uint32_t EventQueue::add_slot() {
    if (generations_.size() >= std::numeric_limits<std::uint32_t>::max()) {
        throw std::length_error("Simulation: more than 2^32 - 1 pending events");
    }
    generations_.push_back(0);
    // Keep room for every slot on the free list, so that releasing one (in cancel, or before a
    // callback runs) never allocates and therefore never throws.
    if (free_room_ < generations_.capacity()) {
        try {
            make_free_room();
        } catch (...) {
            generations_.pop_back();
            throw;
        }
    }
    return static_cast<std::uint32_t>(generations_.size() - 1);
}

// A slot whose callable goes to fns_ lies past its end: fns_ grows to it (by the vector's
// doubling, so O(1) amortised), its new callbacks empty. If that throws, the slot (just taken,
// still free) goes back on the free list, which has room for it, and nothing has changed.
void EventQueue::grow_fns(std::uint32_t slot) {
    try {
        fns_.resize(std::size_t{slot} + 1);
    } catch (...) {
        free_slots_[free_count_++] = slot;
        throw;
    }
}

// The block is used up and early_ empty: the least non-empty bucket holds the next entries. Its
// base (last_'s digits above its level, its digit there, zeros below: at most its least time)
// becomes last_. If it is small, or a single time, it becomes the block; otherwise its entries
// spread over the buckets below it (all empty), and the least of those is taken in turn. Entries
// in other buckets stay where they are: they differ from the old and the new last_ first in the
// same digit, and by the same value there.
void EventQueue::refill() {
    for (;;) {
        // Buckets are numbered in (level, digit) order: the least is the first one occupied.
        const int word = std::countr_zero(occupied_words_);
        std::uint64_t& occupied = occupied_[static_cast<std::size_t>(word)];
        const int index = word * 64 + std::countr_zero(occupied);
        occupied &= occupied - 1;
        if (occupied == 0) occupied_words_ &= ~(std::uint32_t{1} << word);
        const int level = index / kDigits;
        const int digit = index % kDigits;
        Bucket& from = buckets_[static_cast<std::size_t>(index)];
        const int shift = level * kDigitBits;
        const std::uint64_t above = shift + kDigitBits >= 64 ? 0 : ~std::uint64_t{0} << (shift + kDigitBits);
        last_ = static_cast<std::int64_t>((static_cast<std::uint64_t>(last_) & above) |
                                          (static_cast<std::uint64_t>(digit) << shift));
        if (level == 0 || from.size() <= kBlockEntries) {
            take_block(from, level);
            // Every entry of the bucket shares the digits from `level` up with last_.
            block_end_ = level == 0 ? last_ : last_ | ((std::int64_t{1} << shift) - 1);
            // The first few run next; take_front keeps kLookahead ahead from there.
            for (std::size_t i = 0; i < std::min(kLookahead, block_.size()); ++i) {
                prefetch(&generations_[block_[i].slot()]);
                if (block_[i].ops == nullptr) prefetch(&fns_[block_[i].slot()]);
            }
            return;
        }
        // Room first: a bucket spread over n others ends with at most one part-filled chunk in
        // each, and each chunk read is given back before the next is read.
        chunks_.reserve_free(std::min<std::size_t>(from.size(), static_cast<std::size_t>(level) * kDigits) + 1);
        chunks_.drain(from, [this](const Entry& e) { place(bucket_of(e.time), e); });
    }
}

// The bucket becomes the block, sorted by (time, push order): a counting sort on the top bits of
// the times' offsets from last_ (stable, so equal times keep their push order), then an
// insertion sort within each of those ranges, which hold about half an entry each.
void EventQueue::take_block(Bucket& from, int level) {
    const std::size_t n = from.size();
    block_.resize(n);
    block_shifts_ = 0;
    Entry* const out = block_.data();
    if (level == 0 || n == 1) { // a single time
        std::size_t at = 0;
        chunks_.drain(from, [out, &at](const Entry& e) { out[at++] = e; });
        return;
    }
    // About two ranges per entry, so that few share one; the bucket spans 2^range_bits ns.
    const int range_bits = level * kDigitBits;
    const int bin_bits = std::min({range_bits, kMaxBinBits, static_cast<int>(std::bit_width(n)) + 1});
    const int shift = range_bits - bin_bits;
    const std::size_t bins = std::size_t{1} << bin_bits;
    const std::int64_t base = last_;
    std::array<std::uint32_t, (std::size_t{1} << kMaxBinBits) + 1> starts;
    std::fill_n(starts.begin(), bins + 1, 0U);
    Chunks::for_each(from, [&starts, base, shift](const Entry& e) {
        ++starts[static_cast<std::size_t>((e.time - base) >> shift) + 1];
    });
    for (std::size_t i = 1; i <= bins; ++i) starts[i] += starts[i - 1];
    chunks_.drain(from, [out, &starts, base, shift](const Entry& e) {
        out[starts[static_cast<std::size_t>((e.time - base) >> shift)]++] = e;
    });
    sort_by_time(out, n);
}

// The block has grown by pushes into its range: its untaken entries go back to the buckets.
// They are at or above last_ and at or below block_end_, so they land in buckets below the one
// the block came from, all empty (later pushes in that range came here), in (time, push order).
// Room first, then move: if an allocation fails nothing has moved.
void EventQueue::spill_block() {
    // Each bucket it lands in ends with at most one part-filled chunk.
    const std::size_t n = block_.size() - head_;
    chunks_.reserve_free(n / kChunkEntries + std::min<std::size_t>(n, kLevels * kDigits));
    for (auto it = block_.begin() + static_cast<std::ptrdiff_t>(head_); it != block_.end(); ++it) {
        place(bucket_of(it->time), *it);
    }
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
        if (bucket.empty()) continue;
        chunks_.erase_if(bucket, dead); // keeps the order, which the ties need
        size += bucket.size();
        if (bucket.empty()) {
            occupied_[index / 64] &= ~(std::uint64_t{1} << (index % 64));
            if (occupied_[index / 64] == 0) occupied_words_ &= ~(std::uint32_t{1} << (index / 64));
        }
    }
    std::erase_if(early_, [this](const Early& e) { return !live(e.entry); });
    std::make_heap(early_.begin(), early_.end(), later);
    size_ = size + early_.size();
    dead_ = 0;
}

} // namespace tcsim::engine::detail
