// Parameters and FLOPs of the architectures of 2024-2026: sliding-window attention with global
// layers, attention sinks, KV heads replicated under TP, the parallel attention + MLP block and
// the FFN activations. Expected values are closed forms or brute-force sums written here, never
// the code's output.
#include "workload/model_math.hpp"
#include "workload/plan_check.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <string>

using namespace tcsim;
using namespace tcsim::workload;

namespace {

/// A small GQA model: 16 query heads of 64 in 2 KV groups.
ModelSpec small_gqa() {
    ModelSpec m;
    m.name = "small";
    m.layers = 12;
    m.hidden = 1024;
    m.vocab = 32000;
    m.attention.kind = AttentionKind::gqa;
    m.attention.heads = 16;
    m.attention.kv_heads = 2;
    m.attention.head_dim = 64;
    m.ffn.activation = Activation::swiglu;
    m.ffn.dense_intermediate = 4096;
    return m;
}

/// (1/s) sum over query positions p of the keys it scores: min(p + 1, W), plus the sink keys
/// [0, N) that lie before its window [p - W + 1, p].
double brute_force_mean_keys(int s, int W, int N) {
    double sum = 0;
    for (int p = 0; p < s; ++p) {
        const int first = std::max(0, p - W + 1);
        sum += std::min(p + 1, W) + std::min(N, first);
    }
    return sum / s;
}

std::string sole_problem(const topology::ClusterSpec& cluster, const Workload& w) {
    try {
        check_plan(cluster, w);
    } catch (const PlanError& e) {
        REQUIRE(e.problems().size() == 1);
        return e.problems()[0];
    }
    FAIL("the plan was accepted");
    return "";
}

topology::ClusterSpec one_node(const std::string& gpu) {
    topology::ClusterSpec c;
    c.name = "one node";
    c.nodes = 1;
    c.gpus_per_node = 8;
    c.gpu.name = gpu;
    c.gpu.dense_peak[static_cast<int>(hardware::Dtype::bf16)] = units::FlopRate(989.4e12);
    c.gpu.dense_peak[static_cast<int>(hardware::Dtype::fp8)] = units::FlopRate(1979e12);
    return c;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

} // namespace

TEST_CASE("a windowed layer's pattern: global when (i + 1) % global_every == 0 (Gemma 3: 5 local, 1 global)") {
    ModelSpec m = small_gqa();
    m.attention.sliding_window = 1024;
    m.attention.global_every = 6;
    for (int i = 0; i < m.layers; ++i) CHECK(m.is_windowed_layer(i) == (i != 5 && i != 11));
    m.attention.global_every = 0; // Mistral 7B v0.1: every layer windowed
    for (int i = 0; i < m.layers; ++i) CHECK(m.is_windowed_layer(i));
    m.attention.sliding_window = 0;
    CHECK_FALSE(m.is_windowed_layer(0));
}

TEST_CASE("windowed attention core: the exact mean of min(p + 1, W) keys, against a global layer") {
    ModelSpec m = small_gqa();
    m.attention.sliding_window = 1024;
    m.attention.global_every = 2; // layer 0 local, layer 1 global
    const int s = 4096;
    // sum_{p<s} min(p + 1, W) = W(W + 1)/2 + (s - W) W = 524,800 + 3,145,728 = 3,670,528.
    CHECK(exact_mean_keys_per_query(m, 0, s) == doctest::Approx(3670528.0 / 4096));
    CHECK(exact_mean_keys_per_query(m, 0, s) == doctest::Approx(brute_force_mean_keys(s, 1024, 0)));
    CHECK(exact_mean_keys_per_query(m, 1, s) == doctest::Approx((s + 1) / 2.0));
    // Model FLOPs: the band's area per query in the s/2 convention, W - W^2/(2s) = 1024 - 128.
    CHECK(mean_keys_per_query(m, 0, s, true) == doctest::Approx(896.0));
    CHECK(mean_keys_per_query(m, 1, s, true) == doctest::Approx(2048.0));
    const double per_key = 2.0 * 16 * (64 + 64); // QK^T and x V per key, all heads
    CHECK(layer_forward_flops_per_token(m, 0, s, true).attention_core == doctest::Approx(896.0 * per_key));
    CHECK(layer_forward_flops_per_token(m, 1, s, true).attention_core == doctest::Approx(2048.0 * per_key));
    // The projections and FFN do not depend on the window.
    CHECK(layer_forward_flops_per_token(m, 0, s, true).attention_linear ==
          layer_forward_flops_per_token(m, 1, s, true).attention_linear);
    // A window as long as the sequence masks nothing.
    m.attention.sliding_window = s;
    CHECK(mean_keys_per_query(m, 0, s, true) == doctest::Approx(2048.0));
    CHECK(exact_mean_keys_per_query(m, 0, s) == doctest::Approx((s + 1) / 2.0));
}

TEST_CASE("attention sinks: sink keys outside each window are scored too; learned sinks are one parameter per head") {
    ModelSpec m = small_gqa();
    m.attention.sliding_window = 128;
    m.attention.sink_tokens = 4;
    const int s = 1000;
    CHECK(exact_mean_keys_per_query(m, 0, s) == doctest::Approx(brute_force_mean_keys(s, 128, 4)));
    // J = s - W = 872 queries have left position 0 behind; all but the first 3 see 4 sinks:
    // sum min(4, j) = 1 + 2 + 3 + 4 * 869 = 3,482 keys over the plain window's.
    CHECK((exact_mean_keys_per_query(m, 0, s) - brute_force_mean_keys(s, 128, 0)) * s == doctest::Approx(3482.0));
    // The model-FLOPs area of the sinks: N J - N^2/2 = 3,488 - 8.
    m.attention.sink_tokens = 0;
    const double plain = mean_keys_per_query(m, 0, s, true);
    m.attention.sink_tokens = 4;
    CHECK((mean_keys_per_query(m, 0, s, true) - plain) * s == doctest::Approx(3480.0));

    ModelSpec learned = small_gqa();
    const double before = count_parameters(learned).attention;
    learned.attention.learned_sinks = true;
    CHECK(count_parameters(learned).attention - before == doctest::Approx(16.0 * 12)); // heads x layers
}

TEST_CASE("KV heads replicated when TP exceeds them: each rank holds one whole KV head") {
    ModelSpec m = small_gqa(); // 2 KV heads
    CHECK(kv_heads_per_rank(m.attention, 1) == 2);
    CHECK(kv_heads_per_rank(m.attention, 2) == 1);
    CHECK(kv_heads_per_rank(m.attention, 8) == 1);
    CHECK(replicated_kv_parameters_per_rank(m, 2) == 0.0);
    // TP 8: a rank holds K and V of one head (2 x h x 64) where a split would give it 2/8 of one.
    CHECK(replicated_kv_parameters_per_rank(m, 8) == doctest::Approx(2.0 * 1024 * 64 * (1.0 - 2.0 / 8)));
    ModelSpec mqa = small_gqa();
    mqa.attention.kv_heads = 1;
    mqa.attention.qkv_bias = true;
    // With biases: (h + 1) per column; TP 4 holds 1 head instead of 1/4.
    CHECK(replicated_kv_parameters_per_rank(mqa, 4) == doctest::Approx(2.0 * 1025 * 64 * 0.75));
}

TEST_CASE("plan check: TP above the KV heads is accepted when it is a multiple of them, refused otherwise") {
    const auto cluster = one_node("H100-SXM");
    Workload w;
    w.name = "w";
    w.model = small_gqa();
    w.model.attention.heads = 24;
    w.model.attention.kv_heads = 2;
    w.training.seq_len = 4096;
    w.training.global_batch_sequences = 8;
    w.parallel.tp = 8;
    w.parallel.dp = 1;
    CHECK_NOTHROW(check_plan(cluster, w));
    w.model.attention.kv_heads = 3; // 8 ranks cannot share 3 KV heads evenly
    CHECK(contains(sole_problem(cluster, w), "TP 8 is not a multiple of the 3 key/value heads"));
    w.model.attention.kv_heads = 12; // more KV heads than ranks, but 8 does not divide 12
    CHECK(contains(sole_problem(cluster, w), "TP 8 does not divide the 12 key/value heads"));
}

TEST_CASE("plan check: MXFP8 and NVFP4 GEMMs are refused on a GPU without those tensor cores, naming key and GPU") {
    auto cluster = one_node("H100-SXM");
    Workload w;
    w.name = "w";
    w.model = small_gqa();
    w.training.seq_len = 4096;
    w.training.global_batch_sequences = 8;
    w.parallel.tp = 8;
    w.training.gemm_dtype = hardware::Dtype::nvfp4;
    CHECK(sole_problem(cluster, w) ==
          "gemm_dtype = nvfp4 is not supported by the H100-SXM (the catalog gives it no nvfp4 peak)");
    w.training.gemm_dtype = hardware::Dtype::mxfp8;
    CHECK(contains(sole_problem(cluster, w), "gemm_dtype = mxfp8 is not supported by the H100-SXM"));
    cluster.gpu.dense_peak[static_cast<int>(hardware::Dtype::mxfp8)] = units::FlopRate(4500e12);
    CHECK_NOTHROW(check_plan(cluster, w));
}

TEST_CASE("parallel block: one norm per layer instead of two; same matmul FLOPs") {
    ModelSpec m = small_gqa();
    const auto sequential = count_parameters(m);
    const double seq_flops = flops_per_token(m, 2048, Recompute::none).forward;
    m.parallel_block = true;
    const auto parallel = count_parameters(m);
    CHECK(sequential.norms - parallel.norms == doctest::Approx(12.0 * 1024)); // one RMSNorm of h per layer
    CHECK(flops_per_token(m, 2048, Recompute::none).forward == doctest::Approx(seq_flops));
}

TEST_CASE("activations: gated ones have three matrices, the others two") {
    const Activation all[] = {Activation::swiglu, Activation::geglu,        Activation::gelu,
                              Activation::relu,   Activation::squared_relu, Activation::silu};
    for (const Activation a : all) {
        ModelSpec m = small_gqa();
        m.ffn.activation = a;
        const double matrices = (a == Activation::swiglu || a == Activation::geglu) ? 3.0 : 2.0;
        CAPTURE(to_string(a));
        CHECK(is_gated(a) == (matrices == 3.0));
        CHECK(count_parameters(m).dense_ffn == doctest::Approx(12.0 * matrices * 1024 * 4096));
        CHECK(layer_forward_flops_per_token(m, 0, 2048, true).ffn == doctest::Approx(2.0 * matrices * 1024 * 4096));
    }
}

TEST_CASE("plan check: cp_pass = \"latent\" needs MLA's latent; a GQA model is refused by key") {
    const auto cluster = one_node("H100-SXM");
    Workload w;
    w.name = "w";
    w.model = small_gqa();
    w.training.seq_len = 4096;
    w.training.global_batch_sequences = 8;
    w.parallel.cp = 8;
    w.parallel.cp_pass = CpPass::latent;
    CHECK(contains(sole_problem(cluster, w),
                   "cp_pass = \"latent\" needs multi-head latent attention (attention kind \"mla\")"));
    w.parallel.cp_pass = CpPass::kv;
    CHECK_NOTHROW(check_plan(cluster, w));
}
