// The kernel's queue (engine/event_queue.hpp) and callbacks (engine/callback.hpp), through the
// Simulation that uses them and on their own: the order the contract states, held against a
// plain ordered set, on the paths a radix heap has (refills across buckets, pushes below a
// look-ahead, cancelled entries surfacing, bucket 0 never running dry).
#include "engine/callback.hpp"
#include "engine/simulation.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <tuple>
#include <vector>

using tcsim::engine::Callback;
using tcsim::engine::Duration;
using tcsim::engine::EventId;
using tcsim::engine::SimTime;
using tcsim::engine::Simulation;

namespace {

SimTime at_ns(std::int64_t ns) { return SimTime{Duration{ns}}; }

} // namespace

TEST_CASE("an event scheduled below a time already looked ahead to still runs first") {
    // next_event_time() finds the event at 100 ns; run_until(50 ns) stops short of it, so events
    // scheduled then at 60 and 70 ns come before it, and one at 100 ns after it (scheduled later).
    Simulation sim;
    std::vector<int> order;
    sim.schedule_at(at_ns(200), [&] { order.push_back(5); });
    sim.schedule_at(at_ns(100), [&] { order.push_back(3); });
    REQUIRE(sim.next_event_time() == at_ns(100));
    sim.run_until(at_ns(50));
    sim.schedule_at(at_ns(70), [&] { order.push_back(2); });
    sim.schedule_at(at_ns(60), [&] { order.push_back(0); });
    sim.schedule_at(at_ns(60), [&] { order.push_back(1); });
    sim.schedule_at(at_ns(100), [&] { order.push_back(4); });
    CHECK(sim.next_event_time() == at_ns(60));
    sim.run();
    CHECK(order == std::vector<int>{0, 1, 2, 3, 4, 5});
    CHECK(sim.now() == at_ns(200));
}

