// Bad configuration is refused with a message that names the file, the line, the key and what
// was expected (DESIGN.md: "errors carry file:line:column and the offending key").
// Each case edits one shipped file in memory and loads it through the real loaders.
#include "config/builtin_files.hpp"
#include "config/config_files.hpp"
#include "config/load_claim.hpp"
#include "config/load_cluster.hpp"
#include "config/load_datacenter.hpp"
#include "config/load_efficiency.hpp"
#include "config/load_gpu_catalog.hpp"
#include "config/load_prices.hpp"
#include "config/load_workload.hpp"
#include "config_error_capture.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace tcsim;
using namespace tcsim::config;
using tcsim::config::testing::config_error_from;
using tcsim::config::testing::line_of;
using tcsim::config::testing::line_replaced;
using tcsim::config::testing::replaced;

namespace {

const std::string kCluster(kBuiltinCluster);
const std::string kWorkload(kBuiltinWorkload);
const std::string kHopper = "topologies/efficiency/hopper.toml";
const std::string kGpus = "topologies/gpus.toml";

/// The built-in files with `path` replaced by `content`.
EmbeddedFiles with(const std::string& path, std::string content) {
    EmbeddedFiles files = builtin_files();
    files.add(path, std::move(content));
    return files;
}

std::string original(const std::string& path) { return builtin_files().read(path); }

/// "FILE:LINE:" — the start every located message must have.
std::string at(const std::string& file, int line) { return file + ":" + std::to_string(line) + ":"; }

bool starts_with(const std::string& text, const std::string& prefix) { return text.rfind(prefix, 0) == 0; }
bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

ConfigError cluster_error(const std::string& content) {
    const EmbeddedFiles files = with(kCluster, content);
    return config_error_from([&] { (void)load_cluster(files, kCluster); });
}

ConfigError workload_error(const std::string& content) {
    const EmbeddedFiles files = with(kWorkload, content);
    return config_error_from([&] { (void)load_workload(files, kWorkload); });
}

} // namespace

TEST_CASE("TOML syntax error: position and toml++'s description") {
    const std::string bad = replaced(original(kCluster), "nodes = 256", "nodes = = 256");
    const auto e = cluster_error(bad);
    const std::string what = e.what();
    CAPTURE(what);
    CHECK(starts_with(what, at(kCluster, line_of(bad, "nodes = = 256"))));
    CHECK(e.column() > 0);
    CHECK(contains(what, "TOML syntax error"));
}

TEST_CASE("unknown key: refused at its position with the likely intended spelling") {
    const std::string bad = replaced(original(kCluster), "nodes = 256\n", "nodes = 256\nnvlnk = \"400 GB/s\"\n");
    const auto e = cluster_error(bad);
    CHECK(std::string(e.what()) ==
          at(kCluster, line_of(bad, "nvlnk")) + "1: key 'nvlnk': unknown key 'nvlnk' (did you mean 'nvlink'?)");
}

TEST_CASE("unknown key inside a sub-table") {
    const std::string bad = replaced(original(kCluster), "planes = 8\n", "planes = 8\noversubscripton = 2.0\n");
    const auto e = cluster_error(bad);
    CHECK(e.key() == "fabric.oversubscripton");
    CHECK(e.line() == line_of(bad, "oversubscripton"));
    CHECK(e.problem() == "unknown key 'oversubscripton' (did you mean 'oversubscription'?)");
}

TEST_CASE("missing required key: named with what it should hold") {
    const std::string bad = replaced(original(kWorkload), "hidden = 7168\n", "");
    const auto e = workload_error(bad);
    const std::string what = e.what();
    CAPTURE(what);
    CHECK(starts_with(what, at(kWorkload, line_of(bad, "[model]"))));
    CHECK(e.key() == "model.hidden");
    CHECK(e.problem() == "required key is missing; expected a positive integer");
}

TEST_CASE("missing required key that is present under a near spelling: pointed at the misspelling") {
    const std::string bad = replaced(original(kCluster), "[fabric]", "[fabrik]");
    const auto e = cluster_error(bad);
    CHECK(starts_with(e.what(), at(kCluster, line_of(bad, "[fabrik]"))));
    CHECK(e.key() == "fabric");
    CHECK(e.problem() == "required key is missing; expected a table (is 'fabrik' here a misspelling of it?)");
}

