// A FIFO store of items of type T that processes put into and get from, waiting while it is
// full or empty.
//
// Semantics follow SimPy's Store (simpy.resources.store.Store): "Resource with capacity slots
// for storing arbitrary objects. By default, the capacity is unlimited and objects are put and
// retrieved from the store in a first-in first-out order." Puts wait while the store holds
// `capacity` items, gets while it is empty; each kind waits in its own FIFO queue.
//
// Contract
// - `co_await s.put(item)` stores the item (taken by value when put() is called);
//   `T item = co_await s.get()` takes the oldest. A request that can be served at once, with
//   nobody queued ahead, does not suspend.
// - Every change serves the waiting gets (each takes the oldest item), then the waiting puts,
//   until neither moves; each served request's process resumes at now() through the kernel's
//   queue, in the order served. Items therefore leave in the order they entered, and a put
//   that waited enters after the items already stored.
// - A waiting process destroyed (with its Simulation) leaves its queue; a get destroyed after
//   it was served but before its process resumed puts its item back at the front.
// - T must be move-constructible. Lifetime as for Resource.
#pragma once

#include <coroutine>
#include <cstddef>
#include <deque>
#include <limits>
#include <optional>
#include <stdexcept>
#include <utility>

#include "engine/grant.hpp"
#include "engine/simulation.hpp"
#include "engine/wait_list.hpp"

namespace tcsim::engine {

template <class T>
class Store {
public:
    // Throws std::invalid_argument if capacity is 0.
    explicit Store(Simulation& sim, std::size_t capacity = std::numeric_limits<std::size_t>::max())
        : sim_(&sim), capacity_(capacity) {
        if (capacity == 0) throw std::invalid_argument("Store: the capacity must be at least 1");
    }
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;

    class [[nodiscard]] Put : detail::Grant {
    public:
        Put(const Put&) = delete;
        Put& operator=(const Put&) = delete;
        ~Put() { withdraw(); } // a served put's item is in the store already
        bool await_ready() {
            Store& s = *store_;
            if (!s.puts_.empty() || s.items_.size() >= s.capacity_) return false;
            s.items_.push_back(std::move(item_));
            s.serve();
            return true;
        }
        void await_suspend(std::coroutine_handle<> h) {
            process = h;
            store_->puts_.push_back(*this);
        }
        void await_resume() const noexcept {}

    private:
        friend class Store;
        Put(Store& s, T item) : store_(&s), item_(std::move(item)) {}
        Store* store_;
        T item_;
    };

    class [[nodiscard]] Get : detail::Grant {
    public:
        Get(const Get&) = delete;
        Get& operator=(const Get&) = delete;
        ~Get() {
            if (withdraw() && item_) {
                store_->items_.push_front(std::move(*item_));
                store_->serve();
            }
        }
        bool await_ready() {
            Store& s = *store_;
            if (!s.gets_.empty() || s.items_.empty()) return false;
            item_.emplace(std::move(s.items_.front()));
            s.items_.pop_front();
            s.serve();
            return true;
        }
        void await_suspend(std::coroutine_handle<> h) {
            process = h;
            store_->gets_.push_back(*this);
        }
        T await_resume() { return std::move(*item_); }

    private:
        friend class Store;
        explicit Get(Store& s) : store_(&s) {}
        Store* store_;
        std::optional<T> item_;
    };

    Put put(T item) { return Put(*this, std::move(item)); }
    Get get() { return Get(*this); }

    std::size_t capacity() const { return capacity_; }
    std::size_t size() const { return items_.size(); }

private:
    void serve() {
        for (bool moved = true; moved;) {
            moved = false;
            while (!gets_.empty() && !items_.empty()) {
                auto& g = static_cast<Get&>(static_cast<detail::Grant&>(gets_.front()));
                g.grant(*sim_, granted_); // first: if it throws, nothing has changed
                g.item_.emplace(std::move(items_.front()));
                items_.pop_front();
                moved = true;
            }
            while (!puts_.empty() && items_.size() < capacity_) {
                auto& p = static_cast<Put&>(static_cast<detail::Grant&>(puts_.front()));
                p.grant(*sim_, granted_);
                items_.push_back(std::move(p.item_));
                moved = true;
            }
        }
    }

    Simulation* sim_;
    std::size_t capacity_;
    std::deque<T> items_;
    detail::WaitList puts_;
    detail::WaitList gets_;
    detail::WaitList granted_;
};

} // namespace tcsim::engine
