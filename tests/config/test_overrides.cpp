// Key overrides (config/overrides.hpp): applied to the parsed file before the loader reads it,
// so a value given on the command line meets the checks the file value meets, and a message
// about it names the flag instead of a line of the file.
#include "config/builtin_files.hpp"
#include "config/config_files.hpp"
#include "config/load_cluster.hpp"
#include "config/load_workload.hpp"
#include "config/overrides.hpp"
#include "config/toml_reader.hpp"
#include "config_error_capture.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace tcsim::config;
using tcsim::config::testing::config_error_from;

namespace {

constexpr const char* kText = R"(name = "x"
[parallel]
tp = 8
pp = 2
)";

std::vector<KeyOverride> one(const std::string& key, const std::string& value, const std::string& origin) {
    return {{FileKind::workload, key, value, origin}};
}

/// The built-in files with `overrides` attached.
EmbeddedFiles builtins_with(const Overrides& overrides) {
    EmbeddedFiles files = builtin_files();
    files.set_overrides(overrides);
    return files;
}

} // namespace

TEST_CASE("an override replaces a file's value before the reader sees it") {
    TomlDocument doc("w.toml", kText, one("parallel.tp", "4", "--tp 4"));
    TableReader parallel = doc.root().table("parallel");
    CHECK(parallel.integer("tp") == 4);
    CHECK(parallel.integer("pp") == 2); // the file's other keys stay
    CHECK(doc.root().string("name") == "x");
}

TEST_CASE("an override adds a key and the tables above it when the file lacks them") {
    TomlDocument doc("w.toml", kText, one("training.ramp.start_sequences", "16", "--set x"));
    CHECK(doc.root().table("training").table("ramp").integer("start_sequences") == 16);
}

TEST_CASE("a value that is not TOML is taken as a string, so units need no inner quotes") {
    TomlDocument doc("c.toml", "nic_bandwidth = \"400 Gb/s\"\n", one("nic_bandwidth", "200 Gb/s", "--set"));
    CHECK(doc.root().string("nic_bandwidth") == "200 Gb/s");
    TomlDocument quoted("c.toml", "nic_bandwidth = \"400 Gb/s\"\n", one("nic_bandwidth", "\"100 Gb/s\"", "--set"));
    CHECK(quoted.root().string("nic_bandwidth") == "100 Gb/s");
}

TEST_CASE("an overridden value out of range is refused naming the flag and the file it overrides") {
    TomlDocument doc("w.toml", kText, one("parallel.tp", "0", "--tp 0"));
    TableReader parallel = doc.root().table("parallel");
    const ConfigError e = config_error_from([&] { (void)parallel.integer("tp", Bound::positive); });
    CHECK(e.file() == "--tp 0 (overriding w.toml)");
    CHECK(e.line() == 0); // no line of the file is to blame
    CHECK(e.key() == "parallel.tp");
    CHECK(std::string(e.what()) ==
          "--tp 0 (overriding w.toml): key 'parallel.tp': expected a positive integer, found 0 (must be greater "
          "than zero)");
}

TEST_CASE("a value of the wrong type is refused naming the flag") {
    TomlDocument doc("w.toml", kText, one("parallel.tp", "four", "--tp four"));
    TableReader parallel = doc.root().table("parallel");
    const ConfigError e = config_error_from([&] { (void)parallel.integer("tp"); });
    CHECK(e.file() == "--tp four (overriding w.toml)");
    CHECK(e.problem() == "expected an integer, found string \"four\"");
}

TEST_CASE("a file value beside an override is still reported at its own line") {
    TomlDocument doc("w.toml", kText, one("parallel.tp", "4", "--tp 4"));
    TableReader parallel = doc.root().table("parallel");
    const ConfigError e = config_error_from([&] { (void)parallel.integer("pp", IntRange{3, 10}); });
    CHECK(e.file() == "w.toml");
    CHECK(e.line() == 4);
}

TEST_CASE("an unknown key an override adds is refused by finish() naming the flag") {
    TomlDocument doc("w.toml", kText, one("parallel.tpx", "4", "--set workload.parallel.tpx=4"));
    TableReader parallel = doc.root().table("parallel");
    (void)parallel.integer("tp");
    (void)parallel.integer("pp");
    (void)doc.root().string("name");
    const ConfigError e = config_error_from([&] { doc.finish(); });
    CHECK(e.file() == "--set workload.parallel.tpx=4 (overriding w.toml)");
    CHECK(e.problem() == "unknown key 'tpx' (did you mean 'tp'?)");
}

