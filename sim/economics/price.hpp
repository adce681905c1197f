// What things cost, each price with the date and source it was quoted on: GPU rental per
// GPU-hour, buying GPUs (with their share of the servers), the scale-out network per endpoint,
// electricity, and the lifetime over which a purchase is written off.
#pragma once

#include "units/quantity.hpp"

#include <map>
#include <optional>
#include <string>

namespace tcsim::economics {

struct RentalPrice {
    units::DollarsPerHour per_gpu_hour;
    std::string date; ///< when the price was quoted (prices move fast)
    std::string source;
};

/// Buying one GPU with its share of the server (CPUs, memory, NVSwitch, NICs, chassis).
struct PurchasePrice {
    units::Dollars per_gpu;
    std::string date;
    std::string source;
};

/// The scale-out fabric per endpoint (one GPU's NIC port): switches, optics, cables.
struct NetworkPrice {
    units::Dollars per_endpoint;
    std::string source;
};

struct ElectricityPrice {
    units::EnergyPrice price;
    std::string date;
    std::string source;
};

/// Keyed by GPU catalog name (rental, purchase) and by the fabric's switch tiers (network).
struct PriceCatalog {
    std::map<std::string, RentalPrice, std::less<>> rental;
    std::map<std::string, PurchasePrice, std::less<>> purchase;
    std::map<int, NetworkPrice> network; ///< by switch tiers
    std::optional<ElectricityPrice> electricity;
    std::optional<units::Seconds> lifetime; ///< over which a purchase is amortised
    std::string lifetime_source;
};

} // namespace tcsim::economics
