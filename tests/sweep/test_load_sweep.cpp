// The sweep file loader (sweep/load_sweep.hpp): what a sweep file says, and every refusal at its
// file, line and key.
#include "config/config_error.hpp"
#include "config/config_files.hpp"
#include "sweep/load_sweep.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace tcsim;

namespace {

sweep::SweepSpec load(const std::string& text) {
    config::EmbeddedFiles files;
    files.add("sweeps/s.toml", text);
    return sweep::load_sweep(files, "sweeps/s.toml");
}

/// The message of the ConfigError that loading `text` throws ("" when it loads).
std::string refusal(const std::string& text) {
    try {
        (void)load(text);
    } catch (const config::ConfigError& e) {
        return e.what();
    }
    return "";
}

const std::string kBase = "cluster = \"../topologies/c.toml\"\nworkload = \"../workloads/w.toml\"\n";

} // namespace

TEST_CASE("a sweep file gives its base files resolved against itself and its axes in order") {
    const sweep::SweepSpec s =
        load(kBase + "name = \"n\"\n[[axis]]\nkey = \"cluster.gpu\"\nvalues = [\"H100-SXM\", \"B200\"]\n"
                     "[[axis]]\nkey = \"gpus\"\nvalues = [1024, 2048, 4096]\n");
    CHECK(s.cluster == "topologies/c.toml");
    CHECK(s.workload == "workloads/w.toml");
    CHECK(s.name == "n");
    CHECK(s.combine == sweep::Combine::product);
    REQUIRE(s.axes.size() == 2);
    CHECK(s.axes[0].target == sweep::Target::file_key);
    CHECK(s.axes[0].values[1].toml == "'B200'"); // a TOML literal string, as toml++ writes it
    CHECK(s.axes[0].values[1].plain == "B200");
    CHECK(s.axes[0].values[1].where == "sweeps/s.toml:6:23");
    CHECK(s.axes[1].target == sweep::Target::gpus);
    CHECK(s.axes[1].values[2].toml == "4096");
}

TEST_CASE("values keep their TOML type: numbers, booleans and strings read back as written") {
    const sweep::SweepSpec s =
        load(kBase + "[[axis]]\nkey = \"workload.training.flash_attention\"\nvalues = [true, false]\n"
                     "[[axis]]\nkey = \"price_per_gpu_hour\"\nvalues = [2, 2.5]\n");
    CHECK(s.axes[0].values[0].toml == "true");
    CHECK(s.axes[1].values[0].toml == "2");
    CHECK(s.axes[1].values[1].toml == "2.5");
}

TEST_CASE("an axis of an unknown kind, a claim key or a bare unknown word is refused at its key's line") {
    const std::string bad = refusal(kBase + "[[axis]]\nkey = \"clusters.gpu\"\nvalues = [\"B200\"]\n");
    CHECK(bad.find("sweeps/s.toml:4:7") != std::string::npos);
    CHECK(bad.find("axis[0].key") != std::string::npos);
    CHECK(bad.find("found 'clusters.gpu'") != std::string::npos);
    CHECK(refusal(kBase + "[[axis]]\nkey = \"claim.gpus\"\nvalues = [8]\n").find("no claim file") != std::string::npos);
    CHECK(refusal(kBase + "[[axis]]\nkey = \"gpu\"\nvalues = [8]\n").find("found 'gpu'") != std::string::npos);
    CHECK(refusal(kBase + "[[axis]]\nkey = \"cluster.\"\nvalues = [8]\n").find("KIND.KEY") != std::string::npos);
}

TEST_CASE("counts must be positive integers, prices positive numbers, files strings") {
    CHECK(refusal(kBase + "[[axis]]\nkey = \"gpus\"\nvalues = [1024, 2.5]\n").find("values[1] = 2.5") !=
          std::string::npos);
    CHECK(refusal(kBase + "[[axis]]\nkey = \"nodes\"\nvalues = [0]\n").find("positive integer") != std::string::npos);
    CHECK(refusal(kBase + "[[axis]]\nkey = \"price_per_gpu_hour\"\nvalues = [-1]\n").find("US dollars") !=
          std::string::npos);
    CHECK(refusal(kBase + "[[axis]]\nkey = \"workload\"\nvalues = [3]\n").find("file path") != std::string::npos);
    CHECK(refusal(kBase + "[[axis]]\nkey = \"gpus\"\nvalues = [[1], 2]\n").find("values[0]") != std::string::npos);
    CHECK(refusal(kBase + "[[axis]]\nkey = \"price_per_gpu_hour\"\nvalues = [inf]\n").find("finite") !=
          std::string::npos);
}

