// The strict TOML reader (sim/io/toml_reader.hpp), spelling suggestions and file access.
#include "config/config_files.hpp"
#include "config/spelling.hpp"
#include "config/toml_reader.hpp"
#include "config_error_capture.hpp"

#include <doctest/doctest.h>

#include <array>
#include <filesystem>
#include <string>

using namespace tcsim;
using namespace tcsim::config;
using tcsim::config::testing::config_error_from;

namespace {

enum class Colour { red, green };
constexpr std::array<Spelling<Colour>, 2> kColours{{{"red", Colour::red}, {"green", Colour::green}}};

} // namespace

TEST_CASE("typed getters read what the file says") {
    TomlDocument doc("t.toml", R"(name = "x"
count = 3
ratio = 2
scale = 0.5
on = true
link = "400 Gb/s"
hbm = "80 GB"
peak = "989.4 TFLOP/s"
launch = "4 us"
tdp = "700 W"
price = "2 USD/h"
colour = "green"
big = 14800000000000
[sub]
inner = 7
)");
    TableReader r = doc.root();
    CHECK(r.string("name") == "x");
    CHECK(r.integer("count", Bound::positive) == 3);
    CHECK(r.number("ratio") == 2.0); // "double (accept ints)"
    CHECK(r.number("scale") == 0.5);
    CHECK(r.boolean("on"));
    CHECK(r.quantity<units::Bandwidth>("link").value() == doctest::Approx(50e9));
    CHECK(r.quantity<units::Bytes>("hbm").value() == doctest::Approx(80e9));
    CHECK(r.quantity<units::FlopRate>("peak").value() == doctest::Approx(989.4e12));
    CHECK(r.quantity<units::Seconds>("launch").count() == doctest::Approx(4e-6));
    CHECK(r.quantity<units::Watts>("tdp").value() == doctest::Approx(700.0));
    CHECK(r.quantity<units::DollarsPerHour>("price").value() == doctest::Approx(2.0));
    CHECK(r.choice("colour", kColours) == Colour::green);
    CHECK(r.integer64("big") == 14800000000000LL);
    TableReader sub = r.table("sub");
    CHECK(sub.path() == "sub");
    CHECK(sub.integer("inner") == 7);
    CHECK_NOTHROW(doc.finish());
}

TEST_CASE("optional getters: absent keys give nothing or the fallback") {
    TomlDocument doc("t.toml", "a = 1\n");
    TableReader r = doc.root();
    CHECK(r.integer("a") == 1);
    CHECK_FALSE(r.optional_integer("b").has_value());
    CHECK(r.integer_or("c", 9) == 9);
    CHECK(r.number_or("d", 1.5) == 1.5);
    CHECK(r.string_or("e", "dflt") == "dflt");
    CHECK(r.boolean_or("f", true));
    CHECK_FALSE(r.optional_quantity<units::Bytes>("g").has_value());
    CHECK(r.choice_or("h", kColours, Colour::red) == Colour::red);
    CHECK_FALSE(r.optional_table("i").has_value());
    CHECK(r.tables("j").empty());
    CHECK(r.strings("k").empty());
    CHECK_NOTHROW(doc.finish());
}

TEST_CASE("integers refuse floats; the message says what was expected and what was found") {
    TomlDocument doc("t.toml", "layers = 61.0\n");
    const auto e = config_error_from([&] { (void)doc.root().integer("layers", Bound::positive); });
    CHECK(std::string(e.what()) ==
          "t.toml:1:10: key 'layers': expected a positive integer, found floating-point number 61");
    CHECK(e.file() == "t.toml");
    CHECK(e.line() == 1);
    CHECK(e.column() == 10);
    CHECK(e.key() == "layers");
}

TEST_CASE("integers out of int range are refused") {
    TomlDocument doc("t.toml", "n = 3000000000\n");
    const auto e = config_error_from([&] { (void)doc.root().integer("n"); });
    CHECK(std::string(e.what()).find("expected an integer from") != std::string::npos);
}

TEST_CASE("a quantity written as a bare number is refused with an example of the right form") {
    // Requirement: wrong type reads "expected a string like \"400 Gb/s\", found integer".
    TomlDocument doc("c.toml", "\nnic_bandwidth = 400\n");
    const auto e = config_error_from([&] { (void)doc.root().quantity<units::Bandwidth>("nic_bandwidth"); });
    CHECK(std::string(e.what()) ==
          "c.toml:2:17: key 'nic_bandwidth': expected a string like \"400 Gb/s\", found integer 400");
}

