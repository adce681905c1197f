#include "run/step_buffer_pool.hpp"

#include <algorithm>
#include <utility>

namespace tcsim::run {

training::StepBuffers StepBufferPool::take() {
    const std::lock_guard lock(mutex_);
    if (free_.empty()) return {};
    // The largest: a run takes its largest step first, so it grows no table.
    const auto largest = std::max_element(free_.begin(), free_.end(), [](const auto& a, const auto& b) {
        return a.bytes() < b.bytes();
    });
    training::StepBuffers out = std::move(*largest);
    free_.erase(largest);
    return out;
}

void StepBufferPool::give(training::StepBuffers buffers) {
    const std::lock_guard lock(mutex_);
    free_.push_back(std::move(buffers));
}

std::size_t StepBufferPool::free_sets() const {
    const std::lock_guard lock(mutex_);
    return free_.size();
}

LentBuffers::LentBuffers(StepBufferPool* pool, std::size_t sets) : pool_(pool) {
    sets_.reserve(sets);
    for (std::size_t i = 0; i < sets; ++i) sets_.push_back(pool_ != nullptr ? pool_->take() : training::StepBuffers{});
}

LentBuffers::~LentBuffers() {
    if (pool_ == nullptr) return;
    for (training::StepBuffers& b : sets_) pool_->give(std::move(b));
}

} // namespace tcsim::run
