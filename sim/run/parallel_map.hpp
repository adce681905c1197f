// Work spread over threads with results in input order, so that the output of a run, a search or
// a sweep is the same bytes for any thread count.
//
// Contract: parallel_map(n, threads, f) calls f(i) once for every i in [0, n) on up to
// `threads` threads (taking the next unclaimed index each time) and returns the results in
// index order. If any call throws, the exception of the lowest index that threw is rethrown
// after every thread has stopped. `tick(done)` runs after each call, one at a time (under a
// lock), with the number of calls finished so far. parallel_map(n, workers, f) does the same
// on one thread per element of `workers` (the caller's, e.g. the buffers a thread's calls
// reuse, training/step_buffers.hpp), calling f(workers[t], i) on thread t: each element serves
// one thread, so f may change it without a lock; which thread takes which index varies from run
// to run, so f's result must not depend on what earlier calls left in it (an empty `workers` is
// refused with std::invalid_argument when there are calls to make). parallel_invoke(threads,
// tasks) runs each task once the same way (each writes its own result), rethrowing as
// parallel_map does.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <span>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace tcsim::run {

template <class T, class Worker, class F>
std::vector<T> parallel_map(std::size_t n, std::span<Worker> workers, F f,
                            const std::function<void(std::size_t)>& tick = {}) {
    std::vector<T> out(n);
    std::vector<std::exception_ptr> errors(n);
    std::atomic<std::size_t> next{0};
    std::mutex tick_mutex;
    std::size_t done = 0;
    auto work = [&](Worker& worker) {
        for (std::size_t i = next++; i < n; i = next++) {
            try {
                out[i] = f(worker, i);
            } catch (...) {
                errors[i] = std::current_exception();
            }
            const std::lock_guard lock(tick_mutex);
            ++done;
            if (tick) tick(done);
        }
    };
    const std::size_t count = std::min(n, workers.size());
    if (count == 0) {
        if (n > 0) throw std::invalid_argument("parallel_map: no workers for " + std::to_string(n) + " calls");
        return out;
    }
    std::vector<std::thread> pool;
    for (std::size_t t = 1; t < count; ++t) pool.emplace_back(work, std::ref(workers[t]));
    work(workers[0]);
    for (auto& thread : pool) thread.join();
    for (const auto& e : errors)
        if (e) std::rethrow_exception(e);
    return out;
}

template <class T, class F>
std::vector<T> parallel_map(std::size_t n, int threads, F f, const std::function<void(std::size_t)>& tick = {}) {
    struct Nothing {};
    std::vector<Nothing> workers(static_cast<std::size_t>(std::max(1, threads)));
    return parallel_map<T>(
        n, std::span<Nothing>(workers), [&f](Nothing&, std::size_t i) { return f(i); }, tick);
}

inline void parallel_invoke(int threads, const std::vector<std::function<void()>>& tasks) {
    parallel_map<char>(tasks.size(), threads, [&](std::size_t i) {
        tasks[i]();
        return char{};
    });
}

} // namespace tcsim::run
