// Storage for many queues of small plain values that are appended to at the end and read once
// from the start: chunks of a fixed size from one pool, reused last-freed-first.
//
// Contract
// - T is trivially copyable (the pool copies bytes and never runs constructors or destructors).
// - A List is a queue of T in append order: append() adds at the end; drain() calls a function
//   on every item in order and leaves the list empty; erase_if() removes items in place keeping
//   the order of the rest; release() empties it. A List belongs to one pool: it holds pointers
//   into it, so it must be emptied (drain, release) before that pool is destroyed or moved from
//   and then reused; destroying the pool with lists still holding chunks frees their memory
//   with it, and those lists must not be used again.
// - Memory. A list of n items holds ceil(n / N) chunks. A chunk given back (drain gives each
//   back as soon as it has been read) is the next one taken, so a list drained into others
//   writes to chunks still in cache. The pool only grows, by slabs of chunks that never move,
//   each at least half of all the chunks before it (up to 8 MiB of chunks, whose slabs are then
//   on huge pages, engine/huge_page_allocator.hpp).
// - Exceptions. append() throws std::bad_alloc only when it needs a chunk, none is free and a
//   slab cannot be had; it then changes nothing. reserve_free() makes sure of a number of free
//   chunks (same exception), after which that many chunks are taken without allocating. The
//   other members do not throw (drain() propagates what its function throws, leaving the list
//   holding the items not yet visited, in order, and some of those visited).
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

#include "engine/huge_page_allocator.hpp"

namespace tcsim::engine::detail {

template <class T, std::size_t N>
class ChunkPool {
    static_assert(std::is_trivially_copyable_v<T>);

public:
    struct Chunk {
        // Left unwritten when made: a new slab's chunks are written item by item when taken
        // (zeroing a slab first was 3 to 5 % of the engine benchmark's time).
        Chunk() noexcept {} // NOLINT(modernize-use-equals-default): not value-initialised
        std::array<T, N> items;
        Chunk* next;
    };

    class List {
    public:
        std::size_t size() const { return size_; }
        bool empty() const { return size_ == 0; }

    private:
        friend class ChunkPool;
        Chunk* head_ = nullptr;
        Chunk* tail_ = nullptr;
        std::uint32_t size_ = 0;
        std::uint32_t tail_items_ = 0; // items in tail_, 1 to N while not empty
    };

    ChunkPool() = default;
    ChunkPool(ChunkPool&& other) noexcept
        : slabs_(std::move(other.slabs_)), free_(std::exchange(other.free_, nullptr)),
          fresh_(std::exchange(other.fresh_, nullptr)), fresh_count_(std::exchange(other.fresh_count_, 0)),
          free_count_(std::exchange(other.free_count_, 0)), chunks_(std::exchange(other.chunks_, 0)) {
        other.slabs_.clear();
    }
    ChunkPool& operator=(ChunkPool&& other) noexcept {
        if (this != &other) {
            slabs_ = std::move(other.slabs_);
            other.slabs_.clear();
            free_ = std::exchange(other.free_, nullptr);
            fresh_ = std::exchange(other.fresh_, nullptr);
            fresh_count_ = std::exchange(other.fresh_count_, 0);
            free_count_ = std::exchange(other.free_count_, 0);
            chunks_ = std::exchange(other.chunks_, 0);
        }
        return *this;
    }
    ChunkPool(const ChunkPool&) = delete;
    ChunkPool& operator=(const ChunkPool&) = delete;
    ~ChunkPool() = default;

    // True if appending to `list` takes a chunk.
    static bool append_takes_chunk(const List& list) { return list.tail_items_ == N || list.tail_ == nullptr; }

    void append(List& list, const T& item) { emplace(list, item); }

    // append(list, T(args...)), the item made in place.
    template <class... Args>
    void emplace(List& list, const Args&... args) {
        if (append_takes_chunk(list)) {
            Chunk* c = take();
            c->next = nullptr;
            if (list.tail_ == nullptr) {
                list.head_ = c;
            } else {
                list.tail_->next = c;
            }
            list.tail_ = c;
            list.tail_items_ = 0;
        }
        ::new (static_cast<void*>(&list.tail_->items[list.tail_items_++])) T(args...);
        ++list.size_;
    }

    // Where the list's next item will go (for a prefetch), or nullptr if that takes a chunk.
    static const T* next_place(const List& list) {
        return append_takes_chunk(list) ? nullptr : list.tail_->items.data() + list.tail_items_;
    }

    // Calls f(item) on every item in append order; each chunk is given back once read.
    template <class F>
    void drain(List& list, F&& f) {
        while (list.head_ != nullptr) {
            Chunk* c = list.head_;
            const std::uint32_t count = c == list.tail_ ? list.tail_items_ : static_cast<std::uint32_t>(N);
            prefetch(c->next);
            for (std::uint32_t i = 0; i < count; ++i) f(std::as_const(c->items[i]));
            list.head_ = c->next;
            list.size_ -= count;
            if (list.head_ == nullptr) list.tail_ = nullptr;
            give(c);
        }
        list.tail_items_ = 0;
    }

