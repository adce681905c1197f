// Loads the price list (topologies/prices.toml).
//
// Format:
//     [rental."H800-SXM"]                 one table per GPU catalog name (required section)
//     per_gpu_hour = "2.00 USD/h"
//     date = "2024-12"                    when the price was quoted; prices move fast
//     source = "..."
//
//     [purchase."H100-SXM"]               optional: buying one GPU with its server share
//     per_gpu = "33.75 kUSD"
//     date = "2023-05"
//     source = "..."
//
//     [network."2-tier"]                  optional: scale-out fabric per endpoint, keyed
//     per_endpoint = "4.39 kUSD"          "1-tier", "2-tier" or "3-tier" (the fabric's tiers)
//     source = "..."
//
//     [electricity]                       optional
//     per_kwh = "0.0806 USD/kWh"
//     date = "2023"
//     source = "..."
//
//     [ownership]                         optional: the write-off period of a purchase
//     lifetime = "1461 day"
//     source = "..."
// Contract: prices are positive; date and source are mandatory non-empty strings. Given the
// GPU catalog's names, a rental or purchase entry for a GPU the catalog does not know is refused
// at its key, with the nearest name (a misspelt entry would otherwise never be used). Total cost of
// ownership needs purchase, network, electricity and ownership; without them reports show
// rental only and say so.
#pragma once

#include "config/config_files.hpp"
#include "economics/price.hpp"

#include <string>
#include <vector>

namespace tcsim::config {

[[nodiscard]] economics::PriceCatalog load_prices(const ConfigFiles& files, const std::string& path,
                                                  const std::vector<std::string>& catalog_gpus = {});

} // namespace tcsim::config
