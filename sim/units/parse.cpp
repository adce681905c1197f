// Unit parsing: one table per dimension, one shared scanner. Units are case-sensitive because
// "Gb" (gigabit) and "GB" (gigabyte) differ by a factor of eight.
#include "units/parse.hpp"

#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <utility>

namespace tcsim::units {
namespace {

struct UnitFactor {
    std::string_view unit;
    double factor; // multiplier to the SI base unit
};

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

template <std::size_t N>
double parse_with(std::string_view text, const std::array<UnitFactor, N>& table, std::string_view what,
                  std::string_view example) {
    auto fail = [&]() -> double {
        throw UnitError("expected " + std::string(what) + " such as " + std::string(example) + ", got \"" +
                        std::string(text) + "\"");
    };
    std::string_view s = trim(text);
    // Scan the numeric prefix: digits, one dot, an exponent.
    std::size_t i = 0;
    while (i < s.size() &&
           (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.' || s[i] == '+' || s[i] == '-' ||
            ((s[i] == 'e' || s[i] == 'E') && i + 1 < s.size() &&
             (std::isdigit(static_cast<unsigned char>(s[i + 1])) || s[i + 1] == '-' || s[i + 1] == '+'))))
        ++i;
    if (i == 0) return fail();
    double number = 0.0;
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + i, number);
    if (ec != std::errc() || ptr != s.data() + i || !std::isfinite(number)) return fail();
    if (number < 0.0) throw UnitError(std::string(what) + " must not be negative, got \"" + std::string(text) + "\"");
    number += 0.0; // "-0" is zero: make it +0.0
    const std::string_view unit = trim(s.substr(i));
    if (unit.empty()) {
        throw UnitError("expected " + std::string(what) + " with a unit, such as " + std::string(example) +
                        "; a bare number is ambiguous, got \"" + std::string(text) + "\"");
    }
    for (const auto& [name, factor] : table)
        if (name == unit) {
            const double value = number * factor;
            if (!std::isfinite(value)) {
                throw UnitError(std::string(what) + " is out of range, got \"" + std::string(text) + "\"");
            }
            return value;
        }
    std::string known;
    for (const auto& entry : table) {
        if (!known.empty()) known += ", ";
        known += entry.unit;
    }
    throw UnitError("expected " + std::string(what) + " such as " + std::string(example) + ", got \"" +
                    std::string(text) + "\": unknown unit \"" + std::string(unit) +
                    "\" (units are case-sensitive; known: " + known + ")");
}

constexpr std::array<UnitFactor, 12> kBytes{{{"B", 1.0},
                                             {"kB", 1e3},
                                             {"KB", 1e3},
                                             {"MB", 1e6},
                                             {"GB", 1e9},
                                             {"TB", 1e12},
                                             {"PB", 1e15},
                                             {"KiB", 1024.0},
                                             {"MiB", 1048576.0},
                                             {"GiB", 1073741824.0},
                                             {"TiB", 1099511627776.0},
                                             {"PiB", 1125899906842624.0}}};

constexpr std::array<UnitFactor, 16> kBandwidth{{{"b/s", 1.0 / 8},
                                                 {"kb/s", 1e3 / 8},
                                                 {"Kb/s", 1e3 / 8},
                                                 {"Mb/s", 1e6 / 8},
                                                 {"Gb/s", 1e9 / 8},
                                                 {"Tb/s", 1e12 / 8},
                                                 {"Gbps", 1e9 / 8},
                                                 {"Tbps", 1e12 / 8},
                                                 {"B/s", 1.0},
                                                 {"kB/s", 1e3},
                                                 {"KB/s", 1e3},
                                                 {"MB/s", 1e6},
                                                 {"GB/s", 1e9},
                                                 {"TB/s", 1e12},
                                                 {"GiB/s", 1073741824.0},
                                                 {"MiB/s", 1048576.0}}};

constexpr std::array<UnitFactor, 8> kFlopRate{{{"FLOP/s", 1.0},
                                               {"GFLOP/s", 1e9},
                                               {"TFLOP/s", 1e12},
                                               {"PFLOP/s", 1e15},
                                               {"FLOPS", 1.0},
                                               {"GFLOPS", 1e9},
                                               {"TFLOPS", 1e12},
                                               {"PFLOPS", 1e15}}};

constexpr std::array<UnitFactor, 10> kDuration{{{"ns", 1e-9},
                                                {"us", 1e-6},
                                                {"ms", 1e-3},
                                                {"s", 1.0},
                                                {"min", 60.0},
                                                {"h", 3600.0},
                                                {"day", 86400.0},
                                                {"days", 86400.0},
                                                {"\xC2\xB5s", 1e-6},   // U+00B5 micro sign
                                                {"\xCE\xBCs", 1e-6}}}; // U+03BC Greek small mu

constexpr std::array<UnitFactor, 4> kPower{{{"W", 1.0}, {"kW", 1e3}, {"MW", 1e6}, {"GW", 1e9}}};

constexpr std::array<UnitFactor, 4> kDollars{{{"USD", 1.0}, {"kUSD", 1e3}, {"MUSD", 1e6}, {"BUSD", 1e9}}};

constexpr std::array<UnitFactor, 1> kPricePerHour{{{"USD/h", 1.0}}};

// In dollars per joule: 1 kWh = 3.6e6 J.
constexpr std::array<UnitFactor, 2> kEnergyPrice{{{"USD/kWh", 1.0 / 3.6e6}, {"USD/MWh", 1.0 / 3.6e9}}};

} // namespace

Bytes parse_bytes(std::string_view t) { return Bytes(parse_with(t, kBytes, "a size", "\"80 GB\" or \"512 MiB\"")); }
Bandwidth parse_bandwidth(std::string_view t) {
    return Bandwidth(parse_with(t, kBandwidth, "a bandwidth", "\"400 Gb/s\" or \"50 GB/s\""));
}
FlopRate parse_flop_rate(std::string_view t) {
    return FlopRate(parse_with(t, kFlopRate, "a compute rate", "\"989.4 TFLOP/s\""));
}
Seconds parse_duration(std::string_view t) {
    return Seconds(parse_with(t, kDuration, "a duration", "\"2.8 us\", \"30 s\" or \"2 h\""));
}
Watts parse_power(std::string_view t) { return Watts(parse_with(t, kPower, "a power", "\"700 W\" or \"10.2 kW\"")); }
Dollars parse_dollars(std::string_view t) {
    return Dollars(parse_with(t, kDollars, "an amount of money", "\"5.576 MUSD\" or \"250 USD\""));
}
DollarsPerHour parse_price_per_hour(std::string_view t) {
    return DollarsPerHour(parse_with(t, kPricePerHour, "a price per hour", "\"2.00 USD/h\""));
}
EnergyPrice parse_energy_price(std::string_view t) {
    return EnergyPrice(parse_with(t, kEnergyPrice, "a price of energy", "\"0.08 USD/kWh\""));
}

} // namespace tcsim::units
