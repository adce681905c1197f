// Overrides end to end through scenario::load_*: the layout follows a changed TP or GPU count as
// run::resize_to_gpus does (DP = GPUs / (TP x PP x CP)), an explicit DP that does not fill the GPUs
// is refused naming the flags, and input files copied anywhere find the built-in support files.
#include "config/builtin_files.hpp"
#include "config/config_error.hpp"
#include "config/disk_or_builtin_files.hpp"
#include "config/overrides.hpp"
#include "scenario/input_error.hpp"
#include "scenario/load.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

using namespace tcsim;

namespace {

const std::string kCluster(config::kBuiltinCluster);
const std::string kWorkload(config::kBuiltinWorkload);

config::EmbeddedFiles builtins_with(const config::Overrides& o) {
    config::EmbeddedFiles files = config::builtin_files();
    files.set_overrides(o);
    return files;
}

/// A fresh directory under the system's temporary directory, removed when the test ends.
struct TempDir {
    std::filesystem::path path;
    explicit TempDir(const std::string& name) : path(std::filesystem::temp_directory_path() / name) {
        std::filesystem::remove_all(path);
        std::filesystem::create_directories(path);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    /// Writes the built-in file `builtin` here under its own file name; returns its path.
    [[nodiscard]] std::string copy(std::string_view builtin) const {
        const auto to = path / std::filesystem::path(builtin).filename();
        std::ofstream(to) << config::builtin_files().read(std::string(builtin));
        return to.string();
    }
};

} // namespace

// DeepSeek-V3 on 2,048 H800 is TP1 x PP16 x DP128, its 32K extension CP8 and its 128K extension
// CP32 (workloads/deepseek-v3.toml). With TP 4: DP = 2048 / (4 x 16) = 32, and the stages
// 2048 / (4 x 16 x 8) = 4 and 2048 / (4 x 16 x 32) = 1.
TEST_CASE("--tp re-derives DP of every layout from the GPU count") {
    config::Overrides o;
    o.add({config::FileKind::workload, "parallel.tp", "4", "--tp 4"});
    const scenario::Inputs in = scenario::load_run(builtins_with(o), kCluster, kWorkload, {}, {});
    CHECK(in.workload.parallel.tp == 4);
    CHECK(in.workload.parallel.dp == 32);
    REQUIRE(in.workload.training.extension.size() == 2);
    CHECK(in.workload.training.extension[0].parallel->dp == 4);
    CHECK(in.workload.training.extension[1].parallel->dp == 1);
    CHECK(in.cluster.gpus() == 2048);
    CHECK(in.overridden == std::vector<std::string>{"--tp 4"});
}

// 4,096 GPUs at TP1 x PP16: DP = 4096 / 16 = 256.
TEST_CASE("--gpus with --gpu swaps the GPU, resizes the cluster and names both in the report's list") {
    config::Overrides o;
    o.add({config::FileKind::cluster, "gpu", "H100-SXM", "--gpu H100-SXM"});
    scenario::Options options;
    options.price_per_gpu_hour = 2.5;
    const scenario::Inputs in =
        scenario::load_run(builtins_with(o), kCluster, kWorkload, scenario::ClusterUse{.gpus = 4096}, options);
    CHECK(in.cluster.gpu.name == "H100-SXM");
    CHECK(in.cluster.gpus() == 4096);
    CHECK(in.workload.parallel.dp == 256);
    CHECK(in.assessment.rental.per_gpu_hour.value() == doctest::Approx(2.5).epsilon(1e-15));
    CHECK(in.overridden == std::vector<std::string>{"--gpu H100-SXM", "--gpus 4096", "--price-per-gpu-hour 2.5"});
}

// TP2 x PP16 x DP32 = 1,024 GPUs, but the cluster has 2,048: refused, naming the flags.
TEST_CASE("an explicit DP that does not fill the GPUs is refused naming the flags and the numbers") {
    config::Overrides o;
    o.add({config::FileKind::workload, "parallel.tp", "2", "--tp 2"});
    o.add({config::FileKind::workload, "parallel.dp", "32", "--dp 32"});
    try {
        (void)scenario::load_run(builtins_with(o), kCluster, kWorkload, {}, {});
        FAIL("expected an InputError");
    } catch (const scenario::InputError& e) {
        const std::string m = e.what();
        CHECK(m.find("--tp 2 x pp 16 x cp 1 x --dp 32 = 1,024 GPUs") != std::string::npos);
        CHECK(m.find("has 2,048") != std::string::npos);
    }
    // TP2 x PP16 x DP64 = 2,048: accepted as given.
    o.add({config::FileKind::workload, "parallel.dp", "64", "--dp 64"});
    const scenario::Inputs in = scenario::load_run(builtins_with(o), kCluster, kWorkload, {}, {});
    CHECK(in.workload.parallel.dp == 64);
}

// 3 does not divide 128 heads, nor TP3 x PP16 = 48 the 2,048 GPUs: refused, with the flag.
TEST_CASE("a layout an override makes impossible is refused naming the flag") {
    config::Overrides o;
    o.add({config::FileKind::workload, "parallel.tp", "3", "--tp 3"});
    try {
        (void)scenario::load_run(builtins_with(o), kCluster, kWorkload, {}, {});
        FAIL("expected an InputError");
    } catch (const scenario::InputError& e) {
        const std::string m = e.what();
        CHECK(m.find("with --tp 3") != std::string::npos);
        CHECK(m.find("TP3 x PP16 x CP1 = 48 does not divide 2048 GPUs") != std::string::npos);
    }
}

TEST_CASE("a cluster and workload copied elsewhere read the built-in support files and say which") {
    const TempDir dir("tcsim-test-inputs-anywhere");
    const std::string cluster = dir.copy(kCluster);
    const std::string workload = dir.copy(kWorkload);
    const config::DiskOrBuiltinFiles files;
    const scenario::Inputs in = scenario::load_run(files, cluster, workload, {}, {});
    CHECK(in.cluster.gpu.name == "H800-SXM");
    const std::string d = dir.path.string();
    CHECK(in.builtin_inputs ==
          std::vector<std::string>{d + "/gpus.toml (built-in topologies/gpus.toml)",
                                   d + "/efficiency/hopper.toml (built-in topologies/efficiency/hopper.toml)",
                                   d + "/prices.toml (built-in topologies/prices.toml)",
                                   d + "/datacenter.toml (built-in topologies/datacenter.toml)"});
}

TEST_CASE("a support file the user named is never replaced by a built-in copy") {
    const TempDir dir("tcsim-test-named-prices");
    config::DiskOrBuiltinFiles files;
    const std::string prices = (dir.path / "prices.toml").string();
    files.named_by_user(prices);
    CHECK_THROWS_AS((void)files.read(prices), config::ConfigError);
    CHECK(files.builtin_stand_ins().empty());
    CHECK(files.read((dir.path / "datacenter.toml").string()) ==
          config::builtin_files().read("topologies/datacenter.toml"));
}

// The claim's MFU records are read before any layout is checked: a missing file is reported even
// when the layout (TP 3) would be refused too.
TEST_CASE("every input file of a claim check is read before its layout is checked") {
    const TempDir dir("tcsim-test-claim-files");
    std::filesystem::create_directories(dir.path / "claims");
    const std::string cluster = dir.copy(kCluster);
    const std::string workload = dir.copy(kWorkload);
    for (const char* f : {"topologies/gpus.toml", "topologies/prices.toml", "topologies/datacenter.toml"})
        (void)dir.copy(f);
    std::filesystem::create_directories(dir.path / "efficiency");
    std::ofstream(dir.path / "efficiency" / "hopper.toml")
        << config::builtin_files().read("topologies/efficiency/hopper.toml");
    std::ofstream(dir.path / "claim.toml") << "name = \"c\"\nstatement = \"s\"\nsource = \"t\"\n"
                                              "workload = \"deepseek-v3.toml\"\ncluster = \"deepseek-v3-h800.toml\"\n"
                                              "[[figure]]\ngpu_hours = 2.788e6\n";
    config::DiskFiles files;
    config::Overrides o;
    o.add({config::FileKind::workload, "parallel.tp", "3", "--tp 3"});
    files.set_overrides(o);
    try {
        (void)scenario::load_claim_check(files, (dir.path / "claim.toml").string(), {});
        FAIL("expected a ConfigError");
    } catch (const config::ConfigError& e) {
        CHECK(e.file() == (dir.path / "mfu_records.toml").string());
    }
}
