// Memory for the large tables a step builds: the program's ops, the executor's ops and edges, the
// link lists of flow classes (tens to hundreds of MB for a long context). A run's steps on one
// thread reuse the program's and the executor's (training/step_buffers.hpp), but every run's first
// step and every flow class touch fresh memory, and
// touching fresh 4 KiB pages one at a time cost about a third of a whole DeepSeek-V3 run's CPU
// (page faults in the kernel, and TLB misses after). Blocks of at least kHugeFrom bytes are
// mapped on 2 MiB boundaries and advised as transparent huge pages (madvise(MADV_HUGEPAGE):
// Linux backs them with 2 MiB pages where it can, 512 times fewer faults; elsewhere the advice is
// ignored and the memory behaves as any other). Smaller blocks come from operator new.
//
// Contract
// - A standard allocator (stateless, every instance equal): std::vector<T, HugePageAllocator<T>>
//   behaves as std::vector<T> but for where its storage lives. allocate() throws std::bad_alloc
//   when the memory cannot be had; deallocate() never throws.
// - Nothing else changes: the bytes a simulation writes are the same whatever backs them.
// - Under AddressSanitizer every block comes from operator new, so that ASan still sees them.
#pragma once

#include <cstddef>
#include <new>
#include <vector>

namespace tcsim::engine {

namespace detail {
/// Blocks from this size up are mapped as huge pages; below it, operator new.
inline constexpr std::size_t kHugeFrom = std::size_t{4} << 20;
void* map_huge(std::size_t bytes);                     // throws std::bad_alloc
void unmap_huge(void* p, std::size_t bytes) noexcept;  // bytes as given to map_huge
bool huge_pages_mapped();                              // false under AddressSanitizer
} // namespace detail

template <class T>
struct HugePageAllocator {
    using value_type = T;

    HugePageAllocator() noexcept = default;
    template <class U>
    explicit(false) HugePageAllocator(const HugePageAllocator<U>&) noexcept {}

    [[nodiscard]] T* allocate(std::size_t n) {
        if (n > static_cast<std::size_t>(-1) / sizeof(T)) throw std::bad_array_new_length();
        const std::size_t bytes = n * sizeof(T);
        if (bytes >= detail::kHugeFrom && detail::huge_pages_mapped())
            return static_cast<T*>(detail::map_huge(bytes));
        return static_cast<T*>(::operator new(bytes, std::align_val_t{alignof(T)}));
    }
    void deallocate(T* p, std::size_t n) noexcept {
        const std::size_t bytes = n * sizeof(T);
        if (bytes >= detail::kHugeFrom && detail::huge_pages_mapped())
            detail::unmap_huge(p, bytes);
        else
            ::operator delete(p, std::align_val_t{alignof(T)});
    }

    template <class U>
    bool operator==(const HugePageAllocator<U>&) const noexcept {
        return true;
    }
};

/// A std::vector whose storage is on huge pages once large.
template <class T>
using HugeVector = std::vector<T, HugePageAllocator<T>>;

} // namespace tcsim::engine
