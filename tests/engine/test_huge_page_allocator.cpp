// The allocator of the large per-step tables (engine/huge_page_allocator.hpp): a vector on it
// holds what a std::vector holds, large blocks are mapped on huge-page boundaries, and sizes that
// cannot be had are refused as any allocator refuses them.
#include "engine/huge_page_allocator.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <vector>

using tcsim::engine::HugePageAllocator;
namespace detail = tcsim::engine::detail;

TEST_CASE("a huge-page vector holds what a std::vector holds, small and large") {
    for (const std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{1000}, detail::kHugeFrom / 8 + 3,
                                std::size_t{3} * detail::kHugeFrom / 8 + 1}) {
        tcsim::engine::HugeVector<std::uint64_t> v(n);
        std::iota(v.begin(), v.end(), std::uint64_t{7});
        std::vector<std::uint64_t> plain(n);
        std::iota(plain.begin(), plain.end(), std::uint64_t{7});
        CHECK(std::equal(v.begin(), v.end(), plain.begin(), plain.end()));
        v.push_back(1); // grows past its capacity: moved to a new block, old one given back
        CHECK(v.size() == n + 1);
        CHECK(v.back() == 1);
        if (n > 0) CHECK(v.front() == 7);
    }
}

TEST_CASE("large blocks lie on 2 MiB boundaries (huge pages) unless AddressSanitizer needs them") {
    HugePageAllocator<char> a;
    const std::size_t big = detail::kHugeFrom + 12345;
    char* p = a.allocate(big);
    p[0] = 1;
    p[big - 1] = 2; // the whole block is writable, its last byte included
    CHECK(p[0] + p[big - 1] == 3);
    if (detail::huge_pages_mapped()) CHECK(reinterpret_cast<std::uintptr_t>(p) % (std::uintptr_t{2} << 20) == 0);
    a.deallocate(p, big);

    // Below the threshold: ordinary memory, aligned for the type.
    HugePageAllocator<double> d;
    double* q = d.allocate(3);
    CHECK(reinterpret_cast<std::uintptr_t>(q) % alignof(double) == 0);
    d.deallocate(q, 3);
    CHECK(HugePageAllocator<int>{} == HugePageAllocator<double>{});
}

TEST_CASE("an impossible size is refused with bad_alloc, not mapped") {
    HugePageAllocator<std::uint64_t> a;
    CHECK_THROWS_AS((void)a.allocate(static_cast<std::size_t>(-1) / 4), std::bad_array_new_length);
    // AddressSanitizer aborts on such a request instead of throwing: checked without it.
    if (detail::huge_pages_mapped()) {
        CHECK_THROWS_AS((void)a.allocate(std::size_t{1} << 58), std::bad_alloc);
        // Sizes whose rounding to whole huge pages would wrap around are refused, not mapped small.
        CHECK_THROWS_AS((void)detail::map_huge(static_cast<std::size_t>(-1) - 4096), std::bad_alloc);
    }
}
