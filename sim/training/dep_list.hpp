// An op's dependencies: a list of op indices that keeps up to four in place and only longer
// lists on the heap. A step's program holds about a million ops (DeepSeek-V3 at 128K context:
// CP32 ring attention), nearly all with one to three dependencies; a std::vector each would
// be a million allocations and frees per step (issue 18).
//
// Contract: a contiguous sequence of std::uint32_t with the vector operations the program
// builder uses (push_back, reserve, clear, size, empty, iteration, data), so a
// std::span<const std::uint32_t> views it. Copies are deep; a moved-from list is empty.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <vector>

namespace tcsim::training {

class DepList {
public:
    using value_type = std::uint32_t;
    using iterator = value_type*;
    using const_iterator = const value_type*;
    static constexpr std::uint32_t kInline = 4;

    DepList() = default;
    DepList(std::initializer_list<value_type> values) { assign(values.begin(), values.size()); }
    DepList(const std::vector<value_type>& values) { assign(values.data(), values.size()); } // NOLINT: as a vector
    DepList(const DepList& other) { assign(other.data(), other.size()); }
    DepList(DepList&& other) noexcept { take(other); }
    DepList& operator=(const DepList& other) {
        if (this != &other) {
            clear();
            assign(other.data(), other.size());
        }
        return *this;
    }
    DepList& operator=(DepList&& other) noexcept {
        if (this != &other) {
            release();
            take(other);
        }
        return *this;
    }
    DepList& operator=(std::initializer_list<value_type> values) {
        clear();
        assign(values.begin(), values.size());
        return *this;
    }
    DepList& operator=(const std::vector<value_type>& values) {
        clear();
        assign(values.data(), values.size());
        return *this;
    }
    ~DepList() { release(); }

    [[nodiscard]] std::size_t size() const { return size_; }
    [[nodiscard]] bool empty() const { return size_ == 0; }
    [[nodiscard]] value_type* data() { return on_heap() ? heap_ : inline_; }
    [[nodiscard]] const value_type* data() const { return on_heap() ? heap_ : inline_; }
    [[nodiscard]] iterator begin() { return data(); }
    [[nodiscard]] iterator end() { return data() + size_; }
    [[nodiscard]] const_iterator begin() const { return data(); }
    [[nodiscard]] const_iterator end() const { return data() + size_; }
    value_type& operator[](std::size_t i) { return data()[i]; }
    const value_type& operator[](std::size_t i) const { return data()[i]; }

    void clear() { size_ = 0; }
    void reserve(std::size_t n) {
        if (n > capacity_) grow(n);
    }
    void push_back(value_type v) {
        if (size_ == capacity_) grow(std::max<std::size_t>(2 * static_cast<std::size_t>(capacity_), kInline));
        data()[size_++] = v;
    }

    friend bool operator==(const DepList& a, const DepList& b) {
        return std::equal(a.begin(), a.end(), b.begin(), b.end());
    }

private:
    [[nodiscard]] bool on_heap() const { return capacity_ > kInline; }
    void assign(const value_type* values, std::size_t n) {
        reserve(n);
        if (n > 0) std::memcpy(data(), values, n * sizeof(value_type));
        size_ = static_cast<std::uint32_t>(n);
    }
    void grow(std::size_t n) {
        auto* bigger = new value_type[n];
        if (size_ > 0) std::memcpy(bigger, data(), size_ * sizeof(value_type));
        release();
        heap_ = bigger;
        capacity_ = static_cast<std::uint32_t>(n);
    }
    void release() {
        if (on_heap()) delete[] heap_;
        capacity_ = kInline;
    }
    /// Takes other's contents; `this` holds nothing on the heap.
    void take(DepList& other) {
        size_ = other.size_;
        capacity_ = other.capacity_;
        if (other.on_heap())
            heap_ = other.heap_;
        else
            std::memcpy(inline_, other.inline_, sizeof(inline_));
        other.size_ = 0;
        other.capacity_ = kInline;
    }

    std::uint32_t size_ = 0;
    std::uint32_t capacity_ = kInline;
    union {
        value_type inline_[kInline] = {};
        value_type* heap_;
    };
};

} // namespace tcsim::training
