// What the kernel runs: a type-erased `void()` callable stored in place when it is small.
//
// Contract
// - Holds any callable F that is invocable as `F&` with no arguments and move-constructible
//   (copyable or not: unlike std::function, a lambda owning a unique_ptr is fine). Its result,
//   if any, is discarded.
// - No allocation for small callables: one whose type is at most kInlineBytes (40) bytes, at
//   most 8-aligned and nothrow-movable lives inside the Callback. That covers a lambda capturing
//   up to five pointers, a shared_ptr and three pointers, or a whole std::function. A larger one
//   is moved to the heap (one allocation), so nothing is refused.
// - Empty: a default-constructed or moved-from Callback, and one made from nullptr or from an
//   empty std::function or null function pointer, tests false. Calling an empty one is a
//   precondition violation (the kernel never does: it refuses empty callbacks when scheduled).
// - Moves never throw and never allocate; the callable's destructor runs exactly once, when the
//   last Callback holding it is destroyed or reset.
// - The kernel's queue (engine/event_queue.hpp, a friend) keeps a callable that needs no code to
//   move or destroy (trivially copyable and destructible) of at most kEntryBytes (8: a pointer, a
//   lambda capturing only `this`, a coroutine handle) as its bytes beside the queue's entry, and
//   makes the Callback back from them when the event runs; nothing of that is visible here.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstring>
#include <functional>
#include <new>
#include <type_traits>
#include <utility>

namespace tcsim::engine {

namespace detail {
class EventQueue;
}

class Callback {
public:
    static constexpr std::size_t kInlineBytes = 40;

    Callback() noexcept = default;
    Callback(std::nullptr_t) noexcept {} // NOLINT(google-explicit-constructor): as std::function

    template <class F>
    requires(!std::same_as<std::remove_cvref_t<F>, Callback> && std::invocable<std::remove_cvref_t<F>&> &&
             std::move_constructible<std::remove_cvref_t<F>>)
        Callback(F&& f) { // NOLINT(google-explicit-constructor): as std::function
        emplace(std::forward<F>(f));
    }

    // True if Callback(F) never throws: the callable is stored in place and made from F without
    // throwing (the kernel then builds it straight in its slot, engine/event_queue.hpp).
    template <class F>
    static constexpr bool constructs_in_place_nothrow() {
        using T = std::remove_cvref_t<F>;
        if constexpr (std::same_as<T, Callback>) {
            return std::is_rvalue_reference_v<F&&>;
        } else {
            return fits_inline<T>() && std::is_nothrow_constructible_v<T, F>;
        }
    }

    // Stores f as Callback(f) would (a Callback is moved from), into this empty Callback, with
    // no temporary. Precondition: *this is empty. If it throws, *this is still empty.
    template <class F>
    requires(std::same_as<std::remove_cvref_t<F>, Callback> ||
             (std::invocable<std::remove_cvref_t<F>&> && std::move_constructible<std::remove_cvref_t<F>>))
    void emplace(F&& f) noexcept(constructs_in_place_nothrow<F>()) {
        using T = std::remove_cvref_t<F>;
        if constexpr (std::same_as<T, Callback>) {
            static_assert(std::is_rvalue_reference_v<F&&>, "a Callback is moved, never copied");
            if (f.ops_ != nullptr) {
                relocate(*f.ops_, f.storage_, storage_);
                ops_ = std::exchange(f.ops_, nullptr);
            }
        } else {
            if constexpr (requires { f == nullptr; }) {
                if (f == nullptr) return; // a null function pointer or an empty std::function: empty
            }
            if constexpr (fits_inline<T>()) {
                ::new (static_cast<void*>(storage_)) T(std::forward<F>(f));
                ops_ = &kInlineOps<T>;
            } else {
                ::new (static_cast<void*>(storage_)) T*(new T(std::forward<F>(f)));
                ops_ = &kHeapOps<T>;
            }
        }
    }

