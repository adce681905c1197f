// Integer lists as a command line writes them: "8", "1,2,4,8", "1-16", "1,4-8".
//
// Contract: parse_int_list returns the values in increasing order without repeats; a range
// "a-b" (a <= b) stands for every integer from a to b. Every value must lie in [lo, hi]. Throws
// std::invalid_argument saying what was expected (the caller adds the flag's name).
#pragma once

#include <string>
#include <vector>

namespace tcsim::search {

[[nodiscard]] std::vector<int> parse_int_list(const std::string& text, int lo, int hi);

/// Words separated by commas ("none,full"): each must be one of `allowed`; in the order given,
/// without repeats. Throws std::invalid_argument naming the allowed words.
[[nodiscard]] std::vector<std::string> parse_word_list(const std::string& text,
                                                       const std::vector<std::string>& allowed);

} // namespace tcsim::search
