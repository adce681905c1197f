// Parsing of quantities written as text with their unit ("400 Gb/s", "80 GB", "2.8 us").
//
// Contract: a number, optional spaces, then a unit from the fixed table of each function; the
// unit is mandatory. Anything else throws `UnitError` whose message says what was expected and
// quotes the input, e.g. `expected a bandwidth with a unit, such as "400 Gb/s" or "50 GB/s"; a
// bare number is ambiguous, got "400"`; an unknown unit's message also lists the known ones.
// Callers (the TOML layer) add the file, line, column and key. Negative values (and values
// that overflow a double) are refused here; "-0" is zero; whether zero is allowed is the
// caller's decision.
#pragma once

#include "units/quantity.hpp"

#include <stdexcept>
#include <string>
#include <string_view>

namespace tcsim::units {

class UnitError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

Bytes parse_bytes(std::string_view text);         // B, kB/KB, MB, GB, TB, PB, KiB, MiB, GiB, TiB, PiB
Bandwidth parse_bandwidth(std::string_view text); // b/s, kb/s(Kb/s)..Tb/s, Gbps, Tbps, B/s..TB/s, MiB/s, GiB/s
FlopRate parse_flop_rate(std::string_view text);  // FLOP/s, GFLOP/s, TFLOP/s, PFLOP/s (also TFLOPS)
Seconds parse_duration(std::string_view text);    // ns, us (µs, μs), ms, s, min, h, day(s)
Watts parse_power(std::string_view text);         // W, kW, MW, GW
Dollars parse_dollars(std::string_view text);     // USD, kUSD, MUSD, BUSD
DollarsPerHour parse_price_per_hour(std::string_view text); // USD/h (per GPU-hour where used)
EnergyPrice parse_energy_price(std::string_view text);      // USD/kWh, USD/MWh

} // namespace tcsim::units
