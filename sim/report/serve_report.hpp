// What `tcsim serve` shows, and its writers: the terminal table, JSON ("schema":
// "tcsim.serve/1") and CSV (one row per phase). Writers only: the numbers come from
// serve::simulate_serving.
//
// Inputs given as ranges (issue 20): the figures are at every range's median (named in
// `inputs_at_median`, in the table's header and the JSON's "inputs_at_median"), and `spread`
// carries each range through: the deployment served again with that input at its low end and at
// its high end, the others at their medians (the table's "Spread" section, the JSON's "spread",
// CSV rows "decode, KEY = VALUE").
#pragma once

#include "report/inputs_at_median.hpp"
#include "serve/serve_model.hpp"
#include "serve/serve_spec.hpp"

#include <string>
#include <vector>

namespace tcsim::report {

/// One input given as a range, served at its low and at its high end (the others at their medians).
struct ServeSpread {
    std::string key;  ///< FILEKIND.KEY
    std::string low;  ///< the low end as TOML text
    std::string high; ///< the high end
    serve::ServeResult at_low;
    serve::ServeResult at_high;
};

struct ServeReport {
    std::string workload;
    std::string model;
    std::string cluster;
    std::string gpu;
    double price_per_gpu_hour = 0;
    std::string price_source;
    serve::ServeSpec spec;
    serve::ServeResult result;
    std::vector<std::string> builtin_inputs;     ///< files read from built-in copies
    std::vector<InputAtMedian> inputs_at_median; ///< inputs given as ranges; `result` is at their medians
    std::vector<ServeSpread> spread;             ///< per such input, its ends
};

[[nodiscard]] std::string serve_table(const ServeReport& r);
[[nodiscard]] std::string serve_json(const ServeReport& r);
[[nodiscard]] std::string serve_csv(const ServeReport& r);

} // namespace tcsim::report
