// Dates stay text: quotes are as precise as their sources ("2024-12", "2024-01-29").
#include "config/load_prices.hpp"

#include "config/limits.hpp"
#include "config/spelling.hpp"
#include "config/toml_reader.hpp"

#include <algorithm>
#include <utility>

namespace tcsim::config {
namespace {

/// Refuses a price entry for a GPU the catalog does not know (when the catalog is given).
void check_known_gpu(TableReader& table, const std::string& name, const std::vector<std::string>& catalog_gpus) {
    if (catalog_gpus.empty() || std::find(catalog_gpus.begin(), catalog_gpus.end(), name) != catalog_gpus.end()) return;
    std::string problem = "no GPU \"" + name + "\" in the GPU catalog";
    if (const auto near = closest_spelling(name, catalog_gpus)) problem += " (did you mean \"" + *near + "\"?)";
    table.fail(name, problem + "; the catalog has: " + quoted_list(catalog_gpus));
}

} // namespace

economics::PriceCatalog load_prices(const ConfigFiles& files, const std::string& path,
                                    const std::vector<std::string>& catalog_gpus) {
    TomlDocument document(path, files.read(path), files.overrides().of(FileKind::prices));
    document.accept_uncertain(FileKind::prices, files.uncertain());
    TableReader root = document.root();
    TableReader rental = root.table("rental", "a table of prices, e.g. [rental.\"H800-SXM\"]");
    economics::PriceCatalog prices;
    for (const std::string& name : rental.keys()) {
        check_known_gpu(rental, name, catalog_gpus);
        TableReader entry = rental.table(name);
        economics::RentalPrice price;
        price.per_gpu_hour = entry.quantity<units::DollarsPerHour>("per_gpu_hour", limits::rental_price);
        price.date = entry.string("date");
        price.source = entry.string("source");
        prices.rental.emplace(name, std::move(price));
    }
    if (auto purchase = root.optional_table("purchase", "a table of prices, e.g. [purchase.\"H100-SXM\"]")) {
        for (const std::string& name : purchase->keys()) {
            check_known_gpu(*purchase, name, catalog_gpus);
            TableReader entry = purchase->table(name);
            economics::PurchasePrice price;
            price.per_gpu = entry.quantity<units::Dollars>("per_gpu", limits::purchase_price);
            price.date = entry.string("date");
            price.source = entry.string("source");
            prices.purchase.emplace(name, std::move(price));
        }
    }
    if (auto network = root.optional_table("network", "a table of prices by tiers, e.g. [network.\"2-tier\"]")) {
        for (const std::string& name : network->keys()) {
            int tiers = 0;
            if (name == "1-tier")
                tiers = 1;
            else if (name == "2-tier")
                tiers = 2;
            else if (name == "3-tier")
                tiers = 3;
            else
                network->fail(name,
                              "expected a fabric size \"1-tier\", \"2-tier\" or \"3-tier\", found \"" + name + "\"");
            TableReader entry = network->table(name);
            economics::NetworkPrice price;
            price.per_endpoint = entry.quantity<units::Dollars>("per_endpoint", limits::endpoint_price);
            price.source = entry.string("source");
            prices.network.emplace(tiers, std::move(price));
        }
    }
    if (auto electricity = root.optional_table("electricity")) {
        economics::ElectricityPrice price;
        price.price = electricity->quantity<units::EnergyPrice>("per_kwh", limits::electricity_price);
        price.date = electricity->string("date");
        price.source = electricity->string("source");
        prices.electricity = std::move(price);
    }
    if (auto ownership = root.optional_table("ownership")) {
        prices.lifetime = ownership->quantity<units::Seconds>("lifetime", limits::lifetime);
        prices.lifetime_source = ownership->string("source");
    }
    document.finish();
    return prices;
}

} // namespace tcsim::config
