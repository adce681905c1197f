// Uncertain inputs (issue 20): numeric keys given as ranges or distributions are checked as
// their values would be, recorded, and loaded as their median; hostile ranges are refused at
// their file, line and key.
#include "config/config_error.hpp"
#include "config/limits.hpp"
#include "config/toml_reader.hpp"
#include "config/uncertain_value.hpp"
#include "config_error_capture.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <string>

using namespace tcsim;
using namespace tcsim::config;
using tcsim::config::testing::config_error_from;

namespace {

/// Reads `tokens` (a number), `layers` (an integer), `price` (a quantity) and `name` (a string)
/// from `text` in a document that accepts uncertain values; returns what was recorded.
struct Read {
    double tokens = 0;
    int layers = 0;
    double price = 0;
    UncertainValues recorded;
};

Read read(const std::string& text) {
    Read out;
    TomlDocument doc("w.toml", text);
    doc.accept_uncertain(FileKind::workload, out.recorded);
    TableReader root = doc.root();
    out.tokens = root.number_or("tokens", 1.0, limits::tokens);
    out.layers = root.integer_or("layers", 1, limits::layers);
    if (const auto p = root.optional_quantity<units::DollarsPerHour>("price", limits::rental_price))
        out.price = p->value(); // dollars per hour
    (void)root.optional_string("name");
    doc.finish();
    return out;
}

} // namespace

TEST_CASE("a uniform range loads its midpoint and is recorded with its source") {
    const Read r = read("tokens = { low = 12e12, high = 14e12, source = \"reported ~13T\" }\n");
    CHECK(r.tokens == 13e12);
    REQUIRE(r.recorded.all().size() == 1);
    const UncertainValue& v = r.recorded.all()[0];
    CHECK(v.name() == "workload.tokens");
    CHECK(v.distribution == Distribution::uniform);
    CHECK(v.low_end() == 12e12);
    CHECK(v.high_end() == 14e12);
    CHECK(v.source == "reported ~13T");
    CHECK(v.where == "w.toml:1:10");
    // Uniform quantiles are linear between the ends.
    CHECK(v.quantile(0.25) == doctest::Approx(12.5e12));
}

TEST_CASE("log-uniform, log-normal and listed values load their medians") {
    // Log-uniform: the median of exp(U(ln a, ln b)) is sqrt(a b).
    CHECK(read("tokens = { low = 1e12, high = 100e12, dist = \"log-uniform\" }").tokens == doctest::Approx(10e12));
    // Log-normal through p5 and p95: symmetric in log space, so its median is sqrt(p5 p95), and
    // its 5th and 95th percentiles are the given ones.
    const Read ln = read("tokens = { p5 = 4e12, p95 = 16e12 }");
    CHECK(ln.tokens == doctest::Approx(8e12));
    const UncertainValue& v = ln.recorded.all()[0];
    CHECK(v.quantile(0.05) == doctest::Approx(4e12).epsilon(1e-6));
    CHECK(v.quantile(0.95) == doctest::Approx(16e12).epsilon(1e-6));
    CHECK(v.quantile(0.5) == doctest::Approx(8e12).epsilon(1e-9));
    // A list: its middle value once sorted; each value equally likely.
    const Read list = read("layers = { values = [120, 96, 100] }");
    CHECK(list.layers == 100);
    CHECK(list.recorded.all()[0].quantile(0.1) == 96);
    CHECK(list.recorded.all()[0].quantile(0.9) == 120);
}

TEST_CASE("an integer key draws integers only, and its median is an integer") {
    const Read r = read("layers = { low = 95, high = 100 }");
    CHECK(r.layers == 98); // 97.5 rounded half up
    const UncertainValue& v = r.recorded.all()[0];
    for (const double u : {0.0, 0.1, 0.33, 0.5, 0.77, 0.999}) {
        const double x = v.quantile(u);
        CHECK(x == std::floor(x));
        CHECK(x >= 95);
        CHECK(x <= 100);
    }
    // Each of the six integers equally likely: u in [0, 1/6) gives 95, [5/6, 1) gives 100.
    CHECK(v.quantile(0.1) == 95);
    CHECK(v.quantile(0.9) == 100);
}

TEST_CASE("a quantity range keeps its unit") {
    const Read r = read("price = { low = \"1 USD/h\", high = \"2 USD/h\" }");
    CHECK(r.price == doctest::Approx(1.5));
    CHECK(r.recorded.all()[0].toml_text(1.25) == "\"1.25 USD/h\"");
}

TEST_CASE("hostile ranges are refused at their file, line and key") {
    const auto message = [](const std::string& text) {
        return std::string(config_error_from([&] { (void)read(text); }).what());
    };
    // low > high (and low == high).
    CHECK(message("tokens = { low = 14e12, high = 12e12 }") ==
          "w.toml:1:18: key 'tokens': expected low < high, found low = 1.4e+13 and high = 1.2e+13");
    CHECK(message("tokens = { low = 1e12, high = 1e12 }").find("expected low < high") != std::string::npos);
    // Out of the key's physical range (config/limits.hpp: tokens 1 to 1e18), at the end that is.
    CHECK(message("x = 1\ntokens = { low = 1e12, high = 1e19 }") ==
          "w.toml:2:31: key 'tokens.high': expected a number from 1 to 1e+18, found 1e+19");
    CHECK(message("layers = { values = [96, 0] }").find("key 'layers.values[1]'") != std::string::npos);
    // Integer keys take integers only.
    CHECK(message("layers = { low = 90.5, high = 96 }") ==
          "w.toml:1:18: key 'layers.low': this key takes integers only: expected an integer, found "
          "floating-point number 90.5");
    // A range on a string key is a wrong type.
    CHECK(message("name = { low = 1, high = 2 }") == "w.toml:1:8: key 'name': expected a string, found a table");
    // Log distributions need positive ends; a list needs two values; forms do not mix.
    CHECK(message("tokens = { p5 = 0, p95 = 1e12 }").find("key 'tokens.p5'") != std::string::npos);
    CHECK(message("tokens = { values = [1e12] }").find("expected at least two values") != std::string::npos);
    CHECK(message("tokens = { low = 1e12, high = 2e12, p95 = 3e12 }").find("found several") != std::string::npos);
    CHECK(message("tokens = { low = 1e12, hihg = 2e12 }").find("unknown key 'hihg' in a range") != std::string::npos);
    CHECK(message("tokens = { low = 1e12, high = 2e12, dist = \"normal\" }").find("key 'tokens.dist'") !=
          std::string::npos);
    // A quantity's ends share one unit.
    CHECK(message("price = { low = \"1 USD/h\", high = \"2000 mUSD/h\" }").find("the same unit") != std::string::npos);
}

TEST_CASE("a document that does not accept uncertain values refuses a range as a wrong type") {
    TomlDocument doc("c.toml", "tokens = { low = 1, high = 2 }");
    TableReader root = doc.root();
    const ConfigError e = config_error_from([&] { (void)root.number("tokens", limits::tokens); });
    CHECK(std::string(e.what()) == "c.toml:1:10: key 'tokens': expected a positive number, found a table");
}
