// Test helper: run a loader expected to fail and hand back its ConfigError.
#pragma once

#include "config/config_error.hpp"

#include <doctest/doctest.h>

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

namespace tcsim::config::testing {

/// The ConfigError that `f()` throws; fails the test if it throws nothing or something else.
template <class F>
ConfigError config_error_from(F&& f) {
    try {
        f();
    } catch (const ConfigError& e) {
        return e;
    }
    FAIL("expected a ConfigError");
    throw std::logic_error("unreachable");
}

/// 1-based line of the first occurrence of `needle` in `text` (0 if absent).
inline int line_of(std::string_view text, std::string_view needle) {
    const std::size_t at = text.find(needle);
    if (at == std::string_view::npos) return 0;
    int line = 1;
    for (std::size_t i = 0; i < at; ++i)
        if (text[i] == '\n') ++line;
    return line;
}

/// `text` with its one occurrence of `from` replaced by `to` (fails the test if `from` is absent).
inline std::string replaced(std::string text, std::string_view from, std::string_view to) {
    const std::size_t at = text.find(from);
    REQUIRE_MESSAGE(at != std::string::npos, "pattern not found: " << from);
    text.replace(at, from.size(), to);
    return text;
}

/// `text` with the whole line that starts with `start` replaced by `line` (no newline).
inline std::string line_replaced(std::string text, std::string_view start, std::string_view line) {
    std::size_t at = 0;
    if (text.compare(0, start.size(), start) != 0) {
        at = text.find("\n" + std::string(start));
        REQUIRE_MESSAGE(at != std::string::npos, "line not found: " << start);
        ++at;
    }
    const std::size_t end = text.find('\n', at);
    text.replace(at, (end == std::string::npos ? text.size() : end) - at, line);
    return text;
}

} // namespace tcsim::config::testing
