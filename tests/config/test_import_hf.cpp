// `tcsim import --hf`: the stored Hugging Face configs (tests/config/data/hf/, copied from the
// sources its README names) become workload files whose models load and whose parameter counts
// match the totals their authors published; fields tcsim cannot represent are refused by name.
#include "config/config_error.hpp"
#include "config/config_files.hpp"
#include "config/import_hf.hpp"
#include "config/load_workload.hpp"
#include "config_error_capture.hpp"
#include "workload/model_math.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace tcsim;
using namespace tcsim::config;
using tcsim::config::testing::config_error_from;
using tcsim::config::testing::replaced;

namespace {

const DiskFiles& disk() {
    static const DiskFiles files(TCSIM_SOURCE_DIR);
    return files;
}

std::string hf(const std::string& name) { return "tests/config/data/hf/" + name + ".json"; }

/// A recipe that makes the text a whole workload (the numbers do not enter parameter counts).
HfRecipe recipe() {
    HfRecipe r;
    r.tokens = 1e12;
    r.seq_len = 4096;
    r.global_batch_sequences = 1024;
    r.tp = 1;
    r.pp = 1;
    r.dp = 8;
    return r;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

/// Loads workload `text` and returns the main model's total parameters.
double total_parameters(const std::string& text) {
    EmbeddedFiles files;
    files.add("imported.toml", text);
    const workload::Workload w = load_workload(files, "imported.toml");
    return workload::count_parameters(w.model).total;
}

/// The import of `name` with `from` replaced by `to` in its JSON text.
std::string import_edited(const std::string& name, const std::string& from, const std::string& to,
                          const HfRecipe& r = recipe()) {
    EmbeddedFiles files;
    files.add(hf(name), replaced(disk().read(hf(name)), from, to));
    return import_hf(files, hf(name), r);
}

ConfigError refusal(const std::string& name, const std::string& from, const std::string& to,
                    const HfRecipe& r = recipe()) {
    return config_error_from([&] { (void)import_edited(name, from, to, r); });
}

} // namespace

// Published totals, each rounded by its source; the tolerance is half a unit of the last digit
// given (46.7B: +-0.05B; 236B: +-0.5B), plus what the import leaves out where the source's count
// may include it (said per case). tcsim counts every weight matrix, embedding, head, norm and bias
// (workload/model_math.hpp); the few uncounted weights (QK norms, gates of size hidden) are below
// 1e-4 of these totals.
TEST_CASE("imported models load and have their published total parameters") {
    struct Case {
        const char* file;
        double published;
        double tolerance;
        const char* source;
    };
    const Case cases[] = {
        // "46.7B total parameters" (mistral.ai/news/mixtral-of-experts, 2023-12-11).
        {"mixtral-8x7b-v0.1", 46.7e9, 0.05e9, "Mixtral blog"},
        // "236B total parameters, of which 21B are activated" (arXiv:2405.04434, abstract).
        {"deepseek-v2", 236e9, 0.5e9, "DeepSeek-V2 paper"},
        // "671B total parameters with 37B activated" (arXiv:2412.19437, abstract), the main model
        // without the 14B MTP module.
        {"deepseek-v3", 671e9, 0.5e9, "DeepSeek-V3 report"},
        // "235B total and 22B activated" (Qwen3 technical report arXiv:2505.09388, Table 2).
        {"qwen3-235b-a22b", 235e9, 0.5e9, "Qwen3 report"},
        // "17B active, 400B total" (Meta, Llama 4 model card, 2025-04-05): a round figure; the card
        // does not say whether the vision encoder (left out here) is in it, so +-0.5 % (2B).
        {"llama-4-maverick-17b-128e", 400e9, 2e9, "Llama 4 model card"},
    };
    for (const Case& c : cases) {
        CAPTURE(c.file);
        CAPTURE(c.source);
        const std::string text = import_hf(disk(), hf(c.file), recipe());
        CHECK(total_parameters(text) == doctest::Approx(c.published).epsilon(c.tolerance / c.published));
    }
}

// gpt-oss, Gemma 3 and Minitron use keys other parts of tcsim are adding (sliding windows, learned
// sinks, activations). Those change FLOPs, not parameters: swapped for keys with the same weights
// (a GeGLU or SwiGLU MLP has three matrices, a squared-ReLU or GeLU MLP two), the models load
// here and their totals can be checked.
TEST_CASE("imported models with windowed attention or other activations: the keys, and their totals") {
    const std::string oss = import_hf(disk(), hf("gpt-oss-120b"), recipe());
    CHECK(contains(oss, "sliding_window = 128\nglobal_every = 2\nlearned_sinks = true\n"));
    CHECK(contains(oss, "routed_experts = 128\nexpert_intermediate = 2880\ntop_k = 4\n"));
    CHECK(contains(oss, "qkv_bias = true\n"));
    const std::string oss_here = replaced(oss, "sliding_window = 128\nglobal_every = 2\nlearned_sinks = true\n", "");
    // "116.83B total parameters, 5.13B active" (gpt-oss model card, arXiv:2508.10925, Table 1); the
    // 64 learned sink logits per layer are not counted (2.3e3 weights).
    CHECK(total_parameters(oss_here) == doctest::Approx(116.83e9).epsilon(0.005e9 / 116.83e9));

    const std::string gemma = import_hf(disk(), hf("gemma-3-27b-pt"), recipe());
    CHECK(contains(gemma, "sliding_window = 1024\nglobal_every = 6\n")); // 5 local : 1 global
    CHECK(contains(gemma, "activation = \"geglu\"\n"));
    CHECK(contains(gemma, "vocab = 262208\ntied_embeddings = true\n")); // Gemma3TextConfig defaults
    const std::string gemma_here = replaced(replaced(gemma, "sliding_window = 1024\nglobal_every = 6\n", ""),
                                            "activation = \"geglu\"", "gated = true");
    // "27B": Gemma 3 technical report (arXiv:2503.19786) Table 1, the language model without the
    // 417M vision encoder; given as a whole number of billions: +-0.5B.
    CHECK(total_parameters(gemma_here) == doctest::Approx(27e9).epsilon(0.5e9 / 27e9));

    const std::string minitron = import_hf(disk(), hf("minitron-8b-base"), recipe());
    CHECK(contains(minitron, "activation = \"squared-relu\"\n"));
    CHECK(contains(minitron, "norm = \"layernorm\"\n"));
    CHECK(contains(minitron, "kv_heads = 8\nhead_dim = 128\n"));
    const std::string minitron_here = replaced(minitron, "activation = \"squared-relu\"", "gated = false");
    // "Minitron-8B": 8B as a whole number of billions: +-0.5B.
    CHECK(total_parameters(minitron_here) == doctest::Approx(8e9).epsilon(0.5e9 / 8e9));
}

TEST_CASE("import: the mapping of routing, interleaving and MLA fields") {
    const std::string v2 = import_hf(disk(), hf("deepseek-v2"), recipe());
    CHECK(contains(v2, "kind = \"mla\"\nheads = 128\nq_lora_rank = 1536\nkv_lora_rank = 512\n"));
    CHECK(contains(v2, "first_dense_layers = 1\nrouted_experts = 160\nshared_experts = 2\nexpert_intermediate = "
                       "1536\ntop_k = 6\nexpert_groups = 8\ngroups_per_token = 3\n"));
    CHECK(contains(v2, "# note: rope_scaling = "));
    const std::string v3 = import_hf(disk(), hf("deepseek-v3"), recipe());
    CHECK(contains(v3, "mtp_modules = 1\n"));
    const std::string maverick = import_hf(disk(), hf("llama-4-maverick-17b-128e"), recipe());
    CHECK(contains(maverick, "dense_intermediate = 16384\nmoe_every = 2\nrouted_experts = 128\nshared_experts = 1\n"));
    CHECK(contains(maverick, "# note: vision_config"));
    CHECK(contains(maverick, "attention_chunk_size = 8192"));
    // greedy routing: no group limit written
    CHECK_FALSE(contains(import_edited("deepseek-v2", "\"group_limited_greedy\"", "\"greedy\""), "expert_groups"));
    // decoder_sparse_step = 2 is moe_every = 2 and needs the dense width
    CHECK(contains(import_edited("qwen3-235b-a22b", "\"decoder_sparse_step\": 1", "\"decoder_sparse_step\": 2"),
                   "dense_intermediate = 12288\nmoe_every = 2\n"));
    // leading mlp_only_layers are leading dense layers
    CHECK(contains(import_edited("qwen3-235b-a22b", "\"mlp_only_layers\": []", "\"mlp_only_layers\": [1, 0]"),
                   "first_dense_layers = 2\n"));
    // without a recipe, a commented template
    const std::string bare = import_hf(disk(), hf("mixtral-8x7b-v0.1"));
    CHECK(contains(bare, "# [training]\n"));
    CHECK_FALSE(contains(bare, "\n[training]"));
    CHECK(contains(bare, "name = \"mixtral-8x7b-v0.1\"\n"));
    // the same file gives the same bytes
    CHECK(import_hf(disk(), hf("deepseek-v2"), recipe()) == v2);
}

TEST_CASE("import refuses what it cannot represent, naming the file and the field") {
    {
        const auto e = refusal("mixtral-8x7b-v0.1", "\"model_type\": \"mixtral\"", "\"model_type\": \"falcon\"");
        CHECK(e.file() == hf("mixtral-8x7b-v0.1"));
        CHECK(e.key() == "model_type");
        CHECK(contains(e.problem(), "found \"falcon\""));
        CHECK(contains(e.problem(), "\"deepseek_v3\""));
    }
    {
        const auto e = refusal("mixtral-8x7b-v0.1", "\"num_hidden_layers\": 32,", "");
        CHECK(e.key() == "num_hidden_layers");
        CHECK(contains(e.problem(), "missing"));
    }
    CHECK(refusal("mixtral-8x7b-v0.1", "\"hidden_size\": 4096", "\"hidden_size\": -1").key() == "hidden_size");
    CHECK(refusal("mixtral-8x7b-v0.1", "\"num_key_value_heads\": 8", "\"num_key_value_heads\": 5").key() ==
          "num_key_value_heads");
    CHECK(refusal("mixtral-8x7b-v0.1", "\"hidden_act\": \"silu\"", "\"hidden_act\": \"tanh\"").key() == "hidden_act");
    CHECK(refusal("qwen3-235b-a22b", "\"use_sliding_window\": false", "\"use_sliding_window\": true").key() ==
          "use_sliding_window");
    CHECK(refusal("qwen3-235b-a22b", "\"mlp_only_layers\": []", "\"mlp_only_layers\": [3, 7]").key() ==
          "mlp_only_layers");
    CHECK(refusal("deepseek-v2", "\"moe_layer_freq\": 1", "\"moe_layer_freq\": 2").key() == "moe_layer_freq");
    CHECK(refusal("deepseek-v2", "\"topk_method\": \"group_limited_greedy\"", "\"topk_method\": \"random\"").key() ==
          "topk_method");
    CHECK(refusal("deepseek-v2", "\"num_experts_per_tok\": 6", "\"num_experts_per_tok\": 200").key() ==
          "num_experts_per_tok");
    CHECK(refusal("gemma-3-27b-pt", "\"text_config\"", "\"language_config\"").key() == "text_config");
    CHECK(refusal("gpt-oss-120b", "\"full_attention\"\n  ]", "\"sliding_attention\",\n    \"full_attention\"\n  ]")
              .key() == "layer_types"); // 37 entries for 36 layers
    {
        // Llama 4's chunked attention costs less than full attention beyond one chunk.
        HfRecipe long_context = recipe();
        long_context.seq_len = 16384;
        const auto e = refusal("llama-4-maverick-17b-128e", "\"use_cache\"", "\"use_cache\"", long_context);
        CHECK(e.key() == "text_config.attention_chunk_size");
        CHECK(contains(e.problem(), "16384"));
    }
    {
        const auto e = refusal("mixtral-8x7b-v0.1", "\"vocab_size\": 32000\n}", "\"vocab_size\": 32000,\n}");
        CHECK(e.line() == 29); // the closing brace after the trailing comma
        CHECK(e.key().empty());
        CHECK(contains(e.problem(), "not valid JSON"));
    }
}
