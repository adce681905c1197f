// The search's writers: a ranked table, JSON (schema "tcsim.search/1") and CSV.
//
// Contract: each writes a SearchResult and nothing else (no wall-clock times), so that the same
// search gives the same bytes. The table and CSV rank the simulated layouts fastest first;
// the table adds the workload's own layout as a reference, the refusals by rule with one
// example each, and the near misses. CSV has one header line and one line per ranked layout.
// Inputs given as ranges were searched at their median: the table's header and the JSON's
// "inputs_at_median" name each with its range (report/inputs_at_median.hpp).
#pragma once

#include "search/layout_search.hpp"

#include <string>

namespace tcsim::search {

inline constexpr const char* kSearchSchema = "tcsim.search/1";

[[nodiscard]] std::string render_search_table(const SearchResult& result);
[[nodiscard]] std::string render_search_json(const SearchResult& result);
[[nodiscard]] std::string render_search_csv(const SearchResult& result);

} // namespace tcsim::search
