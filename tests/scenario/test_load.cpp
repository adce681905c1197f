// The pipeline as a library: loading checks every input before anything is simulated, and the
// built-in scenario's published figures come from its data file.
#include "config/builtin_files.hpp"
#include "config/config_error.hpp"
#include "config/config_files.hpp"
#include "config/load_published.hpp"
#include "scenario/input_error.hpp"
#include "scenario/load.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace tcsim;

namespace {

const config::DiskFiles& disk() {
    static const config::DiskFiles files(TCSIM_SOURCE_DIR);
    return files;
}

} // namespace

// DeepSeek-V3 Technical Report (arXiv 2412.19437), Table 1: pre-training 2,664K H800 GPU-hours,
// context extension 119K, at $2 per GPU-hour on 2,048 GPUs.
TEST_CASE("the built-in scenario carries DeepSeek's Table 1 from claims/published/deepseek-v3.toml") {
    const scenario::Inputs with = scenario::load_builtin({});
    REQUIRE(with.published.has_value());
    CHECK(with.published->source == "DeepSeek-V3 Technical Report (arXiv 2412.19437), Table 1");
    REQUIRE(with.published->values.size() == 6);
    CHECK(with.published->values[0].figure == report::Figure::pretrain_days);
    CHECK(with.published->values[0].value == doctest::Approx(2'664'000.0 / 2048 / 24));
    CHECK(with.published->values[1].value == doctest::Approx((2'664'000.0 + 119'000.0) / 2048 / 24));
    CHECK(with.published->values[3].value == doctest::Approx(2'664'000.0 * 2));
    REQUIRE(with.claim_checks.has_value());
    CHECK(with.claim_checks->claims.size() == 2);

    scenario::Options no_extension;
    no_extension.no_extension = true;
    const scenario::Inputs without = scenario::load_builtin(no_extension);
    REQUIRE(without.published.has_value());
    CHECK(without.published->values.size() == 3); // the total_* figures need the extension
    CHECK(without.workload.training.extension.empty());
}

TEST_CASE("a published figure is one of the known names") {
    const std::string path(config::kBuiltinPublished);
    config::EmbeddedFiles files;
    files.add(path, "source = \"s\"\n[[figure]]\nfigure = \"pretrain_hours\"\nvalue = 1\nnote = \"n\"\n");
    CHECK_THROWS_WITH_AS((void)config::load_published(files, path),
                         doctest::Contains("did you mean \"pretrain_days\"?"), config::ConfigError);
}

TEST_CASE("loading refuses what the user gave before simulating anything") {
    const std::string cluster = "topologies/deepseek-v3-h800.toml";
    const std::string workload = "workloads/deepseek-v3.toml";
    SUBCASE("more nodes than the cluster has") {
        CHECK_THROWS_WITH_AS((void)scenario::load_run(disk(), cluster, workload, {.nodes = 100000}, {}),
                             doctest::Contains("--gpus resizes it"), scenario::InputError);
    }
    SUBCASE("no price for the GPU") {
        scenario::Options options;
        options.prices = "tests/cli/data/prices-b200-only.toml";
        CHECK_THROWS_WITH_AS((void)scenario::load_run(disk(), cluster, workload, {}, options),
                             doctest::Contains("no rental price for GPU 'H800-SXM'"), scenario::InputError);
    }
}
