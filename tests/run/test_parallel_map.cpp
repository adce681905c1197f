// run/parallel_map.hpp: results in index order for any thread count, the lowest failing index's
// exception, and the caller's per-thread workers each serving one thread at a time.
#include "run/parallel_map.hpp"

#include <doctest/doctest.h>

#include <cstddef>
#include <span>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using namespace tcsim;

TEST_CASE("parallel_map with workers: results in index order, each worker on one thread at a time") {
    // Contract: "calling f(workers[t], i) on thread t: each element serves one thread, so f may
    // change it without a lock". Each worker records the thread it ran on and the calls it made;
    // every index is called once whatever the number of workers, and the results are in order.
    struct Worker {
        std::vector<std::size_t> calls;
        std::vector<std::thread::id> threads;
    };
    for (const std::size_t count : {1U, 2U, 3U, 8U}) {
        CAPTURE(count);
        std::vector<Worker> workers(count);
        const auto out = run::parallel_map<std::size_t>(100, std::span<Worker>(workers), [](Worker& w, std::size_t i) {
            w.calls.push_back(i);
            w.threads.push_back(std::this_thread::get_id());
            return i * i;
        });
        REQUIRE(out.size() == 100);
        for (std::size_t i = 0; i < out.size(); ++i) CHECK(out[i] == i * i);
        std::vector<int> seen(100, 0);
        for (const Worker& w : workers) {
            for (const std::size_t i : w.calls) ++seen[i];
            for (const auto& id : w.threads) CHECK(id == w.threads.front());
            // A worker's calls are in increasing order: it takes the next unclaimed index each time.
            for (std::size_t k = 1; k < w.calls.size(); ++k) CHECK(w.calls[k - 1] < w.calls[k]);
        }
        for (const int s : seen) CHECK(s == 1);
    }
}

TEST_CASE("parallel_map with workers rethrows the lowest failing index's exception and refuses no workers") {
    std::vector<int> workers(2);
    CHECK_THROWS_WITH_AS(run::parallel_map<int>(10, std::span<int>(workers),
                                                [](int&, std::size_t i) -> int {
                                                    if (i == 3 || i == 7) throw std::runtime_error(std::to_string(i));
                                                    return 0;
                                                }),
                         "3", std::runtime_error);
    std::vector<int> none;
    CHECK_THROWS_AS(run::parallel_map<int>(1, std::span<int>(none), [](int&, std::size_t) { return 0; }),
                    std::invalid_argument);
    CHECK(run::parallel_map<int>(0, std::span<int>(none), [](int&, std::size_t) { return 0; }).empty());
}
