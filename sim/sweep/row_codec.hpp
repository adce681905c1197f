// Sweep rows as text, to cross from one process to another (MPI, mpi_share.hpp).
//
// Contract: decode_rows(encode_rows(rows)) == rows exactly: every double comes back with the
// same bits (shortest round-trip text; NaN as null), so rows computed on another process render
// the same bytes as rows computed here. decode_rows throws std::invalid_argument on text that
// encode_rows did not write.
#pragma once

#include "sweep/sweep_row.hpp"

#include <string>
#include <vector>

namespace tcsim::sweep {

[[nodiscard]] std::string encode_rows(const std::vector<SweepRow>& rows);
[[nodiscard]] std::vector<SweepRow> decode_rows(const std::string& text);

} // namespace tcsim::sweep
