// Processes, events, timeouts and any_of against their contracts (sim/engine/process.hpp,
// event.hpp, any_of.hpp). Every expected time and order is derived by hand in the comment above
// its check.
#include "engine/any_of.hpp"
#include "engine/event.hpp"
#include "engine/process.hpp"
#include "engine/sim_time.hpp"
#include "engine/simulation.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

using namespace std::chrono_literals;
using tcsim::engine::any_of;
using tcsim::engine::Duration;
using tcsim::engine::Event;
using tcsim::engine::Process;
using tcsim::engine::ProcessRef;
using tcsim::engine::SimTime;
using tcsim::engine::Simulation;
using tcsim::engine::start;
using tcsim::engine::timeout;
using tcsim::engine::Timeout;

namespace {

std::int64_t ns_of(SimTime t) { return t.time_since_epoch().count(); }

using Trace = std::vector<std::pair<std::string, std::int64_t>>;

void note(Trace& trace, Simulation& sim, std::string what) { trace.emplace_back(std::move(what), ns_of(sim.now())); }

Process sleeper(Simulation& sim, Trace& trace, std::string name, Duration nap, int naps) {
    note(trace, sim, name + " starts");
    for (int i = 0; i < naps; ++i) {
        co_await timeout(sim, nap);
        note(trace, sim, name + " wakes");
    }
}

Process wait_for(Simulation& sim, Trace& trace, std::string name, Event& event) {
    co_await event;
    note(trace, sim, name + " resumes");
}

// Sets a flag when destroyed: shows that a frame (which holds it) was freed.
struct Flag {
    bool* destroyed;
    explicit Flag(bool* d) : destroyed(d) {}
    Flag(const Flag&) = delete;
    Flag& operator=(const Flag&) = delete;
    ~Flag() { *destroyed = true; }
};

} // namespace

TEST_CASE("a process runs only once started, at now(), through the queue") {
    // Made at t=0, started at t=0: its first line runs when the kernel pops its start entry, not
    // inside start(); it then sleeps 5 ns twice: wakes at 5 and 10.
    Simulation sim;
    Trace trace;
    Process p = sleeper(sim, trace, "a", 5ns, 2);
    CHECK(trace.empty());
    ProcessRef ref = start(sim, std::move(p));
    CHECK(trace.empty());
    CHECK(sim.pending() == 1);
    sim.run();
    const Trace expected{{"a starts", 0}, {"a wakes", 5}, {"a wakes", 10}};
    CHECK(trace == expected);
    CHECK(ref.done());
    CHECK(sim.now() == SimTime{Duration{10}});
}

TEST_CASE("processes started at the same time begin in the order started") {
    // "Events at equal times run in scheduling order": b is started after a, so it starts after a;
    // a sleeps 3 ns, b 2 ns: b wakes at 2, a at 3.
    Simulation sim;
    Trace trace;
    auto a = start(sim, sleeper(sim, trace, "a", 3ns, 1));
    auto b = start(sim, sleeper(sim, trace, "b", 2ns, 1));
    sim.run();
    const Trace expected{{"a starts", 0}, {"b starts", 0}, {"b wakes", 2}, {"a wakes", 3}};
    CHECK(trace == expected);
}

TEST_CASE("a timeout and a callback at the same time run in the order they were scheduled") {
    // The callback for t=4 is scheduled at t=0, before the process starts; the process's 4 ns
    // timeout is scheduled when it starts (also t=0, later): callback first, then the process.
    // A second callback scheduled after start() but before run() is queued before the timeout too.
    Simulation sim;
    Trace trace;
    sim.schedule_at(SimTime{Duration{4}}, [&] { note(trace, sim, "callback 1"); });
    auto p = start(sim, sleeper(sim, trace, "p", 4ns, 1));
    sim.schedule_at(SimTime{Duration{4}}, [&] { note(trace, sim, "callback 2"); });
    sim.run();
    const Trace expected{{"p starts", 0}, {"callback 1", 4}, {"callback 2", 4}, {"p wakes", 4}};
    CHECK(trace == expected);
}

