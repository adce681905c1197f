// The kernel's queue (engine/event_queue.hpp) and callbacks (engine/callback.hpp), through the
// Simulation that uses them and on their own: the order the contract states, held against a
// plain ordered set, on the paths a radix heap has (refills across buckets, pushes below a
// look-ahead, cancelled entries surfacing, bucket 0 never running dry).
#include "engine/callback.hpp"
#include "engine/simulation.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
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

namespace {

// Schedules tagged events and records the order they run in; expected() is (time, push order).
struct OrderLog {
    Simulation& sim;
    std::vector<std::tuple<std::int64_t, int>> scheduled; // (time, tag), tag = push order
    std::vector<std::tuple<std::int64_t, int>> ran;
    EventId add(std::int64_t time) {
        const int tag = static_cast<int>(scheduled.size());
        scheduled.emplace_back(time, tag);
        return sim.schedule_at(at_ns(time), [this, time, tag] { ran.emplace_back(time, tag); });
    }
    std::vector<std::tuple<std::int64_t, int>> expected(const std::set<int>& cancelled = {}) const {
        std::vector<std::tuple<std::int64_t, int>> out;
        for (const auto& e : scheduled) {
            if (cancelled.count(std::get<1>(e)) == 0) out.push_back(e);
        }
        std::sort(out.begin(), out.end());
        return out;
    }
};

} // namespace

TEST_CASE("equal times keep their push order when a bucket is sorted into the block or spread first") {
    // event_queue.cpp: a bucket of at most 2,048 entries is sorted into the block by time (the
    // times in [320, 384) share their digits from bit 8 up: one bucket), by counting on the top
    // bits of the bucket's range and insertion within; a larger one is spread over the buckets
    // below first. Either way ties must run in push order, with no sequence numbers.
    for (const int count : {2, 10, 40, 2048, 2049, 2100}) {
        CAPTURE(count);
        Simulation sim;
        OrderLog log{sim, {}, {}};
        std::mt19937_64 rng(static_cast<std::uint64_t>(count));
        for (int i = 0; i < count; ++i) log.add(320 + static_cast<std::int64_t>(rng() % 8) * 8);
        log.add(5000); // another bucket, after
        sim.run();
        CHECK(log.ran == log.expected());
    }
    // 3,000 entries over [65536, 69632), 64 distinct times: the bucket of digit 2 is spread over
    // those of digit 1 (256 ns each, 4 times and about 190 entries apiece), each then sorted
    // into the block by counting and insertion.
    Simulation sim;
    OrderLog log{sim, {}, {}};
    std::mt19937_64 rng(65536);
    for (int i = 0; i < 3000; ++i) log.add(65536 + static_cast<std::int64_t>(rng() % 64) * 64);
    sim.run();
    CHECK(log.ran == log.expected());
}

