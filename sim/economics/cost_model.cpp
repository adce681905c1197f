// Rental cost: the one multiplication, kept here so that every report prices GPU-hours the same
// way and carries the price's source with the figure.
#include "economics/cost_model.hpp"

#include <stdexcept>

namespace tcsim::economics {

RentalCost rental_cost(double gpu_hours, const RentalPrice& price) {
    RentalCost cost;
    cost.gpu_hours = gpu_hours;
    cost.price = price.per_gpu_hour;
    cost.price_source = price.source;
    // DollarsPerHour x Seconds is the only road to Dollars; one GPU-hour is 3600 GPU-seconds.
    cost.dollars = price.per_gpu_hour * units::Seconds(gpu_hours * 3600.0);
    return cost;
}

const RentalPrice& price_for(const PriceCatalog& catalog, const std::string& gpu) {
    if (const auto it = catalog.rental.find(gpu); it != catalog.rental.end()) {
        return it->second;
    }
    std::string priced;
    for (const auto& [name, price] : catalog.rental) {
        if (!priced.empty()) {
            priced += ", ";
        }
        priced += name;
    }
    throw std::out_of_range("no rental price for GPU '" + gpu +
                            "' (priced: " + (priced.empty() ? std::string("none") : priced) + ")");
}

} // namespace tcsim::economics