    // Calls f(item) on every item in append order, changing nothing.
    template <class F>
    static void for_each(const List& list, F&& f) {
        for (const Chunk* c = list.head_; c != nullptr; c = c->next) {
            const std::uint32_t count = c == list.tail_ ? list.tail_items_ : static_cast<std::uint32_t>(N);
            for (std::uint32_t i = 0; i < count; ++i) f(c->items[i]);
        }
    }

    // Removes the items for which dead(item) holds; the others keep their order.
    template <class Pred>
    void erase_if(List& list, Pred&& dead) {
        Chunk* to = list.head_;
        std::uint32_t at = 0;
        std::uint32_t kept = 0;
        for (Chunk* c = list.head_; c != nullptr; c = c->next) {
            const std::uint32_t count = c == list.tail_ ? list.tail_items_ : static_cast<std::uint32_t>(N);
            for (std::uint32_t i = 0; i < count; ++i) {
                if (dead(std::as_const(c->items[i]))) continue;
                if (at == N) {
                    to = to->next;
                    at = 0;
                }
                to->items[at++] = c->items[i];
                ++kept;
            }
        }
        if (kept == 0) {
            release(list);
            return;
        }
        // The chunks after `to` are no longer needed.
        Chunk* rest = to->next;
        to->next = nullptr;
        while (rest != nullptr) {
            Chunk* next = rest->next;
            give(rest);
            rest = next;
        }
        list.tail_ = to;
        list.tail_items_ = at;
        list.size_ = kept;
    }

    // Gives every chunk of the list back; the list is then empty.
    void release(List& list) noexcept {
        if (list.head_ != nullptr) {
            std::size_t count = 1;
            for (const Chunk* c = list.head_; c != list.tail_; c = c->next) ++count;
            list.tail_->next = free_;
            free_ = list.head_;
            free_count_ += count;
        }
        list = List{};
    }

    // Makes sure that `chunks` chunks can be taken without allocating.
    void reserve_free(std::size_t chunks) {
        while (free_count_ < chunks) grow(chunks - free_count_);
    }

    std::size_t free_chunks() const { return free_count_; }
    // Chunks owned, free or in lists.
    std::size_t chunks() const { return chunks_; }

private:
    static constexpr std::size_t kFirstSlab = 16;
    // 8 MiB of chunks: from 4 MiB a slab is on huge pages (engine/huge_page_allocator.hpp).
    static constexpr std::size_t kLargestSlab = 2 * kHugeFrom / sizeof(Chunk);

    // Asks for the whole chunk while the one before is read: chunks are scattered, so the
    // hardware prefetcher does not follow a list.
    static void prefetch([[maybe_unused]] const Chunk* c) {
#if defined(__GNUC__)
        if (c == nullptr) return;
        const auto* bytes = reinterpret_cast<const unsigned char*>(c);
        for (std::size_t at = 0; at < sizeof(Chunk); at += 64) __builtin_prefetch(bytes + at);
#endif
    }

    // The last chunk given back, else the next never-used chunk of the newest slab.
    Chunk* take() {
        if (free_count_ == 0) grow(1);
        --free_count_;
        if (free_ != nullptr) {
            Chunk* c = free_;
            free_ = c->next;
            return c;
        }
        --fresh_count_;
        return fresh_++;
    }
    void give(Chunk* c) noexcept {
        c->next = free_;
        free_ = c;
        ++free_count_;
    }
    void grow(std::size_t at_least) {
        const std::size_t count =
            std::min(kLargestSlab, std::max({kFirstSlab, chunks_ / 2, at_least}));
        slabs_.reserve(slabs_.size() + 1); // room first: a failure below leaves nothing behind
        HugeVector<Chunk> slab(count);
        // The older slab's unused chunks join the free list; the new slab's are taken in address
        // order, each written first when taken (linking them all here cost the engine
        // benchmark's fill a write to every chunk's line, in reverse order, on fresh pages). The
        // slab's storage never moves: the vector is moved below.
        while (fresh_count_ != 0) {
            --fresh_count_;
            Chunk* c = fresh_++;
            c->next = free_;
            free_ = c;
        }
        fresh_ = slab.data();
        fresh_count_ = count;
        free_count_ += count;
        chunks_ += count;
        slabs_.push_back(std::move(slab));
    }

    std::vector<HugeVector<Chunk>> slabs_;
    Chunk* free_ = nullptr;  // the free chunks given back, linked through next, last given first
    Chunk* fresh_ = nullptr; // the newest slab's chunks never taken: fresh_[0, fresh_count_)
    std::size_t fresh_count_ = 0;
    std::size_t free_count_ = 0; // given back and fresh
    std::size_t chunks_ = 0;
};

} // namespace tcsim::engine::detail
