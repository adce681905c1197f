#include "report/inputs_at_median.hpp"

namespace tcsim::report {

std::string inputs_at_median_note(const std::vector<InputAtMedian>& inputs, std::string_view command) {
    if (inputs.empty()) return "";
    std::string out =
        "Inputs given as ranges, taken at their median by " + std::string(command) + " (it does not sample them):\n";
    for (const auto& in : inputs) {
        out += "  " + in.key + " = " + in.median + "  (range " + in.range;
        if (!in.source.empty()) out += "; source " + in.source;
        out += ")\n";
    }
    return out;
}

nlohmann::ordered_json inputs_at_median_json(const std::vector<InputAtMedian>& inputs) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const auto& in : inputs)
        out.push_back({{"key", in.key}, {"range", in.range}, {"median_used", in.median}, {"source", in.source}});
    return out;
}

} // namespace tcsim::report