TEST_CASE("a cluster file given as a workload, and a workload given as a cluster: named as such") {
    const auto as_workload = workload_error(original(kCluster));
    CHECK(as_workload.key() == "model");
    CHECK(contains(as_workload.problem(), "this is a cluster file"));
    CHECK_FALSE(contains(as_workload.problem(), "misspelling"));
    const auto as_cluster = cluster_error(original(kWorkload));
    CHECK(as_cluster.key() == "gpu");
    CHECK(contains(as_cluster.problem(), "this is a workload file"));
}

TEST_CASE("wrong type: a bare number where a bandwidth string is required") {
    const std::string bad = replaced(original(kCluster), "nic_bandwidth = \"400 Gb/s\"", "nic_bandwidth = 400");
    const auto e = cluster_error(bad);
    CHECK(std::string(e.what()) ==
          at(kCluster, line_of(bad, "nic_bandwidth = 400")) +
              "17: key 'nic_bandwidth': expected a string like \"400 Gb/s\", found integer 400");
}

TEST_CASE("wrong type: a float where an integer is required") {
    const std::string bad = replaced(original(kWorkload), "layers = 61", "layers = 61.5");
    const auto e = workload_error(bad);
    CHECK(e.key() == "model.layers");
    CHECK(e.line() == line_of(bad, "layers = 61.5"));
    CHECK(e.problem() == "expected a positive integer, found floating-point number 61.5");
}

TEST_CASE("negative size") {
    SUBCASE("a count") {
        const std::string bad = replaced(original(kCluster), "nodes = 256", "nodes = -256");
        const auto e = cluster_error(bad);
        CHECK(starts_with(e.what(), at(kCluster, line_of(bad, "nodes = -256"))));
        CHECK(e.key() == "nodes");
        CHECK(e.problem() == "expected a positive integer, found -256 (must be greater than zero)");
    }
    SUBCASE("a quantity") {
        const std::string bad = replaced(original(kGpus), "hbm = \"80 GiB\"", "hbm = \"-80 GiB\"");
        const EmbeddedFiles files = with(kGpus, bad);
        const auto e = config_error_from([&] { (void)load_gpu_catalog(files, kGpus); });
        CHECK(starts_with(e.what(), at(kGpus, line_of(bad, "-80 GiB"))));
        CHECK(e.key() == "gpu.A100-80GB-SXM.hbm");
        CHECK(contains(e.problem(), "must not be negative"));
    }
}

TEST_CASE("zero size") {
    SUBCASE("a count") {
        const std::string bad = replaced(original(kCluster), "gpus_per_node = 8", "gpus_per_node = 0");
        const auto e = cluster_error(bad);
        CHECK(e.line() == line_of(bad, "gpus_per_node = 0"));
        CHECK(e.key() == "gpus_per_node");
        CHECK(e.problem() == "expected a positive integer, found 0 (must be greater than zero)");
    }
    SUBCASE("a bandwidth") {
        const std::string bad =
            replaced(original(kCluster), "nic_bandwidth = \"400 Gb/s\"", "nic_bandwidth = \"0 Gb/s\"");
        const auto e = cluster_error(bad);
        CHECK(e.key() == "nic_bandwidth");
        CHECK(e.problem() ==
              "expected a positive value like \"400 Gb/s\", found \"0 Gb/s\" (must be greater than zero)");
    }
    SUBCASE("an unsupported peak written as zero") {
        const std::string bad = replaced(original(kGpus), "peak_bf16 = \"312 TFLOP/s\"",
                                         "peak_fp8 = \"0 TFLOP/s\"\npeak_bf16 = \"312 TFLOP/s\"");
        const EmbeddedFiles files = with(kGpus, bad);
        const auto e = config_error_from([&] { (void)load_gpu_catalog(files, kGpus); });
        CHECK(e.key() == "gpu.A100-80GB-SXM.peak_fp8");
        CHECK(contains(e.problem(), "leave peak_fp8 out if the GPU has no FP8 tensor cores"));
    }
}

TEST_CASE("unparseable unit") {
    const std::string bad =
        replaced(original(kCluster), "nic_bandwidth = \"400 Gb/s\"", "nic_bandwidth = \"400 Gbit\"");
    const auto e = cluster_error(bad);
    // The unit parser's own explanation follows the location (sim/units/parse.hpp).
    CHECK(starts_with(e.what(), at(kCluster, line_of(bad, "400 Gbit")) +
                                    "17: key 'nic_bandwidth': expected a bandwidth such as \"400 Gb/s\""));
    CHECK(contains(e.problem(), "got \"400 Gbit\""));
}