TEST_CASE("a quantity string without its unit carries the unit parser's explanation") {
    TomlDocument doc("c.toml", "hbm = \"80\"\n");
    const auto e = config_error_from([&] { (void)doc.root().quantity<units::Bytes>("hbm"); });
    CHECK(e.key() == "hbm");
    CHECK(e.problem().find("a bare number is ambiguous") != std::string::npos);
}

TEST_CASE("zero and negative values are refused where a positive value is required") {
    TomlDocument doc("t.toml", "a = 0\nb = -2\nc = \"0 GB\"\nd = 0.0\n");
    TableReader r = doc.root();
    CHECK(config_error_from([&] { (void)r.integer("a", Bound::positive); }).problem() ==
          "expected a positive integer, found 0 (must be greater than zero)");
    CHECK(config_error_from([&] { (void)r.integer("b", Bound::non_negative); }).problem() ==
          "expected a non-negative integer, found -2");
    CHECK(config_error_from([&] { (void)r.quantity<units::Bytes>("c"); }).problem() ==
          "expected a positive value like \"80 GB\", found \"0 GB\" (must be greater than zero)");
    CHECK(config_error_from([&] { (void)r.number("d", Bound::positive); }).line() == 4);
    CHECK(r.integer("a", Bound::non_negative) == 0);
}

TEST_CASE("a missing required key is reported with the expectation at its table") {
    TomlDocument doc("w.toml", "x = 1\n\n[model]\nlayers = 3\n");
    TableReader model = doc.root().table("model");
    const auto e = config_error_from([&] { (void)model.integer("hidden", Bound::positive); });
    CHECK(std::string(e.what()) ==
          "w.toml:3:1: key 'model.hidden': required key is missing; expected a positive integer");
}

TEST_CASE("choices list the allowed spellings and suggest the nearest") {
    TomlDocument doc("t.toml", "colour = \"gren\"\n");
    const auto e = config_error_from([&] { (void)doc.root().choice("colour", kColours); });
    CHECK(e.problem() == "expected one of \"red\", \"green\", found \"gren\" (did you mean \"green\"?)");
}

TEST_CASE("finish refuses a key nobody asked for and suggests the one that was meant") {
    TomlDocument doc("g.toml", "[gpu]\nnvlink = \"400 GB/s\"\nhbm_bandwith = \"3.35 TB/s\"\n");
    TableReader gpu = doc.root().table("gpu");
    (void)gpu.quantity<units::Bandwidth>("nvlink");
    (void)gpu.optional_quantity<units::Bandwidth>("hbm_bandwidth"); // asked for, absent: misspelt
    const auto e = config_error_from([&] { doc.finish(); });
    CHECK(std::string(e.what()) ==
          "g.toml:3:1: key 'gpu.hbm_bandwith': unknown key 'hbm_bandwith' (did you mean 'hbm_bandwidth'?)");
}

TEST_CASE("finish reports the first unknown key in file order, also in unopened tables and arrays") {
    SUBCASE("unknown table") {
        TomlDocument doc("t.toml", "a = 1\n[extra]\nb = 2\n");
        (void)doc.root().integer("a");
        const auto e = config_error_from([&] { doc.finish(); });
        CHECK(e.key() == "extra");
        CHECK(e.line() == 2);
        CHECK(e.problem() == "unknown key 'extra'; the keys known here are \"a\"");
    }
    SUBCASE("key inside an array of tables") {
        TomlDocument doc("t.toml", "[[stage]]\nsteps = 1\n[[stage]]\nsteps = 2\nstep = 3\n");
        for (TableReader& s : doc.root().tables("stage")) (void)s.integer("steps");
        const auto e = config_error_from([&] { doc.finish(); });
        CHECK(e.key() == "stage[1].step");
        CHECK(e.line() == 5);
        CHECK(e.problem() == "unknown key 'step' (did you mean 'steps'?)");
    }
    SUBCASE("the earliest of several") {
        TomlDocument doc("t.toml", "zz = 1\naa = 2\nok = 3\n");
        (void)doc.root().integer("ok");
        CHECK(config_error_from([&] { doc.finish(); }).key() == "zz");
    }
}

