// The architecture keys of 2024-2026 in a workload file (sliding windows, sinks, MQA, parallel
// blocks, activations, block-scaled GEMM formats) and the Blackwell peaks in the GPU catalog:
// read into the structs, and refused where they cannot hold, naming the key.
#include "config/config_files.hpp"
#include "config/load_gpu_catalog.hpp"
#include "config/load_workload.hpp"
#include "config_error_capture.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace tcsim;
using namespace tcsim::config;
using tcsim::config::testing::config_error_from;
using tcsim::config::testing::replaced;

namespace {

const std::string kLlama = "workloads/llama3.1-405b.toml";
const std::string kDeepSeek = "workloads/deepseek-v3.toml";

workload::Workload load_with(const std::string& path, const std::string& from, const std::string& to) {
    const DiskFiles disk(TCSIM_SOURCE_DIR);
    EmbeddedFiles files;
    files.add(path, replaced(disk.read(path), from, to));
    return load_workload(files, path);
}

ConfigError error_with(const std::string& path, const std::string& from, const std::string& to) {
    return config_error_from([&] { (void)load_with(path, from, to); });
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

} // namespace

TEST_CASE("sliding window, global layers and sinks are read") {
    const auto w = load_with(kLlama, "head_dim = 128\n",
                             "head_dim = 128\nsliding_window = 1024\nglobal_every = 6\nsink_tokens = 4\n"
                             "learned_sinks = true\n");
    const auto& a = w.model.attention;
    CHECK(a.sliding_window == 1024);
    CHECK(a.global_every == 6);
    CHECK(a.sink_tokens == 4);
    CHECK(a.learned_sinks);
    CHECK(w.model.is_windowed_layer(0));
    CHECK_FALSE(w.model.is_windowed_layer(5));
    const auto shipped = load_with(kLlama, "head_dim = 128\n", "head_dim = 128\n");
    CHECK(shipped.model.attention.sliding_window == 0);
    CHECK_FALSE(shipped.model.attention.learned_sinks);
}

TEST_CASE("kind = \"mqa\" is GQA with one KV head") {
    const auto w = load_with(kLlama, "kind = \"gqa\"\nheads = 128\nkv_heads = 8\n", "kind = \"mqa\"\nheads = 128\n");
    CHECK(w.model.attention.kind == workload::AttentionKind::gqa);
    CHECK(w.model.attention.kv_heads == 1);
    const auto e = error_with(kLlama, "kind = \"gqa\"", "kind = \"mqa\"");
    CHECK(e.key() == "model.attention.kv_heads");
    CHECK(contains(e.what(), "multi-query attention has one KV head (kv_heads = 1 or absent), found 8"));
}

TEST_CASE("activation is read; the older gated key still works and must agree") {
    CHECK(load_with(kLlama, "gated = true", "activation = \"geglu\"").model.ffn.activation ==
          workload::Activation::geglu);
    CHECK(load_with(kLlama, "gated = true", "activation = \"squared-relu\"").model.ffn.activation ==
          workload::Activation::squared_relu);
    CHECK(load_with(kLlama, "gated = true", "gated = false").model.ffn.activation == workload::Activation::gelu);
    CHECK(load_with(kLlama, "gated = true", "gated = true").model.ffn.activation == workload::Activation::swiglu);
    CHECK(load_with(kLlama, "gated = true", "gated = true\nactivation = \"swiglu\"").model.ffn.activation ==
          workload::Activation::swiglu);
    const auto e = error_with(kLlama, "gated = true", "gated = true\nactivation = \"relu\"");
    CHECK(e.key() == "model.ffn.gated");
    CHECK(contains(e.what(), "gated = true contradicts activation = \"relu\", which is not gated"));
    CHECK(error_with(kLlama, "gated = true", "activation = \"swish\"").key() == "model.ffn.activation");
}

TEST_CASE("parallel_block is read, and refused for an MoE model") {
    CHECK(load_with(kLlama, "norm = \"rmsnorm\"", "norm = \"rmsnorm\"\nparallel_block = true").model.parallel_block);
    const auto e = error_with(kDeepSeek, "[model.attention]", "parallel_block = true\n[model.attention]");
    CHECK(e.key() == "model.parallel_block");
    CHECK(contains(e.what(), "parallel_block applies to dense FFNs"));
}

TEST_CASE("local-attention keys that cannot hold are refused by name") {
    auto e = error_with(kLlama, "head_dim = 128\n", "head_dim = 128\nglobal_every = 6\n");
    CHECK(e.key() == "model.attention.global_every");
    CHECK(contains(e.what(), "applies only to a model with a sliding_window"));
    e = error_with(kLlama, "head_dim = 128\n", "head_dim = 128\nsink_tokens = 4\n");
    CHECK(e.key() == "model.attention.sink_tokens");
    e = error_with(kLlama, "head_dim = 128\n", "head_dim = 128\nsliding_window = 128\nsink_tokens = 128\n");
    CHECK(e.key() == "model.attention.sink_tokens");
    CHECK(contains(e.what(), "sink_tokens must be below sliding_window (128), found 128"));
    e = error_with(kLlama, "head_dim = 128\n", "head_dim = 128\nsliding_window = 128\nglobal_every = 127\n");
    CHECK(e.key() == "model.attention.global_every");
    CHECK(contains(e.what(), "must not exceed the model's layers (126)"));
    CHECK(error_with(kLlama, "head_dim = 128\n", "head_dim = 128\nsliding_window = 0\n").key() ==
          "model.attention.sliding_window");
}

TEST_CASE("gemm_dtype accepts mxfp8 and nvfp4; attention_dtype refuses them") {
    CHECK(load_with(kLlama, "gemm_dtype = \"bf16\"", "gemm_dtype = \"nvfp4\"").training.gemm_dtype ==
          hardware::Dtype::nvfp4);
    CHECK(load_with(kLlama, "gemm_dtype = \"bf16\"", "gemm_dtype = \"mxfp8\"").training.gemm_dtype ==
          hardware::Dtype::mxfp8);
    const auto e = error_with(kLlama, "attention_dtype = \"bf16\"", "attention_dtype = \"mxfp8\"");
    CHECK(e.key() == "training.attention_dtype");
    CHECK(contains(e.what(), "block-scaled formats (mxfp8, nvfp4) apply to gemm_dtype"));
}

TEST_CASE("GPU catalog: B200 has MXFP8 and NVFP4 peaks (HGX B200 table, dense), Hopper has none") {
    const DiskFiles disk(TCSIM_SOURCE_DIR);
    const auto catalog = load_gpu_catalog(disk, "topologies/gpus.toml");
    const auto& b200 = catalog.find("B200");
    // HGX B200: FP4 18 PFLOP/s with sparsity per GPU, 9 dense; MXFP8 at the FP8 rate, 4.5 dense.
    CHECK(b200.peak(hardware::Dtype::nvfp4).value() == doctest::Approx(9000e12));
    CHECK(b200.peak(hardware::Dtype::mxfp8).value() == doctest::Approx(b200.peak(hardware::Dtype::fp8).value()));
    for (const char* hopper : {"H100-SXM", "H800-SXM", "H200-SXM", "A100-80GB-SXM"}) {
        CHECK(catalog.find(hopper).peak(hardware::Dtype::nvfp4).value() == 0.0);
        CHECK(catalog.find(hopper).peak(hardware::Dtype::mxfp8).value() == 0.0);
    }
}

TEST_CASE("cp_pass is read in [parallel] and refused by name when it is neither kv nor latent") {
    const auto w = load_with(kDeepSeek, "zero_stage = 1\n", "zero_stage = 1\ncp_pass = \"latent\"\n");
    CHECK(w.parallel.cp_pass == workload::CpPass::latent);
    const auto e = error_with(kDeepSeek, "zero_stage = 1\n", "zero_stage = 1\ncp_pass = \"ring\"\n");
    CHECK(e.key() == "parallel.cp_pass");
    CHECK(contains(e.what(), "\"kv\""));
    CHECK(contains(e.what(), "\"latent\""));
}

TEST_CASE("pipeline_layout is read, its syntax checked at its key, and refused beside the other ways of placing layers") {
    const auto w =
        load_with(kDeepSeek, "zero_stage = 1\n", "zero_stage = 1\npipeline_layout = \"Et*3|(tt|)*29,m|L\"\n");
    CHECK(w.parallel.pipeline_layout == "Et*3|(tt|)*29,m|L");
    const auto bad = error_with(kDeepSeek, "zero_stage = 1\n", "zero_stage = 1\npipeline_layout = \"Et|x|L\"\n");
    CHECK(bad.key() == "parallel.pipeline_layout");
    CHECK(contains(bad.what(), "at character 4, 'x'"));
    const auto order = error_with(kDeepSeek, "zero_stage = 1\n", "zero_stage = 1\npipeline_layout = \"E|m|t|L\"\n");
    CHECK(contains(order.what(), "model order"));
    const auto both = error_with(kDeepSeek, "zero_stage = 1\n",
                                 "zero_stage = 1\npipeline_layout = \"Et*3|(tt|)*29,m|L\"\nfirst_stage_layers = 4\n");
    CHECK(both.key() == "parallel.first_stage_layers");
    CHECK(contains(both.what(), "cannot be set with pipeline_layout"));
}
