// One pool for a report's simulations (run/work_pool.hpp): pieces taken longest expected first,
// one StepBuffers lent per thread, results where their tickets say whatever the thread count,
// the first failing piece in the order added rethrown. Runs and post-training stages planned on
// one pool are checked against their one-call forms in test_run_phases.cpp and
// test_post_training.cpp.
#include "run/work_pool.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstddef>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

using namespace tcsim;

TEST_CASE("a work pool's results are where their tickets say, the same for any thread count") {
    // Contract: "its result is the same on any thread and for any thread count". Pieces of two
    // result types, with costs that reorder them, give i*i and the text of i at every count.
    for (const int threads : {1, 2, 3, 8}) {
        CAPTURE(threads);
        run::WorkPool pool;
        std::vector<run::WorkPool::Ticket<long long>> squares;
        std::vector<run::WorkPool::Ticket<std::string>> texts;
        for (int i = 0; i < 40; ++i) {
            squares.push_back(pool.add((i * 7) % 11, [i](training::StepBuffers&) { return 1LL * i * i; }));
            texts.push_back(pool.add(i % 3, [i](training::StepBuffers&) { return std::to_string(i); }));
        }
        CHECK(pool.size() == 80);
        pool.run(threads);
        for (int i = 0; i < 40; ++i) {
            CHECK(pool.result(squares[static_cast<std::size_t>(i)]) == 1LL * i * i);
            CHECK(pool.result(texts[static_cast<std::size_t>(i)]) == std::to_string(i));
        }
    }
}

TEST_CASE("a work pool takes its pieces longest expected first, ties in the order added") {
    // Graham's LPT rule: on one thread the pieces run in decreasing expected time.
    run::WorkPool pool;
    std::vector<int> ran;
    const std::vector<double> expected = {0.1, 3.0, 0.5, 3.0, 2.0, 0.0};
    for (std::size_t i = 0; i < expected.size(); ++i)
        (void)pool.add(expected[i], [&ran, i](training::StepBuffers&) {
            ran.push_back(static_cast<int>(i));
            return 0;
        });
    pool.run(1);
    CHECK(ran == std::vector<int>{1, 3, 4, 2, 0, 5});
}

TEST_CASE("each thread of a work pool lends its pieces one set of step buffers, taken from the report's") {
    // Contract: "Each thread lends the pieces it runs one training::StepBuffers, taken from
    // `buffers` ... and given back when run() returns".
    for (const int threads : {1, 2, 3}) {
        CAPTURE(threads);
        run::StepBufferPool buffers;
        run::WorkPool pool;
        std::mutex mutex;
        std::set<const training::StepBuffers*> lent;
        for (int i = 0; i < 30; ++i)
            (void)pool.add(1.0, [&](training::StepBuffers& b) {
                const std::lock_guard lock(mutex);
                lent.insert(&b);
                return 0;
            });
        pool.run(threads, &buffers);
        CHECK(lent.size() <= static_cast<std::size_t>(threads));
        CHECK(buffers.free_sets() == static_cast<std::size_t>(threads));
    }
}

TEST_CASE("a work pool rethrows the first failing piece in the order added, after every piece ran") {
    run::WorkPool pool;
    std::mutex mutex;
    int ran = 0;
    for (int i = 0; i < 10; ++i)
        (void)pool.add(i == 7 ? 10.0 : 1.0, [&, i](training::StepBuffers&) {
            {
                const std::lock_guard lock(mutex);
                ++ran;
            }
            if (i == 3 || i == 7) throw std::runtime_error("piece " + std::to_string(i));
            return i;
        });
    // Piece 7 runs first (the longest expected), piece 3 later: 3 is the one rethrown.
    CHECK_THROWS_WITH(pool.run(2), "piece 3");
    CHECK(ran == 10);
}

TEST_CASE("a work pool's result before its piece ran is refused; a second run does only the new pieces") {
    run::WorkPool pool;
    int calls = 0;
    const auto first = pool.add(1.0, [&](training::StepBuffers&) { return ++calls; });
    CHECK_THROWS_AS((void)pool.result(first), std::logic_error);
    pool.run(2);
    CHECK(pool.result(first) == 1);
    const auto second = pool.add(1.0, [&](training::StepBuffers&) { return ++calls * 10; });
    CHECK_THROWS_AS((void)pool.result(second), std::logic_error);
    pool.run(2);
    CHECK(pool.result(first) == 1);
    CHECK(pool.result(second) == 20);
    CHECK(calls == 2);
}
