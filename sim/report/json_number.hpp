// A number as every JSON document of tcsim writes it: rounded to 9 significant digits, so that
// the text does not show the last bits of floating-point sums; a non-finite value is null.
#pragma once

#include <nlohmann/json.hpp>

#include <cmath>

namespace tcsim::report {

[[nodiscard]] inline nlohmann::ordered_json json_number(double value) {
    if (!std::isfinite(value)) return nullptr;
    if (value == 0.0) return 0.0;
    constexpr int significant = 9;
    const int magnitude = static_cast<int>(std::floor(std::log10(std::fabs(value))));
    // Scale by an exact power of ten (multiplying by 1e-5 would not be exact): the rounded
    // value is then the double nearest to its 9-digit decimal, which nlohmann writes as such.
    const int decimals = significant - 1 - magnitude;
    if (decimals >= 0) {
        const double scale = std::pow(10.0, decimals);
        return std::round(value * scale) / scale;
    }
    const double unit = std::pow(10.0, -decimals);
    return std::round(value / unit) * unit;
}

} // namespace tcsim::report
