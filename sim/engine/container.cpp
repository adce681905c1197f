#include "engine/container.hpp"

#include <cmath>
#include <stdexcept>

namespace tcsim::engine {

Container::Container(Simulation& sim, double capacity, double initial_level)
    : sim_(&sim), capacity_(capacity), level_(initial_level) {
    if (!(capacity > 0) || !std::isfinite(capacity))
        throw std::invalid_argument("Container: the capacity must be a finite number > 0");
    if (!(initial_level >= 0 && initial_level <= capacity))
        throw std::invalid_argument("Container: the initial level must be in [0, capacity]");
}

Container::Request Container::put(double amount) {
    if (!(amount > 0 && amount <= capacity_))
        throw std::invalid_argument("Container::put: the amount must be in (0, capacity]");
    return Request(*this, Request::Kind::put, amount);
}

Container::Request Container::get(double amount) {
    if (!(amount > 0 && amount <= capacity_))
        throw std::invalid_argument("Container::get: the amount must be in (0, capacity]");
    return Request(*this, Request::Kind::get, amount);
}

void Container::serve() {
    for (bool moved = true; moved;) {
        moved = false;
        while (!gets_.empty()) {
            auto& r = static_cast<Request&>(static_cast<detail::Grant&>(gets_.front()));
            if (level_ < r.amount_) break;
            r.grant(*sim_, granted_); // first: if it throws, nothing has changed
            level_ -= r.amount_;
            moved = true;
        }
        while (!puts_.empty()) {
            auto& r = static_cast<Request&>(static_cast<detail::Grant&>(puts_.front()));
            if (capacity_ - level_ < r.amount_) break;
            r.grant(*sim_, granted_);
            level_ += r.amount_;
            moved = true;
        }
    }
}

Container::Request::~Request() {
    // A get served but never resumed: its amount goes back. A put's amount is in the container
    // from the moment it was served, whether or not its process ever learns it.
    if (withdraw() && kind_ == Kind::get) {
        container_->level_ += amount_;
        container_->serve();
    }
}

bool Container::Request::await_ready() {
    Container& c = *container_;
    if (kind_ == Kind::put) {
        if (!c.puts_.empty() || c.capacity_ - c.level_ < amount_) return false;
        c.level_ += amount_;
    } else {
        if (!c.gets_.empty() || c.level_ < amount_) return false;
        c.level_ -= amount_;
    }
    c.serve();
    return true;
}

void Container::Request::await_suspend(std::coroutine_handle<> h) {
    process = h;
    (kind_ == Kind::put ? container_->puts_ : container_->gets_).push_back(*this);
}

} // namespace tcsim::engine
