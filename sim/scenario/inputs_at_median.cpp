#include "scenario/inputs_at_median.hpp"

namespace tcsim::scenario {

std::vector<report::InputAtMedian> inputs_at_median(const config::UncertainValues& met) {
    std::vector<report::InputAtMedian> out;
    for (const auto& v : met.all()) out.push_back({v.name(), v.describe(), v.toml_text(v.median()), v.source});
    return out;
}

} // namespace tcsim::scenario