TEST_CASE("an event succeeded by a callback resumes its waiters in the order they began to wait") {
    // Two processes wait on one event from t=0; a callback succeeds it at t=7: both resume at 7,
    // first the one that waited first. The processing is its own queue entry, after the callback.
    Simulation sim;
    Trace trace;
    Event go(sim);
    auto first = start(sim, wait_for(sim, trace, "first", go));
    auto second = start(sim, wait_for(sim, trace, "second", go));
    sim.schedule_at(SimTime{Duration{7}}, [&] {
        go.succeed();
        CHECK(go.triggered());
        CHECK_FALSE(go.processed());
        note(trace, sim, "succeeded");
    });
    sim.run();
    const Trace expected{{"succeeded", 7}, {"first resumes", 7}, {"second resumes", 7}};
    CHECK(trace == expected);
    CHECK(go.processed());
}

TEST_CASE("waiting on a processed event does not suspend; succeeding twice throws") {
    // The event is processed at t=0 (succeeded before run); the process starts at t=0 after it
    // (started later) and finds it processed: it resumes at once, at t=0.
    Simulation sim;
    Trace trace;
    Event go(sim);
    go.succeed();
    CHECK_THROWS_AS(go.succeed(), std::logic_error);
    auto p = start(sim, wait_for(sim, trace, "late", go));
    sim.run();
    const Trace expected{{"late resumes", 0}};
    CHECK(trace == expected);
}

namespace {

Process racer(Simulation& sim, Trace& trace, Event& failure, Duration work, std::size_t* winner) {
    Timeout done(sim, work);
    *winner = co_await any_of(done, failure);
    note(trace, sim, *winner == 0 ? "segment done" : "failure");
}

} // namespace

TEST_CASE("any_of: a segment races a failure; the first in the kernel's order wins") {
    SUBCASE("the failure comes first: at t=3, before the segment's t=10") {
        Simulation sim;
        Trace trace;
        Event failure(sim);
        std::size_t winner = 99;
        auto p = start(sim, racer(sim, trace, failure, 10ns, &winner));
        sim.schedule_at(SimTime{Duration{3}}, [&] { failure.succeed(); });
        sim.run();
        CHECK(winner == 1);
        const Trace expected{{"failure", 3}};
        CHECK(trace == expected);
        // The losing timeout was destroyed with the frame: cancelled, so time stopped at 3.
        CHECK(sim.now() == SimTime{Duration{3}});
    }
    SUBCASE("the segment comes first: at t=10, before the failure's t=12") {
        Simulation sim;
        Trace trace;
        Timeout failure(sim, 12ns);
        std::size_t winner = 99;
        auto p = start(sim, racer(sim, trace, failure, 10ns, &winner));
        sim.run();
        CHECK(winner == 0);
        const Trace expected{{"segment done", 10}};
        CHECK(trace == expected);
        CHECK(failure.processed()); // the loser still happened, at 12
        CHECK(sim.now() == SimTime{Duration{12}});
    }
    SUBCASE("a tie at t=10: the failure timeout was scheduled first (before start), so it wins") {
        Simulation sim;
        Trace trace;
        Timeout failure(sim, 10ns);
        std::size_t winner = 99;
        auto p = start(sim, racer(sim, trace, failure, 10ns, &winner));
        sim.run();
        CHECK(winner == 1);
        const Trace expected{{"failure", 10}};
        CHECK(trace == expected);
    }
    SUBCASE("already processed: no suspension, the lowest processed position") {
        Simulation sim;
        Trace trace;
        Event failure(sim);
        failure.succeed();
        std::size_t winner = 99;
        sim.run(); // processes `failure` at t=0
        auto p = start(sim, racer(sim, trace, failure, 10ns, &winner));
        sim.run();
        CHECK(winner == 1);
        const Trace expected{{"failure", 0}};
        CHECK(trace == expected);
    }
}

namespace {

Process parent(Simulation& sim, Trace& trace) {
    ProcessRef child = start(sim, sleeper(sim, trace, "child", 6ns, 1));
    note(trace, sim, "parent waits");
    co_await child;
    note(trace, sim, "parent resumes");
    // Waiting on a process already finished and processed does not suspend.
    co_await child;
    note(trace, sim, "parent again");
}

} // namespace

