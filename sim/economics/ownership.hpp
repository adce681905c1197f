// Total cost of ownership of the GPU time a run uses: what owning the cluster costs for the
// run's wall-clock time, as opposed to renting it.
//
//   hardware    = GPUs x purchase price per GPU (with its server share) x wall time / lifetime
//   network     = endpoints x network price per endpoint x wall time / lifetime
//   electricity = facility energy (IT power x PUE) x price of electricity
// Straight-line amortisation, no residual value, no financing cost. Covers the hardware's
// write-off, its network and the power it draws; leaves out the data-centre building and
// cooling plant (beyond the energy that PUE adds), storage, staff, maintenance contracts,
// software licences and interest.
#pragma once

#include "economics/price.hpp"
#include "units/quantity.hpp"

#include <string>

namespace tcsim::economics {

struct OwnershipPrices {
    PurchasePrice purchase;
    NetworkPrice network;
    ElectricityPrice electricity;
    units::Seconds lifetime{0.0};
    std::string lifetime_source;
};

struct OwnershipCost {
    units::Dollars hardware;
    units::Dollars network;
    units::Dollars electricity;
    [[nodiscard]] units::Dollars total() const { return hardware + network + electricity; }
};

/// The cost of owning `gpus` GPUs and `endpoints` network endpoints for `seconds`, drawing
/// `facility_energy`.
OwnershipCost ownership_cost(int gpus, int endpoints, double seconds, units::Joules facility_energy,
                             const OwnershipPrices& prices);

/// What buying the cluster outright costs: GPUs with servers plus the network.
units::Dollars cluster_purchase_price(int gpus, int endpoints, const OwnershipPrices& prices);

inline constexpr const char* kOwnershipCovers =
    "the hardware's straight-line write-off over its lifetime, its scale-out network and its electricity (x PUE) "
    "for the run's wall-clock time; excludes the building, storage, staff, maintenance, software and financing";

} // namespace tcsim::economics