TEST_CASE("unknown GPU name: reported at the gpu key with the catalog's names") {
    const std::string bad = replaced(original(kCluster), "gpu = \"H800-SXM\"", "gpu = \"H800-SMX\"");
    const auto e = cluster_error(bad);
    CHECK(starts_with(e.what(), at(kCluster, line_of(bad, "H800-SMX"))));
    CHECK(e.key() == "gpu");
    CHECK(e.problem() ==
          "unknown GPU \"H800-SMX\" (did you mean \"H800-SXM\"?); topologies/gpus.toml has: "
          "A100-40GB-SXM, A100-80GB-SXM, A800-SXM, Ascend-910B, Ascend-910C, B200, B300, GB200, GB300, Gaudi2, Gaudi3, "
          "H100-SXM, H20, H200-NVL, H200-SXM, H800-SXM, L40S, MI250X, MI300X, MI325X, MI355X, TPU-v4, TPU-v5p, "
          "TPU-v6e, TPU-v7, V100-SXM2-32GB");
}

TEST_CASE("missing file") {
    SUBCASE("the file asked for") {
        const DiskFiles disk(TCSIM_SOURCE_DIR);
        const auto e = config_error_from([&] { (void)load_cluster(disk, "topologies/no-such-cluster.toml"); });
        CHECK(std::string(e.what()) == "topologies/no-such-cluster.toml: cannot open: No such file or directory");
    }
    SUBCASE("a file named inside another: reported where it is named") {
        const std::string bad = replaced(original(kCluster), "catalog = \"gpus.toml\"", "catalog = \"gpu.toml\"");
        const auto e = cluster_error(bad);
        CHECK(starts_with(e.what(), at(kCluster, line_of(bad, "catalog ="))));
        CHECK(e.key() == "catalog");
        CHECK(starts_with(e.problem(), "cannot load \"topologies/gpu.toml\": cannot open"));
    }
}

TEST_CASE("errors inside a referenced file carry that file's own position") {
    const std::string bad = replaced(original(kGpus), "sms = 132", "sms = 132.0");
    const EmbeddedFiles files = with(kGpus, bad);
    const auto e = config_error_from([&] { (void)load_cluster(files, kCluster); });
    CHECK(e.file() == kGpus);
    CHECK(e.line() == line_of(bad, "sms = 132.0"));
    CHECK(e.key() == "gpu.H100-SXM.sms");
}

TEST_CASE("bad enum value: the allowed spellings and the nearest one") {
    const std::string bad = replaced(original(kCluster), "kind = \"multi_plane\"", "kind = \"multi-plane\"");
    const auto e = cluster_error(bad);
    CHECK(std::string(e.what()) ==
          at(kCluster, line_of(bad, "multi-plane")) +
              "8: key 'fabric.kind': expected one of \"fat_tree\", \"rail_optimized\", \"multi_plane\", found "
              "\"multi-plane\" (did you mean \"multi_plane\"?)");
}

TEST_CASE("bad enum value in a workload") {
    const std::string bad = replaced(original(kWorkload), "schedule = \"dualpipe\"", "schedule = \"dual-pipe\"");
    const auto e = workload_error(bad);
    CHECK(e.key() == "parallel.schedule");
    CHECK(e.line() == line_of(bad, "dual-pipe"));
    CHECK(contains(e.problem(), "(did you mean \"dualpipe\"?)"));
}

