// Work spread over threads with results in input order, so that the output of a run, a search or
// a sweep is the same bytes for any thread count.
//
// Contract: parallel_map(n, threads, f) calls f(i) once for every i in [0, n) on up to
// `threads` threads (taking the next unclaimed index each time) and returns the results in
// index order. If any call throws, the exception of the lowest index that threw is rethrown
// after every thread has stopped. `tick(done)` runs after each call, one at a time (under a
// lock), with the number of calls finished so far. parallel_invoke(threads, tasks) runs each
// task once the same way (each writes its own result), rethrowing as parallel_map does.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace tcsim::run {

template <class T, class F>
std::vector<T> parallel_map(std::size_t n, int threads, F f, const std::function<void(std::size_t)>& tick = {}) {
    std::vector<T> out(n);
    std::vector<std::exception_ptr> errors(n);
    std::atomic<std::size_t> next{0};
    std::mutex tick_mutex;
    std::size_t done = 0;
    auto work = [&] {
        for (std::size_t i = next++; i < n; i = next++) {
            try {
                out[i] = f(i);
            } catch (...) {
                errors[i] = std::current_exception();
            }
            const std::lock_guard lock(tick_mutex);
            ++done;
            if (tick) tick(done);
        }
    };
    const std::size_t count = std::min<std::size_t>(n, static_cast<std::size_t>(std::max(1, threads)));
    std::vector<std::thread> pool;
    for (std::size_t t = 1; t < count; ++t) pool.emplace_back(work);
    work();
    for (auto& thread : pool) thread.join();
    for (const auto& e : errors)
        if (e) std::rethrow_exception(e);
    return out;
}

inline void parallel_invoke(int threads, const std::vector<std::function<void()>>& tasks) {
    parallel_map<char>(tasks.size(), threads, [&](std::size_t i) {
        tasks[i]();
        return char{};
    });
}

} // namespace tcsim::run