    Callback(Callback&& other) noexcept : ops_(other.ops_) {
        if (ops_ != nullptr) {
            relocate(*ops_, other.storage_, storage_);
            other.ops_ = nullptr;
        }
    }
    Callback& operator=(Callback&& other) noexcept {
        if (this != &other) {
            reset();
            if (other.ops_ != nullptr) {
                relocate(*other.ops_, other.storage_, storage_);
                ops_ = std::exchange(other.ops_, nullptr);
            }
        }
        return *this;
    }
    Callback& operator=(std::nullptr_t) noexcept {
        reset();
        return *this;
    }
    Callback(const Callback&) = delete;
    Callback& operator=(const Callback&) = delete;
    ~Callback() { reset(); }

    explicit operator bool() const noexcept { return ops_ != nullptr; }

    void operator()() { ops_->invoke(storage_); }

    // Destroys the callable (if any); the Callback is then empty. The callable's destructor may
    // run user code, so the Callback is marked empty before it runs.
    void reset() noexcept {
        if (const Ops* ops = std::exchange(ops_, nullptr); ops != nullptr && ops->destroy != nullptr) {
            ops->destroy(storage_);
        }
    }

private:
    friend class detail::EventQueue;

    // A null relocate or destroy means the stored bytes need no code: a trivially copyable
    // callable (a lambda capturing pointers and numbers, a coroutine handle) or the heap case's
    // pointer is moved by copying the storage, and a trivially destructible one is not destroyed.
    // The kernel moves a callback out of its slot before calling it, and a Callback passed to
    // schedule_at into its slot and through the calls before, so that is one to three indirect
    // calls saved per event in the common case.
    struct Ops {
        void (*invoke)(void* storage);
        void (*relocate)(void* from, void* to) noexcept; // moves into `to` and destroys `from`
        void (*destroy)(void* storage) noexcept;
        bool fits_entry; // the callable is of a type for which fits_entry<T>() holds
    };

    // What the queue may keep in its entry: the first kEntryBytes of storage_ are the whole
    // callable, and copying them moves it, with nothing to destroy after.
    static constexpr std::size_t kEntryBytes = 8;
    template <class T>
    static constexpr bool fits_entry() {
        return fits_inline<T>() && sizeof(T) <= kEntryBytes && std::is_trivially_copyable_v<T> &&
               std::is_trivially_destructible_v<T>;
    }
    template <class T>
    static constexpr const Ops* ops_of() {
        return &kInlineOps<T>;
    }
    // A Callback holding the callable of `ops` whose kEntryBytes bytes are at `bytes` (ops->fits_entry).
    Callback(const Ops* ops, const void* bytes) noexcept : ops_(ops) { std::memcpy(storage_, bytes, kEntryBytes); }

    static void relocate(const Ops& ops, void* from, void* to) noexcept {
        if (ops.relocate == nullptr) {
            std::memcpy(to, from, kInlineBytes);
        } else {
            ops.relocate(from, to);
        }
    }

    template <class T>
    static constexpr bool fits_inline() {
        return sizeof(T) <= kInlineBytes && alignof(T) <= alignof(void*) && std::is_nothrow_move_constructible_v<T>;
    }

    template <class T>
    static constexpr void (*kInlineRelocate)(void*, void*) noexcept =
        std::is_trivially_copyable_v<T> ? nullptr : +[](void* from, void* to) noexcept {
            T* source = std::launder(static_cast<T*>(from));
            ::new (to) T(std::move(*source));
            source->~T();
        };
    template <class T>
    static constexpr void (*kInlineDestroy)(void*) noexcept =
        std::is_trivially_destructible_v<T> ? nullptr
                                            : +[](void* s) noexcept { std::launder(static_cast<T*>(s))->~T(); };

    template <class T>
    static constexpr Ops kInlineOps{
        [](void* s) { std::invoke(*std::launder(static_cast<T*>(s))); },
        kInlineRelocate<T>,
        kInlineDestroy<T>,
        fits_entry<T>(),
    };

    template <class T>
    static constexpr Ops kHeapOps{
        [](void* s) { std::invoke(**static_cast<T**>(s)); },
        nullptr, // the pointer's bytes
        [](void* s) noexcept { delete *static_cast<T**>(s); },
        false,
    };

    const Ops* ops_ = nullptr;
    alignas(void*) unsigned char storage_[kInlineBytes];
};

static_assert(sizeof(Callback) == 48);

} // namespace tcsim::engine