TEST_CASE("events at the current time that keep scheduling more at it run in order, in bounded memory") {
    // A chain that always leaves one event pending at time 7: bucket 0 never runs dry, and its
    // taken entries must still be dropped.
    Simulation sim;
    sim.run_until(at_ns(7));
    std::uint64_t ran = 0;
    std::uint64_t last_tag = 0;
    bool ordered = true;
    std::function<void(std::uint64_t)> chain = [&](std::uint64_t tag) {
        ordered = ordered && (ran == 0 || tag == last_tag + 1);
        last_tag = tag;
        if (++ran < 200'000) sim.schedule_at(sim.now(), [&chain, tag] { chain(tag + 2); }); // two in flight
    };
    sim.schedule_at(sim.now(), [&] { chain(0); });
    sim.schedule_at(sim.now(), [&] { chain(1); });
    std::size_t most_entries = 0;
    while (sim.step()) most_entries = std::max(most_entries, sim.queued_entries());
    CHECK(ordered);
    CHECK(ran >= 200'000);
    CHECK(sim.now() == at_ns(7));
    CHECK(most_entries <= 2);
}

TEST_CASE("random schedules, cancels, peeks and partial runs follow the (time, order) rule") {
    // The reference is a std::set of (time, scheduling order) of the live events; every event
    // run must be its least element, every peek must see it, and pending() must be its size.
    for (const std::uint64_t seed : {3ULL, 17ULL, 2026ULL}) {
        CAPTURE(seed);
        std::mt19937_64 rng(seed);
        Simulation sim;
        std::set<std::tuple<std::int64_t, std::uint64_t>> reference;
        std::vector<std::tuple<EventId, std::int64_t, std::uint64_t>> issued;
        std::uint64_t order = 0;
        int wrong = 0;
        int ran = 0;
        auto schedule = [&](std::int64_t when) {
            const std::uint64_t mine = order++;
            const EventId id = sim.schedule_at(at_ns(when), [&, when, mine] {
                if (reference.empty() || *reference.begin() != std::tuple{when, mine}) ++wrong;
                reference.erase({when, mine});
                ++ran;
                // Callbacks schedule too: at now, soon, or far ahead.
                if (rng() % 3 == 0) {
                    const std::uint64_t pick = rng() % 3;
                    const std::int64_t later = pick == 0   ? 0
                                               : pick == 1 ? std::int64_t(rng() % 64)
                                                           : std::int64_t(rng() % (1 << 30));
                    const std::uint64_t next = order++;
                    const std::int64_t t = sim.now().time_since_epoch().count() + later;
                    reference.insert({t, next});
                    sim.schedule_at(at_ns(t), [&, t, next] {
                        if (reference.empty() || *reference.begin() != std::tuple{t, next}) ++wrong;
                        reference.erase({t, next});
                        ++ran;
                    });
                }
            });
            reference.insert({when, mine});
            issued.emplace_back(id, when, mine);
        };
        for (int round = 0; round < 4000; ++round) {
            const std::int64_t now = sim.now().time_since_epoch().count();
            switch (rng() % 6) {
            case 0:
            case 1: { // schedule a few, spread over every scale
                for (int k = 0; k < 3; ++k) schedule(now + std::int64_t(rng() % (std::uint64_t{1} << (rng() % 40))));
                break;
            }
            case 2: { // cancel one issued earlier (it may have run: then false)
                if (issued.empty()) break;
                const auto [id, when, mine] = issued[rng() % issued.size()];
                const bool was_pending = reference.count({when, mine}) != 0;
                if (sim.cancel(id) != was_pending) ++wrong;
                reference.erase({when, mine});
                break;
            }
            case 3: { // peek
                const std::optional<SimTime> next = sim.next_event_time();
                if (next.has_value() != !reference.empty()) ++wrong;
                if (next && next->time_since_epoch().count() != std::get<0>(*reference.begin())) ++wrong;
                break;
            }
            case 4: // run a stretch, often stopping between events
                sim.run_until(at_ns(now + std::int64_t(rng() % (std::uint64_t{1} << (rng() % 32)))));
                break;
            default: sim.step(); break;
            }
            if (sim.pending() != reference.size()) ++wrong;
        }
        sim.run();
        CHECK(wrong == 0);
        CHECK(reference.empty());
        CHECK(ran > 1000);
    }
}

TEST_CASE("a callback holds a move-only callable and destroys it exactly once") {
    auto owned = std::make_unique<int>(41);
    int* seen = owned.get();
    int calls = 0;
    Callback small([p = std::move(owned), &calls] { calls += *p + 1; });
    CHECK(static_cast<bool>(small));
    Callback moved(std::move(small));
    CHECK_FALSE(static_cast<bool>(small)); // NOLINT(bugprone-use-after-move): moved-from is empty
    moved();
    CHECK(calls == 42);
    CHECK(*seen == 41);

    // Larger than the inline buffer: kept on the heap, with the same behaviour.
    auto counter = std::make_shared<int>(0);
    struct Big {
        std::shared_ptr<int> count;
        char padding[64] = {};
        void operator()() const { ++*count; }
    };
    static_assert(sizeof(Big) > Callback::kInlineBytes);
    Callback big(Big{counter});
    Callback other;
    other = std::move(big);
    other();
    other();
    CHECK(*counter == 2);
    CHECK(counter.use_count() == 2);
    other = nullptr;
    CHECK(counter.use_count() == 1); // destroyed once, at reset

    // Empty from nullptr, an empty std::function and a null function pointer.
    CHECK_FALSE(static_cast<bool>(Callback(nullptr)));
    CHECK_FALSE(static_cast<bool>(Callback(std::function<void()>{})));
    void (*none)() = nullptr;
    CHECK_FALSE(static_cast<bool>(Callback(none)));
    // A callable with a result: the result is discarded.
    int hits = 0;
    Callback returns([&hits] { return ++hits; });
    returns();
    CHECK(hits == 1);
}

TEST_CASE("a whole std::function and a shared_ptr with pointers are stored inline") {
    // The kernel's no-allocation promise (engine/simulation.hpp, Cost) for the callbacks tcsim
    // schedules: the network's `done` (a std::function), event.cpp's (pointer, shared_ptr).
    CHECK(sizeof(std::function<void()>) <= Callback::kInlineBytes);
    struct Wake {
        void* a;
        std::shared_ptr<int> b;
        void* c;
    };
    CHECK(sizeof(Wake) <= Callback::kInlineBytes);
    CHECK(sizeof(Callback) == 48);
}