TEST_CASE("zip: an axis moves with an earlier one of the same length; combine = zip moves them all") {
    const sweep::SweepSpec s = load(
        kBase + "[[axis]]\nkey = \"cluster.gpu\"\nvalues = [\"A\", \"B\"]\n[[axis]]\nkey = \"gpus\"\nvalues = [8]\n"
                "[[axis]]\nkey = \"cluster.efficiency\"\nzip = \"cluster.gpu\"\nvalues = [\"a\", \"b\"]\n");
    CHECK(s.axes[2].zip_with == 0);
    CHECK(refusal(kBase +
                  "[[axis]]\nkey = \"cluster.gpu\"\nvalues = [\"A\", \"B\"]\n[[axis]]\nkey = \"cluster.efficiency\"\n"
                  "zip = \"cluster.gpu\"\nvalues = [\"a\"]\n")
              .find("as many values as 'cluster.gpu' (2), found 1") != std::string::npos);
    CHECK(refusal(kBase + "[[axis]]\nkey = \"gpus\"\nzip = \"cluster.gpu\"\nvalues = [8]\n").find("earlier axis") !=
          std::string::npos);
    CHECK(refusal(kBase + "combine = \"zip\"\n[[axis]]\nkey = \"gpus\"\nvalues = [8, 16]\n[[axis]]\nkey = "
                          "\"cluster.gpu\"\nvalues = [\"A\"]\n")
              .find("combine = \"zip\" needs every axis") != std::string::npos);
    CHECK(refusal(kBase + "combine = \"zipped\"\n[[axis]]\nkey = \"gpus\"\nvalues = [8]\n").find("combine") !=
          std::string::npos);
}

TEST_CASE("no axis, an empty axis, a key twice, gpus with nodes, an unknown key, no cluster: refused") {
    CHECK(refusal(kBase).find("at least one [[axis]]") != std::string::npos);
    CHECK(refusal(kBase + "[[axis]]\nkey = \"gpus\"\nvalues = []\n").find("at least one value") != std::string::npos);
    CHECK(refusal(kBase + "[[axis]]\nkey = \"gpus\"\nvalues = [8]\n[[axis]]\nkey = \"gpus\"\nvalues = [16]\n")
              .find("given twice") != std::string::npos);
    CHECK(refusal(kBase + "[[axis]]\nkey = \"gpus\"\nvalues = [8]\n[[axis]]\nkey = \"nodes\"\nvalues = [1]\n")
              .find("not both") != std::string::npos);
    CHECK(refusal(kBase + "[[axis]]\nkey = \"gpus\"\nvalue = [8]\n").find("values") != std::string::npos);
    CHECK(refusal(kBase + "samples = 3\n[[axis]]\nkey = \"gpus\"\nvalues = [8]\n").find("unknown key 'samples'") !=
          std::string::npos);
    CHECK(refusal("workload = \"w.toml\"\n[[axis]]\nkey = \"gpus\"\nvalues = [8]\n").find("cluster") !=
          std::string::npos);
    // A cluster axis stands in for the base cluster file.
    CHECK(load("workload = \"w.toml\"\n[[axis]]\nkey = \"cluster\"\nvalues = [\"../t/a.toml\"]\n")
              .axes[0]
              .values[0]
              .toml == "t/a.toml");
}

TEST_CASE("a sweep of more than kMaxPoints points is refused before it is enumerated") {
    std::string many = kBase;
    for (int a = 0; a < 3; ++a) {
        many += "[[axis]]\nkey = \"workload.k" + std::to_string(a) + "\"\nvalues = [";
        for (int v = 0; v < 100; ++v) many += std::to_string(v) + (v < 99 ? ", " : "]\n");
    }
    CHECK(refusal(many).find("1000000 points") != std::string::npos);
}
