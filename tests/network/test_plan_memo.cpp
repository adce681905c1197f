// The fabric's memo of routed collectives (plan_memo.hpp): each key planned once, by whichever
// thread asks first, the others waiting for its plan; a plan that throws stores nothing.
#include "network/plan_memo.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>
#include <vector>

using namespace tcsim;
using network::CollectivePlan;
using network::PlanMemo;
using network::RouteKey;

namespace {

RouteKey key_of(std::vector<std::vector<int>> groups) {
    RouteKey k;
    k.kind = collective::CollectiveKind::all_to_all;
    k.algorithm = network::Algorithm::pairwise;
    k.groups = std::move(groups);
    return k;
}

/// A plan of two classes, as an algorithm would make it.
CollectivePlan two_classes() {
    CollectivePlan p;
    p.algorithm = network::Algorithm::pairwise;
    p.latency = units::Seconds(2e-6);
    p.classes.push_back(network::FlowClass{"intra", {{3, 1.0}, {7, 0.5}}, 0.25, 2});
    p.classes.push_back(network::FlowClass{"inter", {{9, 2.0}}, 0.25, 1});
    return p;
}

} // namespace

TEST_CASE("a routed collective is planned once, even when two threads ask for it at once") {
    PlanMemo memo;
    std::atomic<int> plans{0};
    // The first plan takes long enough that the second thread asks while it runs.
    auto slow = [&] {
        ++plans;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        return two_classes();
    };
    std::shared_ptr<const network::SharedRoute> a, b;
    std::thread first([&] { a = memo.routed(key_of({{0, 1}, {2, 3}}), slow); });
    std::thread second([&] { b = memo.routed(key_of({{0, 1}, {2, 3}}), slow); });
    first.join();
    second.join();
    CHECK(plans == 1);
    REQUIRE(a != nullptr);
    CHECK(a == b);
    REQUIRE(a->classes.size() == 2);
    CHECK(a->classes[0].usage.size() == 2);
    CHECK(a->classes[1].usage[0].coefficient == 2.0);
    CHECK(a->latency == 2e-6);
    CHECK(a->classes[0].serial != a->classes[1].serial);
    // Another key: planned anew, its classes numbered after the first's.
    const auto c = memo.routed(key_of({{0, 2}}), two_classes);
    CHECK(c != a);
    CHECK(c->classes[0].serial > a->classes[1].serial);
    CHECK(memo.routed(key_of({{0, 1}, {2, 3}}), slow) == a);
    CHECK(plans == 1);
}

TEST_CASE("a plan that throws stores nothing: each asker meets the planner's exception, a later plan is kept") {
    PlanMemo memo;
    std::atomic<int> plans{0};
    auto refuse = [&]() -> CollectivePlan {
        ++plans;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        throw std::invalid_argument("network: algorithm pairwise cannot run this");
    };
    int refused = 0;
    std::atomic<int> refused_on_thread{0};
    std::thread other([&] {
        try {
            (void)memo.routed(key_of({{0, 1}}), refuse);
        } catch (const std::invalid_argument&) {
            ++refused_on_thread;
        }
    });
    try {
        (void)memo.routed(key_of({{0, 1}}), refuse);
    } catch (const std::invalid_argument&) {
        ++refused;
    }
    other.join();
    CHECK(refused == 1);
    CHECK(refused_on_thread == 1);
    CHECK(plans == 2); // the waiter planned again, and was refused too
    const auto kept = memo.routed(key_of({{0, 1}}), two_classes);
    REQUIRE(kept != nullptr);
    CHECK(kept->classes.size() == 2);
    CHECK(memo.routed(key_of({{0, 1}}), refuse) == kept);
    CHECK(plans == 2);
}
