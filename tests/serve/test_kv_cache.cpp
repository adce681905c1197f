// KV-cache bytes per token for MHA, GQA and MLA against their published forms.
#include "models.hpp"
#include "serve/kv_cache.hpp"

#include <doctest/doctest.h>

using namespace tcsim;
using namespace tcsim::serve;

TEST_CASE("GQA caches K and V of its KV heads only") {
    // 2 (K, V) x 8 KV heads x 128 dims x 2 bytes (BF16) x 80 layers = 327,680 bytes per token.
    const auto m = test::llama2_70b();
    CHECK(kv_bytes_of_sequence(m, 0, m.layers, 1, 1, hardware::Dtype::bf16).value() == doctest::Approx(327680.0));
    // TP 8 splits the 8 KV heads one per GPU; TP 16 replicates each head on two GPUs.
    CHECK(kv_bytes_per_token_layer(m, 8, hardware::Dtype::bf16).value() == doctest::Approx(2.0 * 128 * 2));
    CHECK(kv_bytes_per_token_layer(m, 16, hardware::Dtype::bf16).value() == doctest::Approx(2.0 * 128 * 2));
}

TEST_CASE("MHA caches every head: heads / kv_heads times the GQA cache") {
    auto mha = test::llama2_70b();
    mha.attention.kind = workload::AttentionKind::mha;
    mha.attention.kv_heads = 64;
    CHECK(kv_bytes_per_token_layer(mha, 1, hardware::Dtype::bf16).value() ==
          doctest::Approx(8.0 * kv_bytes_per_token_layer(test::llama2_70b(), 1, hardware::Dtype::bf16).value()));
}

TEST_CASE("MLA caches the compressed latent and the decoupled RoPE key") {
    // DeepSeek-V2 (arXiv:2405.04434) Table 1: MLA's KV cache per token is (d_c + d_h^R) l
    // elements; V3: d_c = 512, d_h^R = 64, l = 61, BF16: 576 x 61 x 2 = 70,272 bytes per token,
    // the same on every TP rank.
    const auto m = test::deepseek_v3();
    CHECK(kv_bytes_of_sequence(m, 0, m.layers, 1, 1, hardware::Dtype::bf16).value() == doctest::Approx(70272.0));
    CHECK(kv_bytes_per_token_layer(m, 8, hardware::Dtype::bf16).value() == doctest::Approx(576.0 * 2));
    CHECK(kv_bytes_of_sequence(m, 0, m.layers, 4096, 1, hardware::Dtype::fp8).value() ==
          doctest::Approx(576.0 * 61 * 4096));
}

TEST_CASE("a sliding-window layer keeps at most its window") {
    auto m = test::llama2_70b();
    m.attention.sliding_window = 1024;
    m.attention.global_every = 2; // layers 1, 3, 5, ... global
    const double per = kv_bytes_per_token_layer(m, 1, hardware::Dtype::bf16).value();
    // 40 windowed layers hold 1024 tokens, 40 global layers all 8192.
    CHECK(kv_bytes_of_sequence(m, 0, 80, 8192, 1, hardware::Dtype::bf16).value() ==
          doctest::Approx(per * (40 * 1024 + 40 * 8192)));
}
