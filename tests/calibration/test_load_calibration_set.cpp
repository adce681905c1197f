// Loading calibration sets: the format of sim/calibration/load_calibration_set.hpp, strict like
// every loader ("unknown keys are refused, errors name file, line, column and key", STYLE.md).
#include "calibration/load_calibration_set.hpp"
#include "config/config_error.hpp"
#include "config/config_files.hpp"

#include "../config/config_error_capture.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace tcsim;
using config::testing::config_error_from;
using config::testing::line_of;
using config::testing::replaced;

namespace {

const std::string kSet = R"(set = "demo"
title = "A demo set"
source = "tests"

[[record]]
id = "gemm-1"
kind = "gemm"
cluster = "../topologies/h800.toml"
m = 4096
n = 7168
k = 16384
dtype = "fp8"
source = "DeepGEMM README"
confidence = "exact-from-source"
[[record.published]]
metric = "gemm_throughput"
value = "1426 TFLOP/s"
tolerance = 0.10

[[record]]
id = "step-1"
kind = "step"
cluster = "../topologies/a100.toml"
nodes = 4
workload = "../workloads/gpt.toml"
source = "Megatron-LM SC'21 Table 1"
confidence = "exact-from-source"
[record.parallel]
dp = 32
split_embedding_and_loss = true
pipeline_split = "even"
[record.training]
global_batch_sequences = 512
[[record.published]]
metric = "tflops_per_gpu"
value = "137 TFLOP/s"
flops = "megatron"
tolerance = 0.10
[[record.published]]
metric = "mfu"
value = 0.44
tolerance = 0.10
)";

calibration::CalibrationSet load(const std::string& text) {
    config::EmbeddedFiles files;
    files.add("calibrations/demo.toml", text);
    return calibration::load_calibration_set(files, "calibrations/demo.toml");
}

} // namespace

TEST_CASE("loading_a_set_resolves_paths_and_reads_values_in_their_units") {
    const auto s = load(kSet);
    CHECK(s.name == "demo");
    REQUIRE(s.records.size() == 2);
    const auto& g = s.records[0];
    CHECK(g.kind == calibration::RecordKind::gemm);
    CHECK(g.cluster == "topologies/h800.toml");
    CHECK(g.gemm.k == 16384);
    CHECK(g.gemm.dtype == hardware::Dtype::fp8);
    REQUIRE(g.published.size() == 1);
    CHECK(g.published[0].value == doctest::Approx(1426.0)); // stored in TFLOP/s
    const auto& st = s.records[1];
    CHECK(st.workload == "workloads/gpt.toml");
    CHECK(*st.nodes == 4);
    CHECK(*st.overrides.dp == 32);
    CHECK(*st.overrides.global_batch_sequences == 512);
    CHECK_FALSE(st.overrides.tp.has_value());
    REQUIRE(st.overrides.split_embedding_and_loss.has_value());
    CHECK(*st.overrides.split_embedding_and_loss);
    CHECK_FALSE(g.overrides.split_embedding_and_loss.has_value());
    REQUIRE(st.overrides.pipeline_split.has_value());
    CHECK(*st.overrides.pipeline_split == workload::PipelineSplit::even);
    CHECK_FALSE(g.overrides.pipeline_split.has_value());
    CHECK(st.published[0].flops == calibration::FlopCount::megatron);
    CHECK(st.published[1].flops == calibration::FlopCount::model); // MFU's default
    CHECK(st.published[1].value == doctest::Approx(0.44));
}

TEST_CASE("a_step_time_needs_its_unit") {
    // STYLE.md rule 3: "A bare number where a unit is needed is an error."
    const auto text = replaced(replaced(kSet, "metric = \"tflops_per_gpu\"", "metric = \"step_time\""),
                               "value = \"137 TFLOP/s\"\nflops = \"megatron\"", "value = 3.53");
    const auto e = config_error_from([&] { (void)load(text); });
    CHECK(e.key() == "record[1].published[0].value");
    CHECK(e.line() == line_of(text, "value = 3.53"));
}

TEST_CASE("a_record_cannot_publish_a_metric_its_kind_does_not_predict") {
    const auto text = replaced(kSet, "metric = \"gemm_throughput\"", "metric = \"step_time\"");
    const auto e = config_error_from([&] { (void)load(text); });
    CHECK(e.key() == "record[0].published[0].metric");
    CHECK(std::string(e.problem()).find("gemm_throughput") != std::string::npos);
}

