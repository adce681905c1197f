// "Did you mean ...?": the closest known spelling to a misspelt word.
//
// Contract: `edit_distance` is the optimal-string-alignment distance (insertions, deletions,
// substitutions and adjacent transpositions each cost 1), compared case-insensitively.
// `closest_spelling` returns the candidate nearest to `word` when that distance is small enough
// to be a plausible typo (1 for words of up to five letters, else at most 2 or a third of the
// word's length, whichever is larger), else nothing.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tcsim::config {

[[nodiscard]] std::size_t edit_distance(std::string_view a, std::string_view b);

[[nodiscard]] std::optional<std::string> closest_spelling(std::string_view word,
                                                          const std::vector<std::string>& candidates);

/// `"a", "b", "c"` (for messages listing the allowed spellings).
[[nodiscard]] std::string quoted_list(const std::vector<std::string>& words);

} // namespace tcsim::config
