// Parsing quantities with units (sim/units/parse.hpp).
#include "units/parse.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

using namespace tcsim::units;

namespace {

struct Case {
    std::string_view text;
    double si; // expected value in the SI base unit
};

template <class Parse>
void check_all(Parse parse, const std::vector<Case>& cases) {
    for (const Case& c : cases) {
        CAPTURE(c.text);
        CHECK(parse(c.text).value() == doctest::Approx(c.si).epsilon(1e-15));
    }
}

// The message of the UnitError that parsing `text` throws ("" if none is thrown).
template <class Parse>
std::string error_of(Parse parse, std::string_view text) {
    try {
        (void)parse(text);
    } catch (const UnitError& e) {
        return e.what();
    }
    return "";
}

bool contains(const std::string& haystack, std::string_view needle) {
    return haystack.find(needle) != std::string::npos;
}

} // namespace

TEST_CASE("sizes: every unit, decimal and binary prefixes") {
    check_all(parse_bytes, {{"1 B", 1.0},
                            {"1 kB", 1e3},
                            {"1 KB", 1e3},
                            {"1 MB", 1e6},
                            {"80 GB", 80e9},
                            {"2 TB", 2e12},
                            {"1 PB", 1e15},
                            {"1 KiB", 1024.0},
                            {"512 MiB", 512.0 * 1048576.0},
                            {"80 GiB", 80.0 * 1073741824.0},
                            {"1 TiB", 1099511627776.0},
                            {"1 PiB", 1125899906842624.0}});
    // Binary and decimal differ: 1 GiB is 7.4% more than 1 GB.
    CHECK(parse_bytes("1 GiB") > parse_bytes("1 GB"));
}

TEST_CASE("bandwidths: bits and bytes per second") {
    check_all(parse_bandwidth, {{"8 b/s", 1.0},
                                {"8 kb/s", 1e3},
                                {"8 Kb/s", 1e3},
                                {"8 Mb/s", 1e6},
                                {"400 Gb/s", 50e9},
                                {"1.6 Tb/s", 200e9},
                                {"400 Gbps", 50e9},
                                {"3.2 Tbps", 400e9},
                                {"1 B/s", 1.0},
                                {"1 kB/s", 1e3},
                                {"1 KB/s", 1e3},
                                {"1 MB/s", 1e6},
                                {"900 GB/s", 900e9},
                                {"3.35 TB/s", 3.35e12},
                                {"1 MiB/s", 1048576.0},
                                {"1 GiB/s", 1073741824.0}});
    // Case matters: Gb is a gigabit, GB a gigabyte.
    CHECK(parse_bandwidth("8 Gb/s") == parse_bandwidth("1 GB/s"));
}

TEST_CASE("compute rates") {
    check_all(parse_flop_rate, {{"1 FLOP/s", 1.0},
                                {"1 GFLOP/s", 1e9},
                                {"989.4 TFLOP/s", 989.4e12},
                                {"1.979 PFLOP/s", 1.979e15},
                                {"1 FLOPS", 1.0},
                                {"1 GFLOPS", 1e9},
                                {"989 TFLOPS", 989e12},
                                {"2 PFLOPS", 2e15}});
}

TEST_CASE("durations") {
    const std::vector<std::pair<std::string_view, double>> cases{
        {"500 ns", 500e-9}, {"2.8 us", 2.8e-6},       {"2.8 \xC2\xB5s", 2.8e-6}, {"2.8 \xCE\xBCs", 2.8e-6},
        {"3 ms", 3e-3},     {"30 s", 30.0},           {"1.5 min", 90.0},         {"2 h", 7200.0},
        {"1 day", 86400.0}, {"54 days", 54 * 86400.0}};
    for (const auto& [text, seconds] : cases) {
        CAPTURE(text);
        CHECK(parse_duration(text).count() == doctest::Approx(seconds).epsilon(1e-15));
    }
}

TEST_CASE("power, money and prices") {
    check_all(parse_power, {{"700 W", 700.0}, {"10.2 kW", 10.2e3}, {"150 MW", 150e6}, {"1 GW", 1e9}});
    check_all(parse_dollars, {{"250 USD", 250.0}, {"12 kUSD", 12e3}, {"5.576 MUSD", 5.576e6}, {"1.2 BUSD", 1.2e9}});
    check_all(parse_price_per_hour, {{"2.00 USD/h", 2.0}, {"0.85 USD/h", 0.85}});
    // Energy prices are held in dollars per joule: 1 kWh = 3.6 MJ.
    check_all(parse_energy_price, {{"0.08 USD/kWh", 0.08 / 3.6e6}, {"80 USD/MWh", 0.08 / 3.6e6}});
}

