// How each physical quantity is written in configuration files: as a string holding a number
// and its unit ("400 Gb/s", "80 GB", "4 us"), parsed once here at the edge by units::parse_*.
//
// Contract: UnitText<Q> exists for every quantity type a configuration file may hold; it names
// an example spelling (quoted in error messages), the parser, and the magnitude used to refuse
// zero where a positive value is required.
#pragma once

#include "units/parse.hpp"
#include "units/quantity.hpp"

#include <string_view>

namespace tcsim::config {

template <class Q>
struct UnitText; // only the specialisations below exist

template <>
struct UnitText<units::Bytes> {
    static constexpr std::string_view example = "80 GB";
    static units::Bytes parse(std::string_view text) { return units::parse_bytes(text); }
    static double magnitude(units::Bytes q) { return q.value(); }
};

template <>
struct UnitText<units::Bandwidth> {
    static constexpr std::string_view example = "400 Gb/s";
    static units::Bandwidth parse(std::string_view text) { return units::parse_bandwidth(text); }
    static double magnitude(units::Bandwidth q) { return q.value(); }
};

template <>
struct UnitText<units::FlopRate> {
    static constexpr std::string_view example = "989.4 TFLOP/s";
    static units::FlopRate parse(std::string_view text) { return units::parse_flop_rate(text); }
    static double magnitude(units::FlopRate q) { return q.value(); }
};

template <>
struct UnitText<units::Seconds> {
    static constexpr std::string_view example = "4 us";
    static units::Seconds parse(std::string_view text) { return units::parse_duration(text); }
    static double magnitude(units::Seconds q) { return q.count(); }
};

template <>
struct UnitText<units::Watts> {
    static constexpr std::string_view example = "700 W";
    static units::Watts parse(std::string_view text) { return units::parse_power(text); }
    static double magnitude(units::Watts q) { return q.value(); }
};

template <>
struct UnitText<units::Dollars> {
    static constexpr std::string_view example = "5.576 MUSD";
    static units::Dollars parse(std::string_view text) { return units::parse_dollars(text); }
    static double magnitude(units::Dollars q) { return q.value(); }
};

template <>
struct UnitText<units::DollarsPerHour> {
    static constexpr std::string_view example = "2.00 USD/h";
    static units::DollarsPerHour parse(std::string_view text) { return units::parse_price_per_hour(text); }
    static double magnitude(units::DollarsPerHour q) { return q.value(); }
};

template <>
struct UnitText<units::EnergyPrice> {
    static constexpr std::string_view example = "0.08 USD/kWh";
    static units::EnergyPrice parse(std::string_view text) { return units::parse_energy_price(text); }
    static double magnitude(units::EnergyPrice q) { return q.value(); }
};

} // namespace tcsim::config
