// `tcsim validate [PATH...] [--json] [--jobs N] [--replace FILE=OTHER]...`: predicts every
// calibration record (all of calibrations/ by default) and compares it with what was published.
// Exit code 0 when every value is within its tolerance, 3 when some are not (the report still
// goes to stdout), 2 when a record cannot be evaluated or a file is wrong.
#pragma once

#include "cli/command.hpp"

namespace tcsim::cli {

void add_validate_command(CLI::App& app, Commands& commands);

} // namespace tcsim::cli
