// Energy (economics/energy_model.hpp) and total cost of ownership (economics/ownership.hpp),
// against sums worked out by hand.
#include "economics/energy_model.hpp"
#include "economics/ownership.hpp"

#include <doctest/doctest.h>

using namespace tcsim;

namespace {

run::RunResult two_phase_run() {
    run::RunResult r;
    r.gpus = 8;
    run::RunPhase a;
    a.name = "steady";
    a.seconds = 3600; // one hour, compute stream busy 80 % of each step
    a.step.step_seconds = 10;
    a.step.breakdown = {8.0, 1.0, 1.0};
    run::RunPhase b;
    b.name = "extension 32K";
    b.extension = true;
    b.seconds = 1800; // half an hour, busy 50 %
    b.step.step_seconds = 20;
    b.step.breakdown = {10.0, 5.0, 5.0};
    r.phases = {a, b};
    r.pretrain_seconds = 3600;
    r.extension_seconds = 1800;
    return r;
}

economics::PowerParameters power() { return {{0.3, "idle"}, {0.5, "servers"}, {60.0, "network"}, {1.2, "pue"}}; }

} // namespace

TEST_CASE("energy: GPU power follows the busy fraction; servers, network and PUE add to it") {
    hardware::GpuSpec gpu;
    gpu.tdp = units::watts(700);
    const auto e = economics::estimate_energy(two_phase_run(), gpu, 8, power());
    // Steady: GPUs 8 x 700 x (0.3 + 0.7 x 0.8) = 4,816 W; servers 8 x 350 = 2,800 W; network 480 W.
    REQUIRE(e.phases.size() == 2);
    CHECK(e.phases[0].busy_fraction == doctest::Approx(0.8));
    CHECK(e.phases[0].it_power.value() == doctest::Approx(4816 + 2800 + 480));
    // Extension: GPUs 8 x 700 x (0.3 + 0.35) = 3,640 W.
    CHECK(e.phases[1].it_power.value() == doctest::Approx(3640 + 2800 + 480));
    // Facility energy = IT power x time x PUE.
    CHECK(e.pretrain_energy.value() == doctest::Approx((4816 + 2800 + 480) * 3600 * 1.2));
    CHECK(e.extension_energy.value() == doctest::Approx((3640 + 2800 + 480) * 1800 * 1.2));
    // Averages are time-weighted: busy (0.8 x 1 h + 0.5 x 0.5 h) / 1.5 h = 0.7.
    CHECK(e.busy_fraction == doctest::Approx(0.7));
    CHECK(e.gpu_power.value() == doctest::Approx((4816 * 3600 + 3640 * 1800) / 5400.0));
    CHECK(e.facility_power.value() == doctest::Approx(e.it_power.value() * 1.2));
    // Extra (failure) time is charged at the average facility power.
    const auto more = economics::energy_over(e, e.pretrain_energy, 3600, 3600 + 600);
    CHECK(more.value() == doctest::Approx(e.pretrain_energy.value() + e.facility_power.value() * 600));
    economics::PowerParameters bad = power();
    bad.pue.value = 0.9;
    CHECK_THROWS_AS(economics::estimate_energy(two_phase_run(), gpu, 8, bad), std::invalid_argument);
}

TEST_CASE("ownership: straight-line write-off over the lifetime plus electricity") {
    economics::OwnershipPrices p;
    p.purchase.per_gpu = units::dollars(35040);    // $35,040 over 4 years: $1 per GPU-hour
    p.network.per_endpoint = units::dollars(4380); // $0.125 per endpoint-hour
    p.electricity.price = units::dollars_per_kwh(0.08);
    p.lifetime = units::Seconds(4 * 8760 * 3600.0);
    // 1,000 GPUs and endpoints for 10 hours, drawing 1 MWh.
    const auto cost = economics::ownership_cost(1000, 1000, 36000, units::kilowatt_hours(1000), p);
    CHECK(cost.hardware.value() == doctest::Approx(10000));
    CHECK(cost.network.value() == doctest::Approx(1250));
    CHECK(cost.electricity.value() == doctest::Approx(80));
    CHECK(cost.total().value() == doctest::Approx(11330));
    CHECK(economics::cluster_purchase_price(1000, 1000, p).value() == doctest::Approx(35040e3 + 4380e3));
}
