// The collective algorithm registry and link classes as data: every algorithm is planned by
// exactly one registered file, and a link class the catalog does not know is refused by name.
#include "config/config_error.hpp"
#include "config/config_files.hpp"
#include "config/load_efficiency.hpp"
#include "hardware/efficiency.hpp"
#include "hardware/link_class.hpp"
#include "network/algorithm_registry.hpp"
#include "network/collective_plan.hpp"

#include <doctest/doctest.h>

#include <stdexcept>
#include <string>

using namespace tcsim;
using network::Algorithm;
using network::AlgorithmRegistry;

TEST_CASE("every algorithm has exactly one registered plan, and 'auto' none") {
    const AlgorithmRegistry registry = AlgorithmRegistry::standard();
    const auto all = network::all_algorithms();
    // ring, tree, nvls, hierarchical, pairwise, deepep_normal, deepep_low_latency, direct, torus_ring,
    // mesh_direct
    CHECK(all.size() == 10);
    for (Algorithm a : all) {
        int registered = 0;
        for (const auto& x : registry.algorithms())
            if (x.algorithm == a) ++registered;
        CAPTURE(network::to_string(a));
        CHECK(registered == 1);
        REQUIRE(registry.find(a) != nullptr);
        CHECK((registry.find(a)->applicable != nullptr));
        CHECK((registry.find(a)->plan != nullptr));
        CHECK(!registry.find(a)->source.empty());
    }
    CHECK(registry.algorithms().size() == all.size());
    CHECK(registry.find(Algorithm::automatic) == nullptr);
}

TEST_CASE("a registry refuses an algorithm registered twice, naming it") {
    try {
        (void)AlgorithmRegistry({network::ring_algorithm(), network::tree_algorithm(), network::ring_algorithm()});
        FAIL("expected std::invalid_argument");
    } catch (const std::invalid_argument& e) {
        CHECK(std::string(e.what()) == "algorithm registry: algorithm ring registered twice");
    }
}

TEST_CASE("an unknown link class is refused with its name and the known ones") {
    CHECK(hardware::link_class("nvlink").name() == "nvlink");
    CHECK(hardware::link_class("network").contended());
    CHECK(!hardware::link_class("pcie").contended());
    try {
        (void)hardware::link_class("xgmi");
        FAIL("expected std::invalid_argument");
    } catch (const std::invalid_argument& e) {
        CHECK(std::string(e.what()) == "unknown link class 'xgmi' (known: nvlink, pcie, network)");
    }
    hardware::LinkEfficiency links;
    CHECK_THROWS_WITH_AS(links.set_fraction("ici", 0.9), "unknown link class 'ici' (known: nvlink, pcie, network)",
                         std::invalid_argument);
    CHECK_THROWS_WITH_AS((void)links.fraction("nvlink"),
                         "link efficiency: no achievable fraction for link class 'nvlink'", std::invalid_argument);
}

TEST_CASE("an efficiency file's [links] entry for an unknown link class is refused at its line, naming it") {
    const std::string path = "topologies/efficiency/hopper.toml";
    std::string text = config::DiskFiles().read(path);
    const std::string header = "[links]\n";
    const auto at = text.find(header);
    REQUIRE(at != std::string::npos);
    text.insert(at + header.size(), "xgmii = { value = 0.8, source = \"test\" }\n");
    int line = 1;
    for (std::size_t i = 0; i < at + header.size(); ++i)
        if (text[i] == '\n') ++line;
    config::EmbeddedFiles files;
    files.add(path, text);
    try {
        (void)config::load_efficiency(files, path);
        FAIL("expected a ConfigError");
    } catch (const config::ConfigError& e) {
        CHECK(e.file() == path);
        CHECK(e.line() == line);
        CHECK(e.key() == "links.xgmii");
        CHECK(e.problem() == "unknown link class 'xgmii' (known: nvlink, pcie, network)");
    }
}