TEST_CASE("a key inside an array of tables cannot be overridden, and the message says why") {
    const ConfigError e = config_error_from(
        [] { TomlDocument doc("w.toml", "[[extension]]\nseq_len = 4\n", one("extension.seq_len", "8", "--set e")); });
    CHECK(e.file() == "--set e");
    CHECK(e.problem().find("array of tables ([[extension]])") != std::string::npos);
}

TEST_CASE("a value on several lines is refused rather than read as more keys") {
    const ConfigError e =
        config_error_from([] { TomlDocument doc("w.toml", kText, one("parallel.tp", "4\nname = 1", "--tp")); });
    CHECK(e.problem().find("on one line") != std::string::npos);
}

TEST_CASE("--set names a kind of file and a key path; anything else is refused with the form expected") {
    Overrides o;
    o.add_set("workload.parallel.tp=4");
    o.add_set("cluster.nic_bandwidth=200 Gb/s");
    o.add_set("workload.parallel.tp=2"); // a later one of the same key wins
    REQUIRE(o.all().size() == 2);
    CHECK(o.of(FileKind::workload).front().value == "2");
    CHECK(o.of(FileKind::cluster).front().key == "nic_bandwidth");
    CHECK(o.sets(FileKind::workload, "parallel.tp"));
    CHECK_FALSE(o.sets(FileKind::cluster, "parallel.tp"));

    const ConfigError no_equals = config_error_from([&] { o.add_set("workload.parallel.tp"); });
    CHECK(no_equals.file() == "--set workload.parallel.tp");
    CHECK(no_equals.problem().find("expected KIND.KEY=VALUE") != std::string::npos);
    const ConfigError kind = config_error_from([&] { o.add_set("workload2.parallel.tp=4"); });
    CHECK(kind.problem().find("(did you mean \"workload\"?)") != std::string::npos);
    const ConfigError empty = config_error_from([&] { o.add_set("workload.parallel.tp="); });
    CHECK(empty.problem().find("expected a value") != std::string::npos);
}

// The shipped DeepSeek-V3 workload has 128 attention heads (workloads/deepseek-v3.toml, from the
// model's config.json); the loaders read an override exactly as the file value.
TEST_CASE("loaders apply the overrides of their own kind only") {
    Overrides o;
    o.add({FileKind::workload, "parallel.tp", "2", "--tp 2"});
    o.add({FileKind::cluster, "gpu", "H100-SXM", "--gpu H100-SXM"});
    const EmbeddedFiles files = builtins_with(o);
    const auto w = load_workload(files, std::string(kBuiltinWorkload));
    CHECK(w.parallel.tp == 2);
    CHECK(w.model.attention.heads == 128);
    const auto c = load_cluster(files, std::string(kBuiltinCluster));
    CHECK(c.gpu.name == "H100-SXM");
}

TEST_CASE("a negative layer count given by --set is refused as the file's would be") {
    Overrides o;
    o.add_set("workload.model.layers=-1");
    const EmbeddedFiles files = builtins_with(o);
    const ConfigError e = config_error_from([&] { (void)load_workload(files, std::string(kBuiltinWorkload)); });
    CHECK(std::string(e.what()) == "--set workload.model.layers=-1 (overriding workloads/deepseek-v3.toml): key "
                                   "'model.layers': expected a positive integer, found -1 (must be greater than zero)");
}

TEST_CASE("--gpu with a name the catalog lacks lists the catalog's names") {
    Overrides o;
    o.add({FileKind::cluster, "gpu", "H1000", "--gpu H1000"});
    const EmbeddedFiles files = builtins_with(o);
    const ConfigError e = config_error_from([&] { (void)load_cluster(files, std::string(kBuiltinCluster)); });
    CHECK(e.file() == "--gpu H1000 (overriding topologies/deepseek-v3-h800.toml)");
    CHECK(e.problem().find("unknown GPU \"H1000\"") != std::string::npos);
    CHECK(e.problem().find("H200-NVL, H200-SXM, H800-SXM") != std::string::npos);
}
