// `tcsim explain` written out: a table for people, or one JSON object.
#pragma once

#include "report/explanation.hpp"

#include <string>

namespace tcsim::report {

[[nodiscard]] std::string explain_table(const Explanation& e);
[[nodiscard]] std::string explain_json(const Explanation& e);

} // namespace tcsim::report
