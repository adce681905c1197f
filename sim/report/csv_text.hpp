// CSV as RFC 4180 writes it: fields separated by commas, records ended by CRLF, a field quoted
// (with its quotes doubled) exactly when it holds a comma, a quote or a line break; numbers to
// 9 significant digits as the JSON report writes them, a non-finite number as an empty field.
// (calibration/validation_report.cpp keeps its own copy: calibration includes no report/ header.)
#pragma once

#include "units/number_text.hpp"

#include <cmath>
#include <string>
#include <vector>

namespace tcsim::report {

[[nodiscard]] inline std::string csv_field(const std::string& text) {
    if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
    std::string out = "\"";
    for (const char c : text) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + '"';
}

[[nodiscard]] inline std::string csv_number(double x) {
    return std::isfinite(x) ? units::printf_number("%.9g", x) : std::string();
}

/// One record: the fields quoted as needed, joined by commas, ended by CRLF.
[[nodiscard]] inline std::string csv_record(const std::vector<std::string>& fields) {
    std::string out;
    for (std::size_t i = 0; i < fields.size(); ++i) out += (i > 0 ? "," : "") + csv_field(fields[i]);
    return out + "\r\n";
}

} // namespace tcsim::report
