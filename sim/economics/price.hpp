// Rental prices per GPU-hour, each with the date and source it was quoted on.
#pragma once

#include "units/quantity.hpp"

#include <map>
#include <string>

namespace tcsim::economics {

struct RentalPrice {
    units::DollarsPerHour per_gpu_hour;
    std::string date;   ///< when the price was quoted (prices move fast)
    std::string source;
};

/// Keyed by GPU catalog name.
struct PriceCatalog {
    std::map<std::string, RentalPrice, std::less<>> rental;
};

} // namespace tcsim::economics
