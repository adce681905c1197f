// Loads rental prices (topologies/prices.toml).
//
// Format: one table per GPU catalog name:
//     [rental."H800-SXM"]
//     per_gpu_hour = "2.00 USD/h"
//     date = "2024-12"          # when the price was quoted; prices move fast
//     source = "..."
// Contract: prices are positive; date and source are mandatory non-empty strings. Whether each
// name exists in the GPU catalog is checked where both are known, not here.
#pragma once

#include "economics/price.hpp"
#include "io/config_files.hpp"

#include <string>

namespace tcsim::io {

[[nodiscard]] economics::PriceCatalog load_prices(const ConfigFiles& files, const std::string& path);

} // namespace tcsim::io
