// One paragraph a journalist can quote: what was simulated, how long and how much, the verdict
// on each claim, and what the dollars leave out.
//
// Contract: summary_paragraph() reads a RunReport that has an assessment (and usually claims)
// and returns plain ASCII sentences without line breaks; it computes nothing physical (every
// number is one of the report's). Empty without an assessment.
#pragma once

#include "report/run_report.hpp"

#include <string>

namespace tcsim::report {

std::string summary_paragraph(const RunReport& report);

} // namespace tcsim::report