TEST_CASE("missing provenance in an efficiency file") {
    const std::string original_hopper = original(kHopper);
    // The error loading the Hopper efficiency file with `bad` in place of the shipped text.
    const auto efficiency_error = [&](const std::string& bad) {
        const EmbeddedFiles files = with(kHopper, bad);
        return config_error_from([&] { (void)load_efficiency(files, kHopper); });
    };
    SUBCASE("a value without its source") {
        const std::string bad = line_replaced(original_hopper, "memory = ", "memory = { value = 0.90 }");
        const auto e = efficiency_error(bad);
        CHECK(starts_with(e.what(), at(kHopper, line_of(bad, "memory = {"))));
        CHECK(e.key() == "memory.source");
        CHECK(contains(e.problem(), "every efficiency value must say where it comes from"));
    }
    SUBCASE("a bare number") {
        const std::string bad = line_replaced(original_hopper, "nvlink = ", "nvlink = 0.80");
        const EmbeddedFiles files = with(kHopper, bad);
        const auto e = config_error_from([&] { (void)load_cluster(files, kCluster); });
        CHECK(e.file() == kHopper);
        CHECK(e.line() == line_of(bad, "nvlink = 0.80"));
        CHECK(e.key() == "links.nvlink");
        CHECK(e.problem() ==
              "expected an inline table like { value = 0.80, source = \"...\" }, found floating-point number 0.8");
    }
    SUBCASE("an empty source") {
        const std::string bad = line_replaced(original_hopper, "memory = ", "memory = { value = 0.90, source = \"\" }");
        const auto e = efficiency_error(bad);
        CHECK(e.key() == "memory.source");
        CHECK(e.problem() == "expected a non-empty string, found \"\"");
    }
    SUBCASE("no sustained-training fraction") {
        const std::string bad = line_replaced(original_hopper, "sustained = ", "# sustained left out");
        const auto e = efficiency_error(bad);
        CHECK(e.file() == kHopper);
        CHECK(e.key() == "sustained");
        CHECK(contains(e.problem(), "required key is missing"));
    }
    SUBCASE("a ceiling above one") {
        const std::string bad =
            line_replaced(original_hopper, "ceiling = ", "ceiling = { value = 1.5, source = \"x\" }");
        const auto e = efficiency_error(bad);
        CHECK(e.line() == line_of(bad, "ceiling = {"));
        CHECK(e.key() == "gemm_bf16.ceiling.value");
        CHECK(e.problem() == "expected a fraction in (0, 1], found 1.5");
    }
    SUBCASE("both GEMM curve forms at once") {
        // mn_half (the output-tile form) takes the place of m_half and n_half.
        const std::string bad = line_replaced(original_hopper, "k_half = ",
                                              "mn_half = { value = 1e6, source = \"x\" }\nk_half = { value = 632.5, source = \"x\" }");
        const auto e = efficiency_error(bad);
        CHECK(e.file() == kHopper);
        CHECK(e.line() == line_of(bad, "m_half = {"));
        CHECK(e.key() == "gemm_bf16.m_half");
        CHECK(contains(e.problem(), "give either mn_half or both m_half and n_half"));
    }
    SUBCASE("an output-tile half size of zero") {
        std::string bad = line_replaced(original_hopper, "m_half = ", "mn_half = { value = 0, source = \"x\" }");
        bad = line_replaced(bad, "n_half = ", "# n_half left out");
        const auto e = efficiency_error(bad);
        CHECK(e.key() == "gemm_bf16.mn_half.value");
        CHECK(e.problem() == "expected a positive number, found 0 (must be greater than zero)");
    }
    SUBCASE("a fraction above one") {
        const std::string bad = line_replaced(original_hopper, "memory = ", "memory = { value = 1.2, source = \"x\" }");
        const auto e = efficiency_error(bad);
        CHECK(e.key() == "memory.value");
        CHECK(e.problem() == "expected a fraction in (0, 1], found 1.2");
    }
}

TEST_CASE("NVLS calibration is present exactly for GPUs whose NVSwitch reduces in the switch") {
    SUBCASE("an H800 cluster whose efficiency file has no [links.nvls]") {
        const std::string hopper = original(kHopper);
        const std::size_t from = hopper.find("[links.nvls]");
        const std::size_t to = hopper.find("[links.deepep]");
        REQUIRE(from != std::string::npos);
        REQUIRE(to != std::string::npos);
        REQUIRE(from < to);
        const std::string bad = hopper.substr(0, from) + hopper.substr(to);
        const EmbeddedFiles files = with(kHopper, bad);
        const auto e = config_error_from([&] { (void)load_cluster(files, kCluster); });
        CHECK(e.file() == kCluster);
        CHECK(e.key() == "efficiency");
        CHECK(e.line() == line_of(original(kCluster), "efficiency ="));
        CHECK(e.problem() == kHopper + " has no [links.nvls], but H800-SXM's NVSwitch reduces in the switch (NVLink "
                                       "SHARP): NVLS all-reduce needs its calibration there");
    }
    SUBCASE("an A100 with a file that has one") {
        const std::string bad = replaced(original(kCluster), "gpu = \"H800-SXM\"", "gpu = \"A100-80GB-SXM\"");
        const auto e = cluster_error(bad);
        CHECK(e.key() == "efficiency");
        CHECK(contains(e.problem(), "has [links.nvls], but A100-80GB-SXM's NVSwitch does no in-switch reduction"));
    }
    SUBCASE("DeepEP's calibration is required") {
        const std::string hopper = original(kHopper);
        const std::size_t from = hopper.find("[links.deepep]");
        REQUIRE(from != std::string::npos);
        const EmbeddedFiles files = with(kHopper, hopper.substr(0, from));
        const auto e = config_error_from([&] { (void)load_efficiency(files, kHopper); });
        CHECK(e.key() == "links.deepep");
        CHECK(contains(e.problem(), "required key is missing"));
    }
}

