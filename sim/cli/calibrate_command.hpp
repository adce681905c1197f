// `tcsim calibrate --train SET... --params NAME,... [--file EFFICIENCY_FILE] [--out FILE]`:
// fits efficiency parameters to the training sets' records by least squares, reports the
// training and leave-one-out errors, and writes the parameter file with the fitted values and
// their provenance.
#pragma once

#include "cli/command.hpp"

namespace tcsim::cli {

void add_calibrate_command(CLI::App& app, Commands& commands);

} // namespace tcsim::cli
