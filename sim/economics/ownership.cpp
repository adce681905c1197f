#include "economics/ownership.hpp"

#include <stdexcept>

namespace tcsim::economics {

OwnershipCost ownership_cost(int gpus, int endpoints, double seconds, units::Joules facility_energy,
                             const OwnershipPrices& prices) {
    if (!(prices.lifetime.count() > 0)) throw std::invalid_argument("the hardware lifetime must be positive");
    const double share = seconds / prices.lifetime.count();
    OwnershipCost cost;
    cost.hardware = prices.purchase.per_gpu * (gpus * share);
    cost.network = prices.network.per_endpoint * (endpoints * share);
    cost.electricity = prices.electricity.price * facility_energy;
    return cost;
}

units::Dollars cluster_purchase_price(int gpus, int endpoints, const OwnershipPrices& prices) {
    return prices.purchase.per_gpu * static_cast<double>(gpus) +
           prices.network.per_endpoint * static_cast<double>(endpoints);
}

} // namespace tcsim::economics