TEST_CASE("number syntax: decimals, exponents, spacing") {
    CHECK(parse_bytes("80GB").value() == 80e9); // the space is optional
    CHECK(parse_bytes("  80   GB  ").value() == 80e9);
    CHECK(parse_bytes("\t80 GB\n").value() == 80e9);
    CHECK(parse_bytes("0.5 GB").value() == 0.5e9);
    CHECK(parse_bytes(".5 GB").value() == 0.5e9);
    CHECK(parse_bytes("1e3 B").value() == 1e3);
    CHECK(parse_bytes("1E3 B").value() == 1e3);
    CHECK(parse_bytes("1.5e-3 GB").value() == doctest::Approx(1.5e6));
    CHECK(parse_bytes("2e+2 MB").value() == doctest::Approx(200e6));
    CHECK(parse_duration("1e-6 s").count() == 1e-6);
    // Zero is a number like any other (callers decide whether it is allowed); "-0" is plain zero.
    CHECK(parse_bytes("0 B").value() == 0.0);
    CHECK_FALSE(std::signbit(parse_bytes("-0 GB").value()));
}

TEST_CASE("the unit is mandatory") {
    for (std::string_view bare : {"400", "80", "0", "1e9", " 42 "}) {
        CAPTURE(bare);
        const std::string message = error_of(parse_bandwidth, bare);
        CHECK(contains(message, "expected a bandwidth with a unit"));
        CHECK(contains(message, "400 Gb/s"));                                   // an example of what is expected
        CHECK(contains(message, std::string("\"") + std::string(bare) + "\"")); // the input, quoted
    }
    CHECK_THROWS_AS(parse_bytes("80"), UnitError);
    CHECK_THROWS_AS(parse_flop_rate("989.4"), UnitError);
    CHECK_THROWS_AS(parse_duration("30"), UnitError);
    CHECK_THROWS_AS(parse_power("700"), UnitError);
    CHECK_THROWS_AS(parse_dollars("250"), UnitError);
    CHECK_THROWS_AS(parse_price_per_hour("2.00"), UnitError);
}

TEST_CASE("negative values are refused") {
    const std::string message = error_of(parse_bytes, "-1 GB");
    CHECK(contains(message, "must not be negative"));
    CHECK(contains(message, "\"-1 GB\""));
    CHECK_THROWS_AS(parse_bandwidth("-400 Gb/s"), UnitError);
    CHECK_THROWS_AS(parse_flop_rate("-1 TFLOP/s"), UnitError);
    CHECK_THROWS_AS(parse_duration("-2.8 us"), UnitError);
    CHECK_THROWS_AS(parse_duration("-1e-9 s"), UnitError);
    CHECK_THROWS_AS(parse_power("-700 W"), UnitError);
    CHECK_THROWS_AS(parse_dollars("-5 USD"), UnitError);
    CHECK_THROWS_AS(parse_price_per_hour("-2 USD/h"), UnitError);
}

TEST_CASE("unknown and mis-cased units are refused, listing the known ones") {
    const std::string message = error_of(parse_bytes, "80 gigabytes");
    CHECK(contains(message, "expected a size such as"));
    CHECK(contains(message, "\"80 gigabytes\""));
    CHECK(contains(message, "unknown unit \"gigabytes\""));
    CHECK(contains(message, "GiB")); // the list of known units

    // Units are case-sensitive: "gb" is neither a gigabit nor a gigabyte.
    CHECK(contains(error_of(parse_bytes, "80 gb"), "case-sensitive"));
    CHECK_THROWS_AS(parse_bandwidth("400 gb/s"), UnitError);
    CHECK_THROWS_AS(parse_bandwidth("400 GBPS"), UnitError);
    CHECK_THROWS_AS(parse_duration("30 S"), UnitError);
    CHECK_THROWS_AS(parse_power("700 w"), UnitError);
    CHECK_THROWS_AS(parse_flop_rate("1 tflop/s"), UnitError);
    // A unit of another dimension is not accepted.
    CHECK_THROWS_AS(parse_bytes("50 GB/s"), UnitError);
    CHECK_THROWS_AS(parse_bandwidth("50 GB"), UnitError);
    CHECK_THROWS_AS(parse_duration("700 W"), UnitError);
    CHECK_THROWS_AS(parse_dollars("2 USD/h"), UnitError);
    CHECK_THROWS_AS(parse_price_per_hour("2 USD"), UnitError);
    CHECK_THROWS_AS(parse_flop_rate("1 TFLOP"), UnitError); // an amount, not a rate
}

TEST_CASE("garbage is refused with a message that quotes it") {
    for (std::string_view junk :
         {"",      "   ",   "GB",    "abc",    "GB 80",  "80 GB GB", "1..2 GB", "1.2.3 GB", "1-2 GB",   "--1 GB",
          "+5 GB", "1e GB", "e5 GB", "nan GB", "inf GB", "0x10 GB",  "1,5 GB",  "80 G B",   "1e400 GB", "1e300 PB"}) {
        CAPTURE(junk);
        const std::string message = error_of(parse_bytes, junk);
        CHECK_FALSE(message.empty());
        CHECK(contains(message, std::string("\"") + std::string(junk) + "\""));
    }
    CHECK(contains(error_of(parse_bytes, "abc"), "expected a size such as \"80 GB\""));
    CHECK(contains(error_of(parse_bytes, "1e300 PB"), "out of range"));
    // UnitError is a std::runtime_error, so callers may catch either.
    CHECK_THROWS_AS(parse_bytes("abc"), std::runtime_error);
}