TEST_CASE("a process waits for another to finish") {
    // The child starts at 0 (after the parent's first lines), sleeps 6 ns and returns at 6; its
    // finished() event is processed at 6, resuming the parent at 6.
    Simulation sim;
    Trace trace;
    auto p = start(sim, parent(sim, trace));
    sim.run();
    const Trace expected{
        {"parent waits", 0}, {"child starts", 0}, {"child wakes", 6}, {"parent resumes", 6}, {"parent again", 6}};
    CHECK(trace == expected);
    CHECK(p.done());
    CHECK(p.finished().processed());
}

namespace {

Process holds_flag(Simulation& sim, Event& never, bool* destroyed) {
    Flag flag(destroyed);
    Timeout far(sim, 1'000ns);
    co_await never;
}

} // namespace

TEST_CASE("destroying a simulation destroys its suspended processes and cancels their timeouts") {
    // The process waits at t=0 on an event nobody succeeds, holding a 1000 ns timeout. Running to
    // t=10 leaves it suspended; the Simulation's destructor frees its frame (the Flag's destructor
    // runs), which cancels the timeout in a queue still intact. ASan checks the rest.
    bool destroyed = false;
    {
        auto sim = std::make_unique<Simulation>();
        Event never(*sim);
        auto p = start(*sim, holds_flag(*sim, never, &destroyed));
        sim->run_until(SimTime{Duration{10}});
        CHECK_FALSE(destroyed);
        CHECK(sim->pending() == 1); // the timeout
        sim.reset();
        CHECK(destroyed);
        CHECK_FALSE(p.done());
    }
    SUBCASE("a process never started is destroyed by its Process handle") {
        bool freed = false;
        {
            Simulation sim;
            Event never(sim);
            Process p = holds_flag(sim, never, &freed);
        }
        // The body never ran, so the Flag was never constructed: nothing to free but the frame.
        CHECK_FALSE(freed);
    }
    SUBCASE("an event destroyed while a process waits on it leaves the process suspended") {
        bool freed = false;
        Simulation sim;
        auto never = std::make_unique<Event>(sim);
        auto p = start(sim, holds_flag(sim, *never, &freed));
        sim.run_until(SimTime{Duration{1}});
        never.reset();
        sim.run(); // the timeout fires at 1000; the process waits on nothing now
        CHECK(sim.now() == SimTime{Duration{1'000}});
        CHECK_FALSE(freed);
        CHECK_FALSE(p.done());
    }
}

namespace {

Process thrower(Simulation& sim, Event& go) {
    co_await go;
    throw std::runtime_error("process failed at t=" + std::to_string(ns_of(sim.now())));
}

} // namespace

TEST_CASE("an exception in a process propagates out of run(), and the caller may go on") {
    // Three processes wait on one event succeeded at t=5: the second throws when resumed. run()
    // throws at t=5 after the first resumed; the third resumes when the caller runs again, still
    // at t=5 ("the rest ... resume in a new queue entry at the same time").
    Simulation sim;
    Trace trace;
    Event go(sim);
    auto first = start(sim, wait_for(sim, trace, "first", go));
    auto bad = start(sim, thrower(sim, go));
    auto third = start(sim, wait_for(sim, trace, "third", go));
    sim.schedule_at(SimTime{Duration{5}}, [&] { go.succeed(); });
    CHECK_THROWS_WITH_AS(sim.run(), "process failed at t=5", std::runtime_error);
    const Trace after_throw{{"first resumes", 5}};
    CHECK(trace == after_throw);
    CHECK(sim.now() == SimTime{Duration{5}});
    CHECK_FALSE(bad.done());
    sim.run();
    const Trace expected{{"first resumes", 5}, {"third resumes", 5}};
    CHECK(trace == expected);
    CHECK(first.done());
    CHECK(third.done());
}

TEST_CASE("a timeout refuses a negative delay like schedule_after") {
    Simulation sim;
    CHECK_THROWS_AS(Timeout(sim, -1ns), std::invalid_argument);
    CHECK(sim.pending() == 0);
}