TEST_CASE("tflops_per_gpu_must_say_how_the_source_counted_flops") {
    // Megatron's TFLOP/s count recomputation; Llama's do not: the record must say which.
    const auto text = replaced(kSet, "flops = \"megatron\"\n", "");
    const auto e = config_error_from([&] { (void)load(text); });
    CHECK(e.key() == "record[1].published[0].flops");
}

TEST_CASE("keys_of_another_kind_are_refused") {
    const auto text = replaced(kSet, "m = 4096\n", "m = 4096\nworkload = \"x.toml\"\n");
    const auto e = config_error_from([&] { (void)load(text); });
    CHECK(e.key() == "record[0].workload");
}

TEST_CASE("misspelt_keys_are_refused_with_a_suggestion") {
    const auto text =
        replaced(kSet, "tolerance = 0.10\n\n[[record]]", "tolerence = 0.10\ntolerance = 0.10\n\n[[record]]");
    const auto e = config_error_from([&] { (void)load(text); });
    CHECK(std::string(e.problem()).find("tolerance") != std::string::npos);
}

TEST_CASE("record_ids_are_unique_within_a_set") {
    const auto text = replaced(kSet, "id = \"step-1\"", "id = \"gemm-1\"");
    const auto e = config_error_from([&] { (void)load(text); });
    CHECK(e.key() == "record[1].id");
}

TEST_CASE("a_tolerance_is_a_fraction") {
    const auto text = replaced(kSet, "tolerance = 0.10\n\n[[record]]", "tolerance = 10\n\n[[record]]");
    const auto e = config_error_from([&] { (void)load(text); });
    CHECK(e.key() == "record[0].published[0].tolerance");
}

TEST_CASE("every_numeric_key_has_its_physical_range") {
    // Issue 15: a value beyond any real measurement is refused at its line and key with the range
    // (config/limits.hpp), before anything is simulated.
    struct Row {
        const char* from;
        const char* to;
        const char* key;
        const char* words;
    };
    const Row rows[] = {
        {"m = 4096\n", "m = 1e300\n", "record[0].m", "from 1 to 1e+09"},
        {"k = 16384\n", "k = 16384\ngroups = 2000000000\n", "record[0].groups", "from 1 to 1000000"},
        {"value = \"1426 TFLOP/s\"", "value = \"1e30 TFLOP/s\"", "record[0].published[0].value", "1000000 TFLOP/s"},
        {"nodes = 4\n", "nodes = 2000000000\n", "record[1].nodes", "from 1 to 10000000"},
        {"dp = 32\n", "dp = 2147483647\n", "record[1].parallel.dp", "from 1 to 10000000"},
        {"dp = 32\n", "dp = 32\nzero_stage = 7\n", "record[1].parallel.zero_stage", "from 0 to 3"},
        {"global_batch_sequences = 512\n", "global_batch_sequences = 512\nseq_len = 2147483647\n",
         "record[1].training.seq_len", "from 1 to 100000000"},
    };
    for (const Row& r : rows) {
        CAPTURE(r.to);
        const auto text = replaced(kSet, r.from, r.to);
        const auto e = config_error_from([&] { (void)load(text); });
        CHECK(e.key() == r.key);
        CHECK(std::string(e.what()).find(r.words) != std::string::npos);
    }
}

TEST_CASE("an_expert_record_measures_deepeps_kernels_and_names_one") {
    // Its figures (RDMA / NVLink bandwidth) are counted DeepEP's way; NCCL's all-to-all of every
    // copy (pairwise) is a collective record of its own.
    const std::string expert = R"(set = "demo"
title = "experts"
source = "tests"

[[record]]
id = "ep8"
kind = "expert_all_to_all"
cluster = "../topologies/h800.toml"
direction = "dispatch"
ranks = 8
tokens = 4096
hidden = 7168
top_k = 8
dtype = "fp8"
algorithm = "deepep_normal"
source = "DeepEP"
confidence = "exact-from-source"
[[record.published]]
metric = "nvlink_bandwidth"
value = "153 GB/s"
tolerance = 0.10
)";
    CHECK(load(expert).records.size() == 1);
    const auto text = replaced(expert, "algorithm = \"deepep_normal\"", "algorithm = \"pairwise\"");
    const auto e = config_error_from([&] { (void)load(text); });
    CHECK(e.key() == "record[0].algorithm");
    CHECK(e.line() == line_of(text, "algorithm = \"pairwise\""));
    CHECK(std::string(e.problem()).find("expected \"deepep_normal\", \"deepep_low_latency\" or \"auto\"") !=
          std::string::npos);
}