TEST_CASE("events pushed into the range being run go in sorted place, and a grown block goes back") {
    // After the first step the block holds [256, 512): events pushed there (before some of its
    // entries) are inserted in order, moving the entries after them or, nearer the head, those
    // before them into taken places; 1,100 of them move more entries than the block allows
    // (4 per entry it holds, plus 256) and it is spilled back into the buckets mid-run. The
    // order must not notice.
    Simulation sim;
    OrderLog log{sim, {}, {}};
    for (int i = 0; i < 10; ++i) log.add(330 + 5 * i);
    log.add(100'000);
    REQUIRE(sim.step());
    CHECK(sim.now() == at_ns(330));
    std::mt19937_64 rng(7);
    for (int i = 0; i < 1100; ++i) log.add(330 + static_cast<std::int64_t>(rng() % 54));
    sim.schedule_at(at_ns(340), [&] { log.add(340); }); // from a callback, at its own time
    sim.run();
    const auto expected = log.expected();
    // The callback at 340 (pushed before the 1,100) ran among them; its event ran after it, last
    // of all at 340 that were pushed before it.
    REQUIRE(log.ran.size() == expected.size());
    CHECK(std::is_sorted(log.ran.begin(), log.ran.end()));
    CHECK(log.ran == expected);
}

TEST_CASE("cancelled entries in the block, in buckets about to be spread and below the look-ahead never run") {
    Simulation sim;
    OrderLog log{sim, {}, {}};
    std::set<int> cancelled;
    std::vector<EventId> ids;
    std::mt19937_64 rng(11);
    // 3,000 events over 2^20 ns: buckets of thousands, spread level by level.
    for (int i = 0; i < 3000; ++i) ids.push_back(log.add(1'000 + static_cast<std::int64_t>(rng() % (1 << 20))));
    REQUIRE(sim.step()); // forms the first block
    // Two events in three: some in the block, most still in buckets that will be spread. Once
    // they outnumber the live ones the queue purges them (queued_entries() drops).
    std::size_t most_entries = 0;
    for (std::size_t i = 0; i < ids.size(); ++i) {
        if (i % 3 != 0 && sim.cancel(ids[i])) cancelled.insert(static_cast<int>(i));
        most_entries = std::max(most_entries, sim.queued_entries());
    }
    CHECK(cancelled.size() >= 1999);
    CHECK(most_entries == 2999);
    CHECK(sim.queued_entries() < std::max(2 * sim.pending() + 1, sim.pending() + 64));
    CHECK(sim.queued_entries() < most_entries); // without a purge they would all still be queued
    // A peek runs ahead of the clock; events pushed below it, and cancelled there too.
    REQUIRE(sim.next_event_time().has_value());
    const std::int64_t next = sim.next_event_time()->time_since_epoch().count();
    sim.run_until(sim.now());
    const std::int64_t gap = next - sim.now().time_since_epoch().count();
    REQUIRE(gap > 4);
    const EventId early = log.add(sim.now().time_since_epoch().count() + gap / 2);
    log.add(sim.now().time_since_epoch().count() + gap / 2);
    CHECK(sim.cancel(early));
    cancelled.insert(static_cast<int>(log.scheduled.size()) - 2);
    sim.run();
    auto expected = log.expected(cancelled);
    expected.erase(expected.begin()); // the first step's event
    auto ran = log.ran;
    ran.erase(ran.begin());
    CHECK(ran == expected);
    CHECK(sim.pending() == 0);
    CHECK(sim.queued_entries() == 0);
}

TEST_CASE("cancelling an event destroys its callback at once, whether stored in place or on the heap") {
    // callback.hpp: a callable over 40 bytes lives on the heap; both kinds sit in the queue's
    // slots and go when cancelled, not when their time comes.
    Simulation sim;
    auto small = std::make_shared<int>(0);
    struct Big {
        std::shared_ptr<int> count;
        char padding[64] = {};
        void operator()() const { ++*count; }
    };
    auto big = std::make_shared<int>(0);
    const EventId a = sim.schedule_at(at_ns(1'000'000), [small] { ++*small; });
    const EventId b = sim.schedule_at(at_ns(1'000'000), Big{big});
    sim.schedule_at(at_ns(2'000'000), Big{big});
    CHECK(small.use_count() == 2);
    CHECK(big.use_count() == 3);
    CHECK(sim.cancel(a));
    CHECK(small.use_count() == 1);
    CHECK(sim.cancel(b));
    CHECK(big.use_count() == 2);
    sim.run();
    CHECK(*small == 0);
    CHECK(*big == 1);
    CHECK(big.use_count() == 1);
}

TEST_CASE("callbacks survive the slot table's growth, trivially movable or not") {
    // callback.hpp: the callable's destructor runs exactly once; growing the queue's slot table
    // moves every pending callback (through its move constructor). Each must run once.
    struct Counted {
        int* alive;
        int* runs;
        explicit Counted(int* a, int* r) : alive(a), runs(r) { ++*alive; }
        Counted(Counted&& other) noexcept : alive(other.alive), runs(other.runs) { ++*alive; }
        Counted(const Counted&) = delete;
        Counted& operator=(const Counted&) = delete;
        Counted& operator=(Counted&&) = delete;
        ~Counted() { --*alive; }
        void operator()() const { ++*runs; }
    };
    int alive = 0;
    int counted_runs = 0;
    int plain_runs = 0;
    {
        Simulation sim;
        for (int i = 0; i < 5000; ++i) {
            sim.schedule_at(at_ns(i % 97), Counted(&alive, &counted_runs));
            sim.schedule_at(at_ns(i % 89), [&plain_runs, i] { plain_runs += i >= 0 ? 1 : 0; });
        }
        CHECK(alive == 5000);
        sim.run_until(at_ns(40));
        CHECK(alive == 5000 - counted_runs);
        sim.run();
        CHECK(alive == 0);
        for (int i = 0; i < 10; ++i) sim.schedule_at(sim.now() + Duration{i}, Counted(&alive, &counted_runs));
        CHECK(alive == 10);
    }
    CHECK(alive == 0); // the pending ones, with the Simulation
    CHECK(counted_runs == 5000);
    CHECK(plain_runs == 5000);
}

namespace {

// What the queue keeps in its entry and what in a slot (engine/event_queue.hpp): a pointer-sized
// callable with nothing to run to copy or destroy it, and callables that miss by a byte or by a
// copy constructor.
struct Record {
    std::vector<int>* trace;
    int tag;
};
struct ByPointer { // 8 bytes, trivially copyable: in the entry
    const Record* record;
    void operator()() const { record->trace->push_back(record->tag); }
};
struct NineBytes { // 9 bytes: in a slot
    unsigned char bytes[9];
    explicit NineBytes(const Record* r) : bytes{} { std::memcpy(bytes, &r, sizeof r); }
    void operator()() const {
        const Record* r = nullptr;
        std::memcpy(&r, bytes, sizeof r);
        r->trace->push_back(r->tag);
    }
};
struct CopiesByHand { // 8 bytes, not trivially copyable: in a slot
    const Record* record;
    explicit CopiesByHand(const Record* r) : record(r) {}
    CopiesByHand(const CopiesByHand& other) noexcept : record(other.record) {}
    CopiesByHand& operator=(const CopiesByHand&) = default;
    ~CopiesByHand() = default;
    void operator()() const { record->trace->push_back(record->tag); }
};

using Queue = tcsim::engine::detail::EventQueue;
static_assert(Queue::keeps_in_entry<ByPointer>());
static_assert(Queue::keeps_in_entry<ByPointer&>());
static_assert(Queue::keeps_in_entry<void (*)()>());
static_assert(!Queue::keeps_in_entry<NineBytes>());
static_assert(sizeof(NineBytes) == 9);
static_assert(!Queue::keeps_in_entry<CopiesByHand>());
static_assert(!Queue::keeps_in_entry<std::function<void()>>());
static_assert(!Queue::keeps_in_entry<std::shared_ptr<int>>());

std::uint32_t slot_of(EventId id) { return static_cast<std::uint32_t>(id.value & 0xffff'ffffU); }

// Records tagged 0 to n - 1, each writing its tag to `trace`.
std::vector<Record> tagged(std::vector<int>& trace, int n) {
    std::vector<Record> records;
    for (int tag = 0; tag < n; ++tag) records.push_back(Record{&trace, tag});
    return records;
}

} // namespace

TEST_CASE("callables kept in their entries and in slots run in (time, push order) together") {
    Simulation sim;
    std::vector<int> trace;
    const std::vector<Record> records = tagged(trace, 64);
    // Four times, each with every kind pushed in turn, in an order that mixes them; a Callback
    // made beforehand of a pointer-sized callable goes to the entry too.
    std::vector<int> expected;
    for (int i = 0; i < 64; ++i) {
        const std::int64_t when = 1000 * (3 - (i % 4)); // pushed late-first across times
        const Record* r = &records[static_cast<std::size_t>(i)];
        switch (i % 5) {
        case 0: sim.schedule_at(at_ns(when), ByPointer{r}); break;
        case 1: sim.schedule_at(at_ns(when), NineBytes(r)); break;
        case 2: sim.schedule_at(at_ns(when), CopiesByHand(r)); break;
        case 3: sim.schedule_at(at_ns(when), Callback(ByPointer{r})); break;
        default: sim.schedule_at(at_ns(when), Callback(NineBytes(r))); break;
        }
    }
    for (int t = 0; t < 4; ++t) {
        for (int i = 0; i < 64; ++i) {
            if (1000 * (3 - (i % 4)) == 1000 * t) expected.push_back(i);
        }
    }
    // And from inside a callback, at the current time: after those already queued for it.
    sim.schedule_at(at_ns(2000), [&sim, &records] {
        sim.schedule_at(sim.now(), ByPointer{&records[0]});
        sim.schedule_at(sim.now(), NineBytes(&records[1]));
        sim.schedule_at(sim.now(), ByPointer{&records[2]});
    });
    expected.insert(std::find(expected.begin(), expected.end(), 0), {0, 1, 2}); // the last at 2000
    sim.run();
    CHECK(trace == expected);
    CHECK(sim.pending() == 0);
}

TEST_CASE("cancelling a callable kept in its entry: it never runs, its id goes stale, its slot is reused") {
    Simulation sim;
    std::vector<int> trace;
    const Record one{&trace, 1};
    const Record two{&trace, 2};
    const Record three{&trace, 3};
    const EventId a = sim.schedule_at(at_ns(10), ByPointer{&one});
    const EventId b = sim.schedule_at(at_ns(10), ByPointer{&two});
    CHECK(sim.pending() == 2);
    CHECK(sim.cancel(a));
    CHECK_FALSE(sim.cancel(a)); // already cancelled
    CHECK(sim.pending() == 1);
    // The freed slot is the next one taken, by an entry or by a slot callable: the old id
    // matches neither.
    const EventId c = sim.schedule_at(at_ns(5), ByPointer{&three});
    CHECK(slot_of(c) == slot_of(a));
    CHECK(c != a);
    CHECK_FALSE(sim.cancel(a));
    CHECK(sim.pending() == 2);
    sim.run();
    CHECK(trace == std::vector<int>{3, 2});
    CHECK_FALSE(sim.cancel(b)); // ran
    CHECK_FALSE(sim.cancel(c)); // ran

    trace.clear();
    const EventId d = sim.schedule_at(at_ns(20), NineBytes(&one)); // reuses a slot an entry held
    const EventId e = sim.schedule_at(at_ns(20), ByPointer{&two});
    CHECK(slot_of(d) != slot_of(e));
    CHECK((slot_of(d) == slot_of(b) || slot_of(d) == slot_of(c)));
    CHECK_FALSE(sim.cancel(b));
    CHECK_FALSE(sim.cancel(c));
    CHECK(sim.cancel(d));
    const EventId f = sim.schedule_at(at_ns(20), ByPointer{&three}); // an entry in d's old slot
    CHECK(slot_of(f) == slot_of(d));
    CHECK_FALSE(sim.cancel(d));
    sim.run();
    CHECK(trace == std::vector<int>{2, 3});
}

TEST_CASE("no made-up id cancels anything but the pending event of its slot") {
    // Ids pack (generation << 32 | slot): every nearby generation of a slot, free or taken, by an
    // entry or by a slot callable, matches nothing but the one id issued for its occupant.
    Simulation sim;
    std::vector<int> trace;
    const Record r{&trace, 1};
    const EventId first = sim.schedule_at(at_ns(1), ByPointer{&r});
    sim.run();
    REQUIRE(trace == std::vector<int>{1});
    trace.clear();
    const auto generation = [](EventId id) { return static_cast<std::uint32_t>(id.value >> 32); };
    const auto made_up = [&](std::uint32_t g) { return EventId{(std::uint64_t{g} << 32) | slot_of(first)}; };
    for (std::uint32_t g = 0; g < generation(first) + 16; ++g) CHECK_FALSE(sim.cancel(made_up(g))); // free
    for (const bool in_entry : {true, false, true}) {
        const EventId now =
            in_entry ? sim.schedule_at(at_ns(2), ByPointer{&r}) : sim.schedule_at(at_ns(2), NineBytes(&r));
        REQUIRE(slot_of(now) == slot_of(first));
        for (std::uint32_t g = 0; g < generation(now) + 16; ++g) {
            if (g != generation(now)) CHECK_FALSE(sim.cancel(made_up(g)));
        }
        CHECK(sim.pending() == 1);
        CHECK(sim.cancel(now));
        CHECK(sim.pending() == 0);
    }
    CHECK(trace.empty());
}

TEST_CASE("a slot callable after many entries, the slot table grown past them, and cancels of both kinds") {
    // Slots taken by entries leave the callback table short; the first slot callable beyond it
    // grows it. Cancelled entries of both kinds surface and are compacted away.
    Simulation sim;
    std::vector<int> trace;
    const std::vector<Record> records = tagged(trace, 3000);
    std::vector<EventId> ids;
    for (int i = 0; i < 2000; ++i)
        ids.push_back(sim.schedule_at(at_ns(i), ByPointer{&records[static_cast<std::size_t>(i)]}));
    for (int i = 2000; i < 3000; ++i) {
        ids.push_back(sim.schedule_at(at_ns(i - 2000), NineBytes(&records[static_cast<std::size_t>(i)])));
    }
    std::vector<int> expected;
    // Two in three of each kind cancelled: enough that the dead outnumber the live, and the
    // queue drops them all on the way.
    for (int t = 0; t < 2000; ++t) {
        if (t % 3 == 2) expected.push_back(t);
        if (t < 1000 && t % 3 == 1) expected.push_back(t + 2000);
    }
    for (int i = 0; i < 3000; ++i) {
        const int t = i < 2000 ? i : i - 2000;
        const bool cancel = i < 2000 ? t % 3 != 2 : t % 3 != 1;
        if (cancel) CHECK(sim.cancel(ids[static_cast<std::size_t>(i)]));
        CHECK(sim.queued_entries() < std::max(2 * sim.pending() + 1, sim.pending() + 64));
    }
    CHECK(sim.pending() == expected.size());
    sim.run();
    CHECK(trace == expected);
    for (const EventId id : ids) CHECK_FALSE(sim.cancel(id));
}
