#include "economics/cost_model.hpp"

#include <doctest/doctest.h>

#include <stdexcept>
#include <string>

using namespace tcsim;

// DeepSeek-V3 Technical Report (arXiv 2412.19437), Table 1: "Pre-Training 2664K H800 GPU-hours,
// $5.328M" at "the rental price of the H800 GPU is $2 per GPU hour".
TEST_CASE("rental_cost: GPU-hours times the price per GPU-hour") {
    const economics::RentalPrice price{units::dollars_per_hour(2.0), "2024-12", "DeepSeek-V3 report"};
    const auto cost = economics::rental_cost(2'664'000.0, price);
    CHECK(cost.gpu_hours == doctest::Approx(2'664'000.0));
    CHECK(cost.price.value() == doctest::Approx(2.0));
    CHECK(cost.price_source == "DeepSeek-V3 report");
    CHECK(cost.dollars.value() == doctest::Approx(5'328'000.0));
}

TEST_CASE("rental_cost: zero GPU-hours cost nothing") {
    const economics::RentalPrice price{units::dollars_per_hour(3.5), "", "test"};
    CHECK(economics::rental_cost(0.0, price).dollars.value() == 0.0);
}

TEST_CASE("price_for: finds the GPU, or names it and the priced ones") {
    economics::PriceCatalog catalog;
    catalog.rental.emplace("H800-SXM", economics::RentalPrice{units::dollars_per_hour(2.0), "2024-12", "DeepSeek"});
    catalog.rental.emplace("H100-SXM", economics::RentalPrice{units::dollars_per_hour(2.5), "2025-01", "list"});
    CHECK(economics::price_for(catalog, "H800-SXM").per_gpu_hour.value() == doctest::Approx(2.0));
    try {
        (void)economics::price_for(catalog, "B200");
        FAIL("expected std::out_of_range");
    } catch (const std::out_of_range& e) {
        const std::string message = e.what();
        CHECK(message.find("B200") != std::string::npos);
        CHECK(message.find("H100-SXM, H800-SXM") != std::string::npos);
    }
}
