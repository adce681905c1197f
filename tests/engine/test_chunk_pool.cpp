// The chunk pool under the event queue's buckets (engine/chunk_pool.hpp): lists keep append
// order across chunks, drain gives chunks back for the next appends, erase_if keeps the order of
// what it keeps, and nothing allocates once enough chunks are free.
#include "engine/chunk_pool.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <vector>

using Pool = tcsim::engine::detail::ChunkPool<std::uint32_t, 3>;

namespace {

std::vector<std::uint32_t> items_of(const Pool::List& list) {
    std::vector<std::uint32_t> out;
    Pool::for_each(list, [&out](std::uint32_t v) { out.push_back(v); });
    return out;
}

} // namespace

TEST_CASE("a list keeps append order across chunks and drains in it") {
    Pool pool;
    Pool::List list;
    std::vector<std::uint32_t> expected;
    for (std::uint32_t v = 0; v < 10; ++v) { // four chunks of 3, the last holding one
        pool.append(list, v);
        expected.push_back(v);
    }
    CHECK(list.size() == 10);
    CHECK(items_of(list) == expected);
    std::vector<std::uint32_t> drained;
    pool.drain(list, [&drained](std::uint32_t v) { drained.push_back(v); });
    CHECK(drained == expected);
    CHECK(list.empty());
    CHECK(items_of(list).empty());
}

TEST_CASE("chunks a drain gives back are taken by the appends it makes, without growing the pool") {
    // Spreading one list over two others, as a refill spreads a bucket: the chunks read are
    // free again before the next is read, so the pool needs at most one part-filled chunk per
    // destination beyond the chunks it already had.
    Pool pool;
    Pool::List from;
    for (std::uint32_t v = 0; v < 30; ++v) pool.append(from, v);
    pool.reserve_free(3);
    const std::size_t owned = pool.chunks();
    Pool::List even;
    Pool::List odd;
    pool.drain(from, [&](std::uint32_t v) { pool.append(v % 2 == 0 ? even : odd, v); });
    CHECK(pool.chunks() == owned);
    CHECK(items_of(even) == std::vector<std::uint32_t>{0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28});
    CHECK(odd.size() == 15);
    pool.release(even);
    pool.release(odd);
    CHECK(pool.free_chunks() == pool.chunks());
}

TEST_CASE("erase_if keeps the order of the rest and gives emptied chunks back") {
    Pool pool;
    Pool::List list;
    for (std::uint32_t v = 0; v < 20; ++v) pool.append(list, v);
    const std::size_t free_before = pool.free_chunks();
    pool.erase_if(list, [](std::uint32_t v) { return v % 4 != 0; });
    CHECK(items_of(list) == std::vector<std::uint32_t>{0, 4, 8, 12, 16});
    CHECK(list.size() == 5);
    CHECK(pool.free_chunks() == free_before + 7 - 2); // 7 chunks held before, 2 now
    pool.append(list, 99); // appends after the kept ones, in the part-filled last chunk
    CHECK(items_of(list) == std::vector<std::uint32_t>{0, 4, 8, 12, 16, 99});
    pool.erase_if(list, [](std::uint32_t) { return true; });
    CHECK(list.empty());
    CHECK(pool.free_chunks() == pool.chunks());
}

TEST_CASE("a moved pool keeps its lists' chunks and the moved-from pool is empty") {
    Pool pool;
    Pool::List list;
    for (std::uint32_t v = 0; v < 7; ++v) pool.append(list, v);
    Pool moved(std::move(pool));
    CHECK(pool.chunks() == 0); // NOLINT(bugprone-use-after-move): the contract says empty
    CHECK(items_of(list) == std::vector<std::uint32_t>{0, 1, 2, 3, 4, 5, 6});
    moved.release(list);
    CHECK(moved.free_chunks() == moved.chunks());
    Pool::List again;
    pool.append(again, 1); // the moved-from pool works as a new one
    CHECK(items_of(again) == std::vector<std::uint32_t>{1});
}
