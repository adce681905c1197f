// Inputs given as ranges or distributions (a `{low, high}`, `{p5, p95}` or `{values = [...]}`
// key, config/uncertain_value.hpp) that a one-point command (`tcsim explain`, `tcsim search`,
// `tcsim serve`) took at their median instead of sampling them (issue 20): the note its table and
// its JSON carry, so that a reader sees which figures rest on a median and what the range was.
// `tcsim run` and `tcsim check` sample such inputs instead (report/uncertainty.hpp).
//
// Contract: writers only.
// - inputs_at_median_note(inputs, command): "" when `inputs` is empty; otherwise the line
//   "Inputs given as ranges, taken at their median by COMMAND (it does not sample them):" and one
//   line per input, "  KEY = MEDIAN  (range RANGE; source SOURCE)" (no source part when none).
// - inputs_at_median_json(inputs): an array of {"key", "range", "median_used", "source"} objects,
//   in the order given (empty when none).
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace tcsim::report {

struct InputAtMedian {
    std::string key;    ///< FILEKIND.KEY, as --set spells it ("workload.training.tokens")
    std::string range;  ///< the range or distribution in words ("{low = 1.2e+13, high = 1.4e+13} (uniform)")
    std::string median; ///< the value used, as TOML text ("13000000000000", "\"1.5 USD/h\"")
    std::string source; ///< the `source` the file gives beside the range; empty if none
};

[[nodiscard]] std::string inputs_at_median_note(const std::vector<InputAtMedian>& inputs, std::string_view command);
[[nodiscard]] nlohmann::ordered_json inputs_at_median_json(const std::vector<InputAtMedian>& inputs);

} // namespace tcsim::report
