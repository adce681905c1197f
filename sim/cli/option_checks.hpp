// Validators for command-line values, with messages that say what was expected. CLI11's own
// (PositiveNumber, Range) print their bounds as raw doubles ("not in range 0.000000 to 1.79e308"),
// and an unsigned option silently wraps "-1"; these do neither.
#pragma once

#include <CLI/CLI.hpp>

#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>

namespace tcsim::cli {

/// A positive, finite number; "" when `text` is one, else what was expected.
inline std::string check_positive(const std::string& text) {
    char* end = nullptr;
    errno = 0;
    const double value = text.empty() ? 0.0 : std::strtod(text.c_str(), &end);
    if (text.empty() || end != text.c_str() + text.size() || errno == ERANGE || !std::isfinite(value) || value <= 0)
        return "expected a positive number, got '" + text + "'";
    return {};
}

/// An integer from `lo` to `hi` written in decimal digits (a sign only for negative bounds).
inline CLI::Validator integer_between(long long lo, long long hi, const std::string& what) {
    return CLI::Validator(
        [lo, hi, what](const std::string& text) -> std::string {
            char* end = nullptr;
            errno = 0;
            const long long value = text.empty() ? 0 : std::strtoll(text.c_str(), &end, 10);
            if (text.empty() || end != text.c_str() + text.size() || errno == ERANGE || value < lo || value > hi)
                return "expected " + what + " (an integer from " + std::to_string(lo) + " to " + std::to_string(hi) +
                       "), got '" + text + "'";
            return {};
        },
        std::to_string(lo) + ".." + std::to_string(hi));
}

/// A file path: not empty (an empty --workload "" would otherwise read as a file named "").
inline CLI::Validator file_path() {
    return CLI::Validator(
        [](const std::string& text) -> std::string {
            if (text.empty()) return "expected a file path, got an empty string";
            return {};
        },
        "FILE");
}

/// A positive integer (counts of GPUs, nodes, jobs).
inline CLI::Validator positive_integer(const std::string& what) { return integer_between(1, 1'000'000'000, what); }

/// A seed: decimal digits, at most 2^64 - 1 (no sign: "-1" would wrap around).
inline CLI::Validator seed_value() {
    return CLI::Validator(
        [](const std::string& text) -> std::string {
            char* end = nullptr;
            errno = 0;
            const bool digits = !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
            if (digits) (void)std::strtoull(text.c_str(), &end, 10);
            if (!digits || errno == ERANGE) return "expected a seed from 0 to 18446744073709551615, got '" + text + "'";
            return {};
        },
        "0..2^64-1");
}

} // namespace tcsim::cli