TEST_CASE("keys() lists a table's keys in file order and makes them known") {
    TomlDocument doc("t.toml", "[gpu.\"H800-SXM\"]\nsms = 1\n[gpu.\"A100\"]\nsms = 2\n");
    TableReader gpus = doc.root().table("gpu");
    const auto names = gpus.keys();
    REQUIRE(names.size() == 2);
    CHECK(names[0] == "H800-SXM");
    CHECK(names[1] == "A100");
    for (const auto& n : names) (void)gpus.table(n).integer("sms");
    CHECK_NOTHROW(doc.finish());
}

TEST_CASE("a TOML syntax error becomes a ConfigError with toml++'s position and description") {
    const auto e = config_error_from([] { TomlDocument doc("bad.toml", "a = 1\nb = = 2\n"); });
    CHECK(e.file() == "bad.toml");
    CHECK(e.line() == 2);
    CHECK(e.column() > 0);
    CHECK(e.key().empty());
    CHECK(std::string(e.what()).rfind("bad.toml:2:", 0) == 0);
    CHECK(e.problem().find("TOML syntax error") != std::string::npos);
}

TEST_CASE("wrong-type messages name the kind of value found") {
    TomlDocument doc("t.toml", "s = 1\nb = \"yes\"\nt = 3\narr = [1, 2]\n");
    TableReader r = doc.root();
    CHECK(config_error_from([&] { (void)r.string("s"); }).problem() == "expected a string, found integer 1");
    CHECK(config_error_from([&] { (void)r.boolean("b"); }).problem() == "expected true or false, found string \"yes\"");
    CHECK(config_error_from([&] { (void)r.table("t"); }).problem() == "expected a table, found integer 3");
    CHECK(config_error_from([&] { (void)r.strings("arr"); }).key() == "arr[0]");
}

TEST_CASE("edit distance and suggestions") {
    CHECK(edit_distance("nvlink", "nvlink") == 0);
    CHECK(edit_distance("nvlnik", "nvlink") == 1); // transposition
    CHECK(edit_distance("kitten", "sitting") == 3);
    CHECK(edit_distance("H800-SXM", "h800-sxm") == 0); // case-insensitive
    CHECK(closest_spelling("hbm_bandwith", {"hbm", "hbm_bandwidth", "nvlink"}) == "hbm_bandwidth");
    CHECK_FALSE(closest_spelling("zzzz", {"hbm", "nvlink"}).has_value());
    // Short words: one slip, a transposition included, but not two ("nodes" is not "model").
    CHECK(closest_spelling("modle", {"nodes", "model"}) == "model");
    CHECK(closest_spelling("modl", {"nodes", "model"}) == "model");
    CHECK_FALSE(closest_spelling("model", {"nodes", "gpu"}).has_value());
}

TEST_CASE("paths written inside a file are resolved against that file's directory") {
    const EmbeddedFiles files;
    CHECK(files.resolve("topologies/deepseek-v3-h800.toml", "gpus.toml") == "topologies/gpus.toml");
    CHECK(files.resolve("topologies/x.toml", "efficiency/hopper.toml") == "topologies/efficiency/hopper.toml");
    CHECK(files.resolve("topologies/efficiency/a.toml", "../gpus.toml") == "topologies/gpus.toml");
    CHECK(files.resolve("x.toml", "/abs/y.toml") == "/abs/y.toml");
}

TEST_CASE("reading files from disk and from memory") {
    const DiskFiles disk(TCSIM_SOURCE_DIR);
    CHECK(disk.read("topologies/gpus.toml").find("[gpu.\"H800-SXM\"]") != std::string::npos);
    const auto missing = config_error_from([&] { (void)disk.read("topologies/no-such-file.toml"); });
    CHECK(std::string(missing.what()) == "topologies/no-such-file.toml: cannot open: No such file or directory");

    EmbeddedFiles memory;
    memory.add("a/b.toml", "x = 1\n");
    CHECK(memory.read("a/./b.toml") == "x = 1\n");
    CHECK(memory.contains("a/b.toml"));
    const auto absent = config_error_from([&] { (void)memory.read("a/c.toml"); });
    CHECK(absent.file() == "a/c.toml");
    CHECK(absent.problem().rfind("cannot open", 0) == 0);
}
