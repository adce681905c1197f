// `tcsim check FILE... [--json] [--samples N] [--seed S] ...`: simulates the run each claim file
// names and answers in plain words whether the claim is consistent, optimistic, pessimistic or
// inconsistent with it, by how much, the MFU it implies and what would have to be true
// (economics/claim_check.hpp states the thresholds). Exit code 0 whatever the verdict: the
// verdict is the answer, not a failure.
#pragma once

#include "cli/command.hpp"

namespace tcsim::cli {

void add_check_command(CLI::App& app, Commands& commands);

} // namespace tcsim::cli
