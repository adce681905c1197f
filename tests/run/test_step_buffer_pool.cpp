// The step buffers lent to the runs of one report (run/step_buffer_pool.hpp): the largest set
// given back is the next taken, a lent set comes back when its scope ends (an exception
// included); runs sharing them give the results of runs on their own (test_run_phases.cpp).
#include "run/step_buffer_pool.hpp"

#include <doctest/doctest.h>

#include <stdexcept>

using namespace tcsim;

namespace {

/// A set whose program list holds room for `ops` ops.
training::StepBuffers sized(std::size_t ops) {
    training::StepBuffers b;
    b.program_ops.reserve(ops);
    return b;
}

} // namespace

TEST_CASE("a pool hands out the largest set given back, or a new one when none is free") {
    run::StepBufferPool pool;
    CHECK(pool.take().bytes() == 0); // nothing given back yet: a fresh set
    pool.give(sized(1000));
    pool.give(sized(50'000));
    pool.give(sized(10));
    CHECK(pool.free_sets() == 3);
    const training::StepBuffers first = pool.take();
    CHECK(first.program_ops.capacity() >= 50'000); // the largest, so a run's largest step grows nothing
    CHECK(pool.take().program_ops.capacity() >= 1000);
    CHECK(pool.take().program_ops.capacity() >= 10);
    CHECK(pool.free_sets() == 0);
}

TEST_CASE("lent buffers go back to the pool when their scope ends, an exception included") {
    run::StepBufferPool pool;
    pool.give(sized(4096));
    {
        run::LentBuffers lent(&pool, 2); // one given back earlier, one new
        REQUIRE(lent.sets().size() == 2);
        CHECK(lent.sets()[0].program_ops.capacity() >= 4096);
        CHECK(pool.free_sets() == 0);
        lent.sets()[1].program_ops.reserve(100);
    }
    CHECK(pool.free_sets() == 2);
    CHECK_THROWS_AS(
        [&] {
            run::LentBuffers lent(&pool, 1);
            CHECK(pool.free_sets() == 1);
            throw std::runtime_error("a step failed");
        }(),
        std::runtime_error);
    CHECK(pool.free_sets() == 2);
    // Without a pool the sets are the scope's own.
    run::LentBuffers own(nullptr, 3);
    CHECK(own.sets().size() == 3);
    CHECK(pool.free_sets() == 2);
}
