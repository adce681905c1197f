// Resource, Container and Store against their contracts (sim/engine/resource.hpp,
// container.hpp, store.hpp), with SimPy's semantics. Every expected time and order is derived
// by hand in the comment above its check.
#include "engine/container.hpp"
#include "engine/event.hpp"
#include "engine/process.hpp"
#include "engine/resource.hpp"
#include "engine/sim_time.hpp"
#include "engine/simulation.hpp"
#include "engine/store.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

using namespace std::chrono_literals;
using tcsim::engine::Container;
using tcsim::engine::Duration;
using tcsim::engine::Event;
using tcsim::engine::Process;
using tcsim::engine::Resource;
using tcsim::engine::SimTime;
using tcsim::engine::Simulation;
using tcsim::engine::start;
using tcsim::engine::Store;
using tcsim::engine::timeout;

namespace {

std::int64_t ns_of(SimTime t) { return t.time_since_epoch().count(); }
using Trace = std::vector<std::pair<std::string, std::int64_t>>;
void note(Trace& trace, Simulation& sim, std::string what) { trace.emplace_back(std::move(what), ns_of(sim.now())); }

Process user(Simulation& sim, Trace& trace, Resource& r, std::string name, Duration hold) {
    co_await r.acquire();
    note(trace, sim, name + " acquires");
    co_await timeout(sim, hold);
    r.release();
    note(trace, sim, name + " releases");
}

} // namespace

TEST_CASE("resource of capacity 1: the second acquires at t=5 when the first releases") {
    // a takes the unit at 0 and holds it 5 ns; b asks at 0, waits, and gets it at 5 (the unit
    // passes straight to b), holds 3 ns: releases at 8.
    Simulation sim;
    Trace trace;
    Resource r(sim, 1);
    auto a = start(sim, user(sim, trace, r, "a", 5ns));
    auto b = start(sim, user(sim, trace, r, "b", 3ns));
    sim.run_until(SimTime{Duration{1}});
    CHECK(r.in_use() == 1);
    CHECK(r.queued() == 1);
    sim.run();
    const Trace expected{{"a acquires", 0}, {"a releases", 5}, {"b acquires", 5}, {"b releases", 8}};
    CHECK(trace == expected);
    CHECK(r.in_use() == 0);
}

TEST_CASE("resource of capacity 2: waiters are served first come, first served") {
    // Capacity 2, four users holding 10, 4, 6, 1 ns, all asking at t=0 in that order.
    // a: 0-10, b: 0-4; c waits, gets b's unit at 4, holds to 10; d waits behind c, gets a unit
    // at 10. At t=10 a's release (a's timeout was scheduled at 0) runs before c's (scheduled at 4),
    // so d takes a's unit at 10 and releases at 11.
    Simulation sim;
    Trace trace;
    Resource r(sim, 2);
    auto a = start(sim, user(sim, trace, r, "a", 10ns));
    auto b = start(sim, user(sim, trace, r, "b", 4ns));
    auto c = start(sim, user(sim, trace, r, "c", 6ns));
    auto d = start(sim, user(sim, trace, r, "d", 1ns));
    sim.run();
    const Trace expected{{"a acquires", 0},  {"b acquires", 0},  {"b releases", 4},  {"c acquires", 4},
                         {"a releases", 10}, {"c releases", 10}, {"d acquires", 10}, {"d releases", 11}};
    CHECK(trace == expected);
}

TEST_CASE("a process that releases and asks again queues behind the waiter") {
    // a holds the unit 0-2, releases (the unit passes to b) and asks again at 2: it waits for b,
    // which holds 2-5; a gets it back at 5.
    Simulation sim;
    Trace trace;
    Resource r(sim, 1);
    auto a = start(sim, [](Simulation& s, Trace& t, Resource& res) -> Process {
        co_await res.acquire();
        co_await timeout(s, 2ns);
        res.release();
        co_await res.acquire();
        note(t, s, "a again");
        res.release();
    }(sim, trace, r));
    auto b = start(sim, user(sim, trace, r, "b", 3ns));
    sim.run();
    const Trace expected{{"b acquires", 2}, {"b releases", 5}, {"a again", 5}};
    CHECK(trace == expected);
    CHECK_THROWS_AS(r.release(), std::logic_error);
    CHECK_THROWS_AS(Resource(sim, 0), std::invalid_argument);
}

TEST_CASE("destroying a simulation with a granted, unresumed request gives the unit back") {
    // Kernel entries, one step each: (1) b starts at 0 and takes the free unit, scheduling its
    // 1 ns timeout; (2) c starts at 0 and queues; (3) b's timeout at 1: b releases, the unit
    // passes to c and c's resumption is queued at 1. Stopping there and destroying the simulation
    // destroys c before it resumed: its request gives the unit back, so in_use() is 0, not 1.
    auto sim = std::make_unique<Simulation>();
    Resource r(*sim, 1);
    Trace trace;
    auto b = start(*sim, user(*sim, trace, r, "b", 1ns));
    auto c = start(*sim, user(*sim, trace, r, "c", 1ns));
    REQUIRE(sim->step());
    REQUIRE(sim->step());
    CHECK(r.queued() == 1);
    REQUIRE(sim->step());
    CHECK(b.done());
    CHECK(r.queued() == 0);
    CHECK(r.in_use() == 1);     // c's, granted
    CHECK(sim->pending() == 2); // c's resumption and b's finished() processing
    sim.reset();
    CHECK(r.in_use() == 0);
    const Trace expected{{"b acquires", 0}, {"b releases", 1}};
    CHECK(trace == expected);
}