TEST_CASE("workload checks that one file can decide") {
    SUBCASE("kv_heads must divide heads") {
        const std::string path = "workloads/llama3.1-405b.toml";
        const std::string bad = replaced(DiskFiles(TCSIM_SOURCE_DIR).read(path), "kv_heads = 8", "kv_heads = 7");
        const EmbeddedFiles files = with(path, bad);
        const auto e = config_error_from([&] { (void)load_workload(files, path); });
        CHECK(e.key() == "model.attention.kv_heads");
        CHECK(e.line() == line_of(bad, "kv_heads = 7"));
        CHECK(e.problem() == "kv_heads must divide heads (128), found 7");
    }
    SUBCASE("a key of another attention kind") {
        const std::string bad =
            replaced(original(kWorkload), "kv_lora_rank = 512", "kv_lora_rank = 512\nhead_dim = 128");
        const auto e = workload_error(bad);
        CHECK(e.key() == "model.attention.head_dim");
        CHECK(e.problem() == "head_dim applies only to kind = \"mha\" or \"gqa\", not to kind = \"mla\"");
    }
    SUBCASE("an MLA model without its ranks") {
        const std::string bad = replaced(original(kWorkload), "kv_lora_rank = 512\n", "");
        const auto e = workload_error(bad);
        CHECK(e.key() == "model.attention.kv_lora_rank");
        CHECK(e.problem() == "required key is missing; expected a positive integer");
    }
    SUBCASE("top_k above the routed experts") {
        const std::string bad = replaced(original(kWorkload), "top_k = 8", "top_k = 300");
        const auto e = workload_error(bad);
        CHECK(e.key() == "model.ffn.top_k");
        CHECK(e.problem() == "top_k must not exceed routed_experts (256), found 300");
    }
    SUBCASE("an error inside an array of tables names the element") {
        const std::string bad =
            replaced(original(kWorkload), "global_batch_sequences = 480", "global_batch_sequences = 0");
        const auto e = workload_error(bad);
        CHECK(e.key() == "training.extension[1].global_batch_sequences");
        CHECK(e.line() == line_of(bad, "global_batch_sequences = 0"));
    }
    SUBCASE("virtual stages without the interleaved schedule") {
        const std::string bad = replaced(original(kWorkload), "comm_sms = 20", "comm_sms = 20\nvirtual_stages = 2");
        const auto e = workload_error(bad);
        CHECK(e.key() == "parallel.virtual_stages");
        CHECK(contains(e.problem(), "applies only to schedule = \"interleaved-1f1b\""));
    }
    SUBCASE("pipeline_split: the two rules by name, the nearest one suggested") {
        const std::string bad =
            replaced(original(kWorkload), "pipeline_split = \"balanced\"", "pipeline_split = \"uniform\"");
        const auto e = workload_error(bad);
        CHECK(e.key() == "parallel.pipeline_split");
        CHECK(e.line() == line_of(bad, "pipeline_split = \"uniform\""));
        CHECK(contains(e.problem(), "expected one of \"balanced\", \"even\", found \"uniform\""));
    }
    SUBCASE("ep_comm_overlap is a boolean") {
        const std::string bad = replaced(original(kWorkload), "comm_sms = 20", "comm_sms = 20\nep_comm_overlap = 1");
        const auto e = workload_error(bad);
        CHECK(e.key() == "parallel.ep_comm_overlap");
        CHECK(e.line() == line_of(bad, "ep_comm_overlap = 1"));
        CHECK(contains(e.problem(), "expected true or false, found integer 1"));
    }
    SUBCASE("fp8_gemm_library: the two kernel libraries by name") {
        const std::string bad = replaced(original(kWorkload), "fp8_gemm_library = \"deepgemm\"",
                                         "fp8_gemm_library = \"cutlass\"");
        const auto e = workload_error(bad);
        CHECK(e.key() == "training.fp8_gemm_library");
        CHECK(e.line() == line_of(bad, "fp8_gemm_library = \"cutlass\""));
        CHECK(contains(e.problem(), "expected one of \"cublas\", \"deepgemm\", found \"cutlass\""));
    }
    SUBCASE("first/last stage layer counts belong to the even split") {
        const std::string bad = replaced(original(kWorkload), "pipeline_split = \"balanced\"",
                                         "pipeline_split = \"balanced\"\nlast_stage_layers = 1");
        const auto e = workload_error(bad);
        CHECK(e.key() == "parallel.last_stage_layers");
        CHECK(e.line() == line_of(bad, "last_stage_layers = 1"));
        CHECK(contains(e.problem(), "applies only to pipeline_split = \"even\""));
        const std::string both = replaced(original(kWorkload), "pipeline_split = \"balanced\"",
                                          "pipeline_split = \"even\"\nsplit_embedding_and_loss = true\n"
                                          "first_stage_layers = 1");
        const auto e2 = workload_error(both);
        CHECK(e2.key() == "parallel.first_stage_layers");
        CHECK(contains(e2.problem(), "cannot be set with split_embedding_and_loss = true"));
    }
    SUBCASE("an integer where tokens need a number is fine, a string is not") {
        const std::string ok = replaced(original(kWorkload), "tokens = 14.8e12", "tokens = 14800000000000");
        const EmbeddedFiles files = with(kWorkload, ok);
        CHECK(load_workload(files, kWorkload).training.tokens == doctest::Approx(14.8e12));
        const auto e = workload_error(replaced(original(kWorkload), "tokens = 14.8e12", "tokens = \"14.8T\""));
        CHECK(e.problem() == "expected a positive number, found string \"14.8T\"");
    }
}

