// Words the writers (table, HTML) use for claim verdicts and claimed quantities, in one place.
#pragma once

#include "economics/claim_check.hpp"

#include <string>

namespace tcsim::report {

/// "PLAUSIBLE", "OUT OF SCOPE".
inline std::string upper_verdict(economics::Verdict v) {
    std::string text(economics::to_string(v));
    for (char& c : text) c = c == '_' ? ' ' : static_cast<char>(c - 'a' + 'A');
    return text;
}

/// "days", "GPU-hours", "dollars", "GPU count", "MFU", "hardware".
inline std::string quantity_words(economics::ClaimedQuantity q) {
    switch (q) {
    case economics::ClaimedQuantity::duration_days: return "days";
    case economics::ClaimedQuantity::gpu_hours: return "GPU-hours";
    case economics::ClaimedQuantity::cost_usd: return "dollars";
    case economics::ClaimedQuantity::gpu_count: return "GPU count";
    case economics::ClaimedQuantity::mfu: return "MFU";
    case economics::ClaimedQuantity::hardware: return "hardware";
    }
    return "?";
}

} // namespace tcsim::report
