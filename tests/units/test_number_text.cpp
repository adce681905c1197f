// Numbers as reports write them (sim/units/number_text.hpp).
#include "units/number_text.hpp"

#include <doctest/doctest.h>

#include <limits>

using namespace tcsim::units;

TEST_CASE("with_thousands rounds and groups digits") {
    CHECK(with_thousands(2663912.4) == "2,663,912");
    CHECK(with_thousands(-1234.6) == "-1,235");
    CHECK(with_thousands(999) == "999");
    CHECK(with_thousands(std::numeric_limits<double>::quiet_NaN()) == "n/a");
}

TEST_CASE("short_number: three significant figures, separators below 10,000, suffixes above") {
    CHECK(short_number(2.788e6) == "2.79M");
    CHECK(short_number(835000) == "835K");
    CHECK(short_number(1.2e9) == "1.2B");
    CHECK(short_number(5000) == "5,000"); // not "5e+03"
    CHECK(short_number(9999.4) == "9,999");
    CHECK(short_number(34.04) == "34");
    CHECK(short_number(9.56) == "9.56");
    CHECK(short_number(0.25) == "0.25");
    CHECK(short_number(std::numeric_limits<double>::infinity()) == "n/a");
}