TEST_CASE("prices: a price needs its date") {
    const std::string bad = replaced(original(std::string(kBuiltinPrices)), "date = \"2024-12\"\n", "");
    const EmbeddedFiles files = with(std::string(kBuiltinPrices), bad);
    const auto e = config_error_from([&] { (void)load_prices(files, std::string(kBuiltinPrices)); });
    CHECK(e.key() == "rental.H800-SXM.date");
    CHECK(e.problem() == "required key is missing; expected a string");
}

TEST_CASE("prices: an entry for a GPU the catalog does not know is refused at its key, with the near name") {
    const std::string path = std::string(kBuiltinPrices);
    const auto gpus = load_gpu_catalog(builtin_files(), kGpus).names();
    // The shipped list names only catalog GPUs.
    CHECK(load_prices(builtin_files(), path, gpus).rental.count("H800-SXM") == 1);
    const std::string bad = replaced(original(path), "[rental.\"H800-SXM\"]", "[rental.\"H800-SMX\"]");
    const EmbeddedFiles files = with(path, bad);
    const auto e = config_error_from([&] { (void)load_prices(files, path, gpus); });
    CHECK(starts_with(e.what(), at(path, line_of(bad, "[rental.\"H800-SMX\"]"))));
    CHECK(e.key() == "rental.H800-SMX");
    CHECK(contains(e.problem(), "no GPU \"H800-SMX\" in the GPU catalog (did you mean \"H800-SXM\"?)"));
    // Without the catalog the loader cannot tell, and takes the entry.
    CHECK(load_prices(files, path).rental.count("H800-SMX") == 1);
}

TEST_CASE("multi-plane fabric: planes must divide the NICs; other fabrics take no planes") {
    const auto e = cluster_error(replaced(original(kCluster), "planes = 8", "planes = 3"));
    CHECK(e.key() == "fabric.planes");
    CHECK(e.problem() == "each NIC belongs to one plane, so planes must divide nics_per_node (8), found 3");
    const auto f = cluster_error(replaced(original(kCluster), "kind = \"multi_plane\"", "kind = \"fat_tree\""));
    CHECK(f.key() == "fabric.planes");
    CHECK(contains(f.problem(), "planes applies only to kind = \"multi_plane\""));
}

