// Numbers as people read them in reports.
#pragma once

#include <cmath>
#include <cstdio>
#include <string>

namespace tcsim::units {

/// One number through a printf pattern: printf_number("%.1f MW", 2.46) -> "2.5 MW".
inline std::string printf_number(const char* pattern, double value) {
    char buffer[128];
    std::snprintf(buffer, sizeof buffer, pattern, value);
    return buffer;
}

/// Rounds to an integer and writes it with thousands separators: 2663912.4 -> "2,663,912";
/// "n/a" for a value that is not finite.
inline std::string with_thousands(double value) {
    if (!std::isfinite(value)) return "n/a";
    const double rounded = std::round(value);
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.0f", std::fabs(rounded));
    const std::string digits = buffer;
    std::string out = rounded < 0 ? "-" : "";
    for (std::size_t i = 0; i < digits.size(); ++i) {
        out += digits[i];
        const std::size_t left = digits.size() - 1 - i;
        if (left > 0 && left % 3 == 0) out += ',';
    }
    return out;
}

/// Three significant figures, with a K/M/B suffix from 10,000 up and thousands separators from
/// 100 up: 2.79M, 835K, 5,000, 34, 9.56, 0.25; "n/a" for a value that is not finite.
inline std::string short_number(double value) {
    if (!std::isfinite(value)) return "n/a";
    const double a = std::fabs(value);
    if (a >= 1e9) return printf_number("%.3gB", value / 1e9);
    if (a >= 1e6) return printf_number("%.3gM", value / 1e6);
    if (a >= 1e4) return printf_number("%.3gK", value / 1e3);
    if (a >= 100) return with_thousands(value);
    return printf_number("%.3g", value);
}

} // namespace tcsim::units
