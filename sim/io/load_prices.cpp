// Dates stay text: quotes are as precise as their sources ("2024-12", "2024-01-29").
#include "io/load_prices.hpp"

#include "io/toml_reader.hpp"

#include <utility>

namespace tcsim::io {

economics::PriceCatalog load_prices(const ConfigFiles& files, const std::string& path) {
    TomlDocument document(path, files.read(path));
    TableReader root = document.root();
    TableReader rental = root.table("rental", "a table of prices, e.g. [rental.\"H800-SXM\"]");
    economics::PriceCatalog prices;
    for (const std::string& name : rental.keys()) {
        TableReader entry = rental.table(name);
        economics::RentalPrice price;
        price.per_gpu_hour = entry.quantity<units::DollarsPerHour>("per_gpu_hour");
        price.date = entry.string("date");
        price.source = entry.string("source");
        prices.rental.emplace(name, std::move(price));
    }
    document.finish();
    return prices;
}

} // namespace tcsim::io
