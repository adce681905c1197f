#include "engine/resource.hpp"

#include <stdexcept>

namespace tcsim::engine {

Resource::Resource(Simulation& sim, std::size_t capacity) : sim_(&sim), capacity_(capacity) {
    if (capacity == 0) throw std::invalid_argument("Resource: the capacity must be at least 1");
}

std::size_t Resource::queued() const { return queue_.size(); }

void Resource::release() {
    if (in_use_ == 0) throw std::logic_error("Resource::release: no unit is in use");
    if (queue_.empty()) {
        --in_use_;
        return;
    }
    // The unit passes to the first waiter without ever being free, so nobody can overtake it.
    static_cast<Acquire&>(static_cast<detail::Grant&>(queue_.front())).grant(*sim_, granted_);
}

Resource::Acquire::~Acquire() {
    // Granted but never resumed (its process was destroyed): the unit comes back. A resource
    // destroyed first has detached us, so withdraw() is false and it is not touched.
    if (withdraw()) resource_->release();
}

bool Resource::Acquire::await_ready() {
    if (resource_->in_use_ < resource_->capacity_ && resource_->queue_.empty()) {
        ++resource_->in_use_;
        return true;
    }
    return false;
}

void Resource::Acquire::await_suspend(std::coroutine_handle<> h) {
    process = h;
    resource_->queue_.push_back(*this);
}

} // namespace tcsim::engine