TEST_CASE("an extension stage's layout: strict keys, bounds and schedule rules") {
    const std::string stage = "[training.extension.parallel]\ncp = 8\ndp = 16\n";
    REQUIRE(contains(original(kWorkload), stage));
    SUBCASE("a misspelt key is refused with a suggestion") {
        const std::string bad =
            replaced(original(kWorkload), stage, "[training.extension.parallel]\ncpp = 8\ndp = 16\n");
        const auto e = workload_error(bad);
        CHECK(e.key() == "training.extension[0].parallel.cpp");
        CHECK(e.line() == line_of(bad, "cpp = 8"));
        CHECK(contains(e.problem(), "unknown key"));
        CHECK(contains(e.problem(), "did you mean 'cp'?"));
    }
    SUBCASE("a degree of zero") {
        const std::string bad =
            replaced(original(kWorkload), stage, "[training.extension.parallel]\ncp = 0\ndp = 16\n");
        const auto e = workload_error(bad);
        CHECK(e.key() == "training.extension[0].parallel.cp");
        CHECK(contains(e.problem(), "expected a positive integer"));
    }
    SUBCASE("an unknown schedule") {
        const std::string bad = replaced(original(kWorkload), stage,
                                         "[training.extension.parallel]\ncp = 8\ndp = 16\nschedule = \"dual\"\n");
        const auto e = workload_error(bad);
        CHECK(e.key() == "training.extension[0].parallel.schedule");
        CHECK(contains(e.problem(), "expected one of"));
    }
    SUBCASE("virtual stages without the interleaved schedule") {
        const std::string bad = replaced(original(kWorkload), stage,
                                         "[training.extension.parallel]\ncp = 8\ndp = 16\nvirtual_stages = 2\n");
        const auto e = workload_error(bad);
        CHECK(e.key() == "training.extension[0].parallel.virtual_stages");
        CHECK(contains(e.problem(), "applies only to schedule = \"interleaved-1f1b\""));
    }
    SUBCASE("a layout that is not a table") {
        const std::string bad = replaced(original(kWorkload), stage, "");
        const std::string worse = replaced(bad, "steps = 1000\n", "steps = 1000\nparallel = 8\n");
        const auto e = workload_error(worse);
        CHECK(e.key() == "training.extension[0].parallel");
        CHECK(contains(e.problem(), "cp = 8, dp = 16"));
    }
}

TEST_CASE("grad_reduce_dtype: gradients are reduced in FP32, BF16 or FP16, nothing else") {
    const std::string anchor = "recompute_modules = ";
    REQUIRE(contains(original(kWorkload), anchor));
    const std::string bad = replaced(original(kWorkload), anchor, "grad_reduce_dtype = \"fp8\"\n" + anchor);
    const auto e = workload_error(bad);
    CHECK(e.key() == "training.grad_reduce_dtype");
    CHECK(e.line() == line_of(bad, "grad_reduce_dtype = \"fp8\""));
    CHECK(contains(e.problem(), "\"fp32\", \"bf16\" or \"fp16\""));
}

TEST_CASE("claims: one quantity per figure, known scopes and bounds, strict keys") {
    const std::string path = "claims/deepseek-v3-two-months.toml";
    const std::string good = original(path);
    auto claim_error = [&](const std::string& content) {
        const EmbeddedFiles files = with(path, content);
        return config_error_from([&] { (void)load_claim(files, path); });
    };
    SUBCASE("two quantities in one figure") {
        const std::string bad = replaced(good, "duration = \"60.9 day\"", "duration = \"60.9 day\"\ngpu_hours = 3e6");
        const auto e = claim_error(bad);
        CHECK(e.key() == "figure[0].gpu_hours");
        CHECK(contains(e.problem(), "exactly one of duration, gpu_hours, cost, gpu_count, mfu or the hardware"));
    }
    SUBCASE("no quantity") {
        const std::string bad = replaced(good, "gpu_hours = 2.664e6\n", "");
        const auto e = claim_error(bad);
        CHECK(contains(e.problem(), "must state one of duration"));
    }
    SUBCASE("a duration without its unit") {
        const auto e = claim_error(replaced(good, "duration = \"60.9 day\"", "duration = 60.9"));
        CHECK(e.key() == "figure[0].duration");
    }
    SUBCASE("an unknown bound") {
        const auto e = claim_error(replaced(good, "bound = \"at_most\"", "bound = \"under\""));
        CHECK(e.key() == "figure[0].bound");
        CHECK(contains(e.problem(), "\"at_most\""));
    }
    SUBCASE("a misspelt key") {
        const auto e = claim_error(replaced(good, "scope = \"pretraining\"\nbound", "scoep = \"pretraining\"\nbound"));
        CHECK(e.key() == "figure[0].scoep");
        CHECK(contains(e.problem(), "did you mean 'scope'?"));
    }
    SUBCASE("a range without its high end, and a high end without a range") {
        auto e = claim_error(replaced(good, "bound = \"at_most\"", "bound = \"between\""));
        CHECK(e.key() == "figure[0].up_to");
        CHECK(contains(e.problem(), "needs the range's high end"));
        e = claim_error(replaced(good, "bound = \"at_most\"", "bound = \"between\"\nup_to = \"50 day\""));
        CHECK(e.key() == "figure[0].up_to");
        CHECK(contains(e.problem(), "above the figure's value"));
        e = claim_error(replaced(good, "bound = \"at_most\"", "up_to = \"70 day\""));
        CHECK(e.key() == "figure[0].up_to");
    }
    SUBCASE("schema 1's scope \"total\" is refused with the stage names") {
        const auto e = claim_error(replaced(good, "scope = \"pretraining\"\nbound", "scope = \"total\"\nbound"));
        CHECK(e.key() == "figure[0].scope");
        CHECK(contains(e.problem(), "\"pretraining+context_extension\""));
        CHECK(contains(e.problem(), "\"sft\""));
    }
    SUBCASE("a GPU count and the hardware in one figure; an MFU beyond 1,000 %") {
        auto e = claim_error(replaced(good, "gpu_count = 2048", "gpu_count = 2048\ngpu_vendor = \"NVIDIA\""));
        CHECK(e.key() == "figure[2].gpu_vendor");
        e = claim_error(replaced(good, "gpu_count = 2048", "mfu = 12.0"));
        CHECK(e.key() == "figure[2].mfu");
        e = claim_error(replaced(good, "gpu_count = 2048", "gpu_count = 2048\nunsimulated = 8"));
        CHECK(e.key() == "figure[2].unsimulated");
    }
    SUBCASE("an unsimulated part as large as the figure") {
        const auto e = claim_error(replaced(good, "gpu_hours = 2.664e6\n", "gpu_hours = 2.664e6\nunsimulated = 3e6\n"));
        CHECK(e.key() == "figure[1].unsimulated");
    }
}

