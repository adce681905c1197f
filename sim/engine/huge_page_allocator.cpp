#include "engine/huge_page_allocator.hpp"

#include <cstdint>
#include <limits>
#include <new>

#include <sys/mman.h>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TCSIM_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define TCSIM_ASAN 1
#endif

namespace tcsim::engine::detail {
namespace {
constexpr std::size_t kHugePage = std::size_t{2} << 20;

std::size_t whole_pages(std::size_t bytes) { return (bytes + kHugePage - 1) / kHugePage * kHugePage; }
} // namespace

bool huge_pages_mapped() {
#ifdef TCSIM_ASAN
    return false;
#else
    return true;
#endif
}

void* map_huge(std::size_t bytes) {
    // No mapping is that large; refused before the rounding below could wrap around.
    if (bytes > (std::numeric_limits<std::size_t>::max() >> 2)) throw std::bad_alloc();
    const std::size_t len = whole_pages(bytes);
    // One huge page more than needed, so that a 2 MiB boundary lies inside; the ends are
    // given back.
    void* raw = mmap(nullptr, len + kHugePage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED) throw std::bad_alloc();
    const auto start = reinterpret_cast<std::uintptr_t>(raw);
    const std::uintptr_t aligned = (start + kHugePage - 1) / kHugePage * kHugePage;
    if (aligned > start) munmap(raw, aligned - start);
    const std::uintptr_t end = start + len + kHugePage;
    if (end > aligned + len) munmap(reinterpret_cast<void*>(aligned + len), end - (aligned + len));
    void* p = reinterpret_cast<void*>(aligned);
#ifdef MADV_HUGEPAGE
    madvise(p, len, MADV_HUGEPAGE); // advice only: refused or ignored, the memory still works
#endif
    return p;
}

void unmap_huge(void* p, std::size_t bytes) noexcept { munmap(p, whole_pages(bytes)); }

} // namespace tcsim::engine::detail
