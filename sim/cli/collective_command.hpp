// `tcsim collective --cluster FILE --op OP --gpus N [--sizes 1K:16G] [--algorithm A] [--json]`:
// an nccl-tests-like sweep of one collective on the flow network (network/collective_benchmark.hpp).
// Prints size, time, algorithm bandwidth, bus bandwidth and the algorithm per size, as a table or
// one JSON object.
#pragma once

#include "cli/command.hpp"

#include <string_view>
#include <vector>

#include "units/quantity.hpp"

namespace tcsim::cli {

void add_collective_command(CLI::App& app, Commands& commands);

/// Message sizes as nccl-tests takes them: "SIZE" or "FROM:TO" (doubling), SIZE a number with an
/// optional K, M, G or T suffix (binary: 1K = 1024 bytes, as nccl-tests) or a unit ("64 MiB").
/// Throws InputError on anything else.
std::vector<units::Bytes> parse_size_sweep(std::string_view text);

} // namespace tcsim::cli
