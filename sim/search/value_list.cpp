#include "search/value_list.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <stdexcept>

namespace tcsim::search {
namespace {

std::vector<std::string> split(const std::string& text, char sep) {
    std::vector<std::string> parts;
    std::string::size_type start = 0;
    while (true) {
        const auto at = text.find(sep, start);
        parts.push_back(text.substr(start, at == std::string::npos ? std::string::npos : at - start));
        if (at == std::string::npos) return parts;
        start = at + 1;
    }
}

/// Decimal digits only (no sign, no spaces), within [lo, hi].
int parse_one(const std::string& word, int lo, int hi, const std::string& whole) {
    const std::string expected = "expected integers from " + std::to_string(lo) + " to " + std::to_string(hi) +
                                 " as a list ('1,2,4') or ranges ('1-16'), got '" + whole + "'";
    if (word.empty() || word.find_first_not_of("0123456789") != std::string::npos)
        throw std::invalid_argument(expected);
    errno = 0;
    const long long value = std::strtoll(word.c_str(), nullptr, 10);
    if (errno == ERANGE || value < lo || value > hi) throw std::invalid_argument(expected);
    return static_cast<int>(value);
}

} // namespace

std::vector<int> parse_int_list(const std::string& text, int lo, int hi) {
    std::vector<int> out;
    for (const std::string& item : split(text, ',')) {
        const auto dash = item.find('-');
        if (dash == std::string::npos) {
            out.push_back(parse_one(item, lo, hi, text));
            continue;
        }
        const int a = parse_one(item.substr(0, dash), lo, hi, text);
        const int b = parse_one(item.substr(dash + 1), lo, hi, text);
        if (a > b)
            throw std::invalid_argument("expected a range from low to high, got '" + item + "' in '" + text + "'");
        for (int v = a; v <= b; ++v) out.push_back(v);
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

std::vector<std::string> parse_word_list(const std::string& text, const std::vector<std::string>& allowed) {
    std::vector<std::string> out;
    for (const std::string& word : split(text, ',')) {
        if (std::find(allowed.begin(), allowed.end(), word) == allowed.end()) {
            std::string names;
            for (const auto& a : allowed) names += (names.empty() ? "" : ", ") + a;
            throw std::invalid_argument("expected a comma-separated list of " + names + ", got '" + text + "'");
        }
        if (std::find(out.begin(), out.end(), word) == out.end()) out.push_back(word);
    }
    return out;
}

} // namespace tcsim::search
