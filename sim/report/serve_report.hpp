// What `tcsim serve` shows, and its writers: the terminal table, JSON ("schema":
// "tcsim.serve/1") and CSV (one row per phase). Writers only: the numbers come from
// serve::simulate_serving.
#pragma once

#include "serve/serve_model.hpp"
#include "serve/serve_spec.hpp"

#include <string>
#include <vector>

namespace tcsim::report {

struct ServeReport {
    std::string workload;
    std::string model;
    std::string cluster;
    std::string gpu;
    double price_per_gpu_hour = 0;
    std::string price_source;
    serve::ServeSpec spec;
    serve::ServeResult result;
    std::vector<std::string> builtin_inputs; ///< files read from built-in copies
};

[[nodiscard]] std::string serve_table(const ServeReport& r);
[[nodiscard]] std::string serve_json(const ServeReport& r);
[[nodiscard]] std::string serve_csv(const ServeReport& r);

} // namespace tcsim::report