namespace {

Process producer(Simulation& sim, Trace& trace, Container& tank, double amount, Duration every, int times) {
    for (int i = 0; i < times; ++i) {
        co_await timeout(sim, every);
        co_await tank.put(amount);
        note(trace, sim, "put " + std::to_string(static_cast<int>(amount)));
    }
}

Process consumer(Simulation& sim, Trace& trace, Container& tank, double amount) {
    co_await tank.get(amount);
    note(trace, sim, "got " + std::to_string(static_cast<int>(amount)));
}

} // namespace

TEST_CASE("container: a get waits until the level covers it; the head blocks those behind") {
    // Capacity 10, empty. A producer puts 3 every 2 ns (t=2, 4, 6, 8). Consumers ask at t=0 for
    // 5, then 1. The 1 could be served at t=2 but waits behind the 5 (FIFO, no overtaking):
    // level 3 at 2, 6 at 4 -> the 5 is served at 4 (level 1), then the 1 (level 0), both at 4.
    Simulation sim;
    Trace trace;
    Container tank(sim, 10.0);
    auto five = start(sim, consumer(sim, trace, tank, 5.0));
    auto one = start(sim, consumer(sim, trace, tank, 1.0));
    auto prod = start(sim, producer(sim, trace, tank, 3.0, 2ns, 4));
    sim.run();
    const Trace expected{{"put 3", 2}, {"put 3", 4}, {"got 5", 4}, {"got 1", 4}, {"put 3", 6}, {"put 3", 8}};
    CHECK(trace == expected);
    CHECK(tank.level() == 6.0);
}

TEST_CASE("container: a put waits while the container is too full") {
    // Capacity 4, starting at 3. A put of 2 at t=0 waits; a get of 2 at t=5 brings the level to
    // 1, and the put is served at once (level 3), resuming at 5.
    Simulation sim;
    Trace trace;
    Container tank(sim, 4.0, 3.0);
    auto prod = start(sim, producer(sim, trace, tank, 2.0, 0ns, 1));
    auto late = start(sim, [](Simulation& s, Trace& t, Container& c) -> Process {
        co_await timeout(s, 5ns);
        co_await c.get(2.0);
        note(t, s, "got 2");
    }(sim, trace, tank));
    sim.run();
    const Trace expected{{"got 2", 5}, {"put 2", 5}};
    CHECK(trace == expected);
    CHECK(tank.level() == 3.0);
    CHECK_THROWS_AS(tank.put(5.0), std::invalid_argument);
    CHECK_THROWS_AS(tank.get(0.0), std::invalid_argument);
    CHECK_THROWS_AS(Container(sim, 1.0, 2.0), std::invalid_argument);
}

namespace {

Process pinger(Simulation& sim, Trace& trace, Store<int>& out, Store<int>& in, int rounds, std::string name) {
    for (int i = 0; i < rounds; ++i) {
        co_await timeout(sim, 1ns);
        co_await out.put(i);
        note(trace, sim, name + " sent " + std::to_string(i));
        const int got = co_await in.get();
        note(trace, sim, name + " got " + std::to_string(got));
    }
}

Process ponger(Simulation& sim, Trace& trace, Store<int>& in, Store<int>& out, int rounds) {
    for (int i = 0; i < rounds; ++i) {
        const int got = co_await in.get();
        co_await timeout(sim, 2ns);
        co_await out.put(10 * got);
        note(trace, sim, "pong sent " + std::to_string(10 * got));
    }
}

} // namespace

TEST_CASE("store ping-pong: items arrive in order at hand-derived times") {
    // ping: hold 1, put i, get reply. pong: get, hold 2, put 10 * i. Round i takes 3 ns:
    // ping sends at 1, pong replies at 3 (ping gets 0 at 3), ping sends 1 at 4, reply 10 at 6.
    Simulation sim;
    Trace trace;
    Store<int> to_pong(sim);
    Store<int> to_ping(sim);
    auto pong = start(sim, ponger(sim, trace, to_pong, to_ping, 2));
    auto ping = start(sim, pinger(sim, trace, to_pong, to_ping, 2, "ping"));
    sim.run();
    const Trace expected{{"ping sent 0", 1}, {"pong sent 0", 3},  {"ping got 0", 3},
                         {"ping sent 1", 4}, {"pong sent 10", 6}, {"ping got 10", 6}};
    CHECK(trace == expected);
}

TEST_CASE("store of capacity 1: a second put waits until a get makes room") {
    // put "a" at 0 (stored), put "b" at 0 (waits: full). A get at 4 takes "a"; "b" enters at 4.
    // A get at 6 takes "b". Items leave in the order they entered.
    Simulation sim;
    Trace trace;
    Store<std::string> s(sim, 1);
    auto putter = start(sim, [](Simulation& si, Trace& t, Store<std::string>& st) -> Process {
        co_await st.put("a");
        note(t, si, "put a");
        co_await st.put("b");
        note(t, si, "put b");
    }(sim, trace, s));
    auto getter = start(sim, [](Simulation& si, Trace& t, Store<std::string>& st) -> Process {
        co_await timeout(si, 4ns);
        std::string x = co_await st.get();
        note(t, si, "got " + x);
        co_await timeout(si, 2ns);
        x = co_await st.get();
        note(t, si, "got " + x);
    }(sim, trace, s));
    sim.run();
    const Trace expected{{"put a", 0}, {"got a", 4}, {"put b", 4}, {"got b", 6}};
    CHECK(trace == expected);
    CHECK(s.size() == 0);
}
