// The queue of suspended processes that an event or a resource keeps: an intrusive FIFO list.
//
// Contract
// - A WaitNode lives inside the awaiter of a suspended process (in its coroutine frame), so
//   waiting allocates nothing. It is in at most one WaitList at a time.
// - Order is first in, first out: push_back() appends, front() is the oldest.
// - Destroying a node unlinks it, and destroying (or clear()ing) a list detaches its nodes, so
//   either may go first: a process destroyed while it waits leaves its queue intact, and an
//   event destroyed while processes wait on it leaves them suspended, not dangling.
// - Internal to the engine (namespace detail): processes use event.hpp, any_of.hpp and the
//   resources, never this header directly.
#pragma once

#include <cstddef>

namespace tcsim::engine::detail {

class WaitList;

class WaitNode {
public:
    WaitNode() = default;
    WaitNode(const WaitNode&) = delete;
    WaitNode& operator=(const WaitNode&) = delete;

    bool linked() const { return next_ != nullptr; }
    void unlink() noexcept {
        if (next_ == nullptr) return;
        prev_->next_ = next_;
        next_->prev_ = prev_;
        prev_ = next_ = nullptr;
    }

protected:
    ~WaitNode() { unlink(); }

private:
    friend class WaitList;
    WaitNode* prev_ = nullptr;
    WaitNode* next_ = nullptr;
};

class WaitList {
public:
    WaitList() { head_.prev_ = head_.next_ = &head_; }
    WaitList(const WaitList&) = delete;
    WaitList& operator=(const WaitList&) = delete;
    ~WaitList() { clear(); }

    bool empty() const { return head_.next_ == &head_; }
    // O(n): a diagnostic.
    std::size_t size() const {
        std::size_t n = 0;
        for (const WaitNode* p = head_.next_; p != &head_; p = p->next_) ++n;
        return n;
    }
    // The oldest node; the list must not be empty.
    WaitNode& front() const { return *head_.next_; }

    void push_back(WaitNode& node) noexcept {
        node.unlink();
        node.prev_ = head_.prev_;
        node.next_ = &head_;
        head_.prev_->next_ = &node;
        head_.prev_ = &node;
    }

    // Moves every node of `from` to the end of this list, in order.
    void splice(WaitList& from) noexcept {
        if (from.empty()) return;
        WaitNode* first = from.head_.next_;
        WaitNode* last = from.head_.prev_;
        from.head_.prev_ = from.head_.next_ = &from.head_;
        first->prev_ = head_.prev_;
        head_.prev_->next_ = first;
        last->next_ = &head_;
        head_.prev_ = last;
    }

    // Detaches every node (they stay where they are, linked to nothing).
    void clear() noexcept {
        WaitNode* n = head_.next_;
        while (n != &head_) {
            WaitNode* next = n->next_;
            n->prev_ = n->next_ = nullptr;
            n = next;
        }
        head_.prev_ = head_.next_ = &head_;
    }

private:
    struct Head : WaitNode {
        ~Head() = default;
    };
    Head head_;
};

} // namespace tcsim::engine::detail