TEST_CASE("datacenter assumptions: every value cited, fractions in range, ranges whole") {
    const std::string path = "topologies/datacenter.toml";
    const std::string good = original(path);
    auto datacenter_error = [&](const std::string& content) {
        const EmbeddedFiles files = with(path, content);
        return config_error_from([&] { (void)load_datacenter(files, path); });
    };
    SUBCASE("a PUE below one") {
        const auto e = datacenter_error(line_replaced(good, "pue = ", "pue = { value = 0.9, source = \"x\" }"));
        CHECK(e.key() == "power.pue.value");
        CHECK(contains(e.problem(), "expected a number from 1 to 5, found 0.9"));
    }
    SUBCASE("a value without a source") {
        const auto e = datacenter_error(line_replaced(good, "restart = ", "restart = { value = \"10 min\" }"));
        CHECK(e.key() == "reliability.restart.source");
    }
    SUBCASE("half a range") {
        const auto e = datacenter_error(
            line_replaced(good, "restart = ", "restart = { value = \"10 min\", low = \"5 min\", source = \"x\" }"));
        CHECK(e.key() == "reliability.restart.high");
    }
    SUBCASE("a bare number for a bandwidth") {
        const auto e = datacenter_error(line_replaced(
            good, "storage_write_bandwidth = ", "storage_write_bandwidth = { value = 2e12, source = \"x\" }"));
        CHECK(e.key() == "reliability.storage_write_bandwidth.value");
    }
}

TEST_CASE("prices: energy prices carry their unit, network entries name their tiers") {
    const std::string path = std::string(kBuiltinPrices);
    const std::string good = original(path);
    auto prices_error = [&](const std::string& content) {
        const EmbeddedFiles files = with(path, content);
        return config_error_from([&] { (void)load_prices(files, path); });
    };
    SUBCASE("a bare electricity price") {
        const auto e = prices_error(replaced(good, "per_kwh = \"0.0806 USD/kWh\"", "per_kwh = 0.0806"));
        CHECK(e.key() == "electricity.per_kwh");
    }
    SUBCASE("an electricity price per hour") {
        const auto e = prices_error(replaced(good, "per_kwh = \"0.0806 USD/kWh\"", "per_kwh = \"0.0806 USD/h\""));
        CHECK(e.key() == "electricity.per_kwh");
    }
    SUBCASE("a network entry that is not a tier count") {
        const auto e = prices_error(replaced(good, "[network.\"3-tier\"]", "[network.\"three\"]"));
        CHECK(e.key() == "network.three");
        CHECK(contains(e.problem(), "\"3-tier\""));
    }
}
