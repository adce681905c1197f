// Dollars from GPU-hours at a rental price per GPU-hour.
//
// Covers GPU rental time only: not research, ablations, failed runs, data, staff, or buying the
// cluster (every report built from it says so).
#pragma once

#include "economics/price.hpp"
#include "units/quantity.hpp"

#include <string>

namespace tcsim::economics {

struct RentalCost {
    double gpu_hours = 0;
    units::DollarsPerHour price;
    std::string price_source; ///< where the price comes from ("--price-per-gpu-hour" for the user's own)
    units::Dollars dollars;
};

/// gpu_hours x price.
RentalCost rental_cost(double gpu_hours, const RentalPrice& price);

/// The catalog price for `gpu`; throws std::out_of_range naming the GPU and the priced ones.
const RentalPrice& price_for(const PriceCatalog& catalog, const std::string& gpu);

} // namespace tcsim::economics
