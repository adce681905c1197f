// Parameter and FLOP counts against published figures. Each check quotes the figure and its
// source; the tolerance is 1% unless the figure's own rounding is coarser, in which case the
// check asserts the rounding interval and says so.

#include "workload/model_math.hpp"

#include <doctest/doctest.h>

#include <stdexcept>

using namespace tcsim::workload;

namespace {

// DeepSeek-V3, from github.com/deepseek-ai/DeepSeek-V3 inference/configs/config_671B.json and
// the technical report (arXiv:2412.19437) Sec. 4.2: 61 layers, hidden 7168, vocab 129280,
// MLA with 128 heads, q_lora_rank 1536, kv_lora_rank 512, qk_nope 128, qk_rope 64, v 128;
// SwiGLU, first 3 layers dense (inter 18432), then 256 routed + 1 shared experts of 2048,
// 8 routed experts per token; untied embeddings; MTP depth 1.
ModelSpec deepseek_v3() {
    ModelSpec m;
    m.name = "deepseek-v3";
    m.layers = 61;
    m.hidden = 7168;
    m.vocab = 129280;
    m.tied_embeddings = false;
    m.attention.kind = AttentionKind::mla;
    m.attention.heads = 128;
    m.attention.q_lora_rank = 1536;
    m.attention.kv_lora_rank = 512;
    m.attention.qk_nope_head_dim = 128;
    m.attention.qk_rope_head_dim = 64;
    m.attention.v_head_dim = 128;
    m.ffn.activation = Activation::swiglu;
    m.ffn.dense_intermediate = 18432;
    m.ffn.first_dense_layers = 3;
    m.ffn.routed_experts = 256;
    m.ffn.shared_experts = 1;
    m.ffn.expert_intermediate = 2048;
    m.ffn.top_k = 8;
    m.ffn.max_nodes_per_token = 4;
    m.mtp_modules = 1;
    return m;
}

// DeepSeek-V2, from the Hugging Face config.json of deepseek-ai/DeepSeek-V2 and the report
// (arXiv:2405.04434): 60 layers, hidden 5120, vocab 102400, MLA as in V3 (128 heads,
// q_lora 1536, kv_lora 512, qk_nope 128, qk_rope 64, v 128); first layer dense (inter 12288),
// then 160 routed + 2 shared experts of 1536, 6 routed per token; untied; no MTP.
ModelSpec deepseek_v2() {
    ModelSpec m = deepseek_v3();
    m.name = "deepseek-v2";
    m.layers = 60;
    m.hidden = 5120;
    m.vocab = 102400;
    m.ffn.dense_intermediate = 12288;
    m.ffn.first_dense_layers = 1;
    m.ffn.routed_experts = 160;
    m.ffn.shared_experts = 2;
    m.ffn.expert_intermediate = 1536;
    m.ffn.top_k = 6;
    m.ffn.max_nodes_per_token = 3;
    m.mtp_modules = 0;
    return m;
}

// Llama 3.1 405B, "The Llama 3 Herd of Models" (arXiv:2407.21783) Table 3: 126 layers, model
// dimension 16,384, FFN dimension 53,248, 128 attention heads, 8 key/value heads, vocabulary
// 128,000 (the released tokenizer/config: 128,256), SwiGLU, RoPE; untied (HF config).
ModelSpec llama31_405b() {
    ModelSpec m;
    m.name = "llama-3.1-405b";
    m.layers = 126;
    m.hidden = 16384;
    m.vocab = 128256;
    m.tied_embeddings = false;
    m.attention.kind = AttentionKind::gqa;
    m.attention.heads = 128;
    m.attention.kv_heads = 8;
    m.attention.head_dim = 128;
    m.ffn.activation = Activation::swiglu;
    m.ffn.dense_intermediate = 53248;
    return m;
}

// GPT-3 175B, Brown et al. 2020 ("Language Models are Few-Shot Learners") Table 2.1:
// n_params 175.0B, n_layers 96, d_model 12288, n_heads 96, d_head 128, n_ctx 2048; the GPT-2
// architecture (Sec. 2.1): LayerNorm, learned positions, GeLU MLP of 4*d_model with biases,
// biased attention projections, token embedding tied to the output, vocabulary 50257.
ModelSpec gpt3_175b(int vocab = 50257) {
    ModelSpec m;
    m.name = "gpt-3-175b";
    m.layers = 96;
    m.hidden = 12288;
    m.vocab = vocab;
    m.tied_embeddings = true;
    m.position = PositionKind::learned;
    m.max_position = 2048;
    m.norm = NormKind::layernorm;
    m.attention.kind = AttentionKind::mha;
    m.attention.heads = 96;
    m.attention.kv_heads = 96;
    m.attention.head_dim = 128;
    m.attention.qkv_bias = true;
    m.ffn.activation = Activation::gelu;
    m.ffn.bias = true;
    m.ffn.dense_intermediate = 4 * 12288;
    return m;
}

// The Megatron-LM SC'21 GPT shapes (Narayanan et al., arXiv:2104.04473, Table 1): vocabulary
// 51200, FFN 4h, head_dim = h / heads.
ModelSpec megatron_gpt(int layers, int hidden, int heads) {
    ModelSpec m = gpt3_175b(51200);
    m.name = "megatron-gpt";
    m.layers = layers;
    m.hidden = hidden;
    m.attention.heads = heads;
    m.attention.kv_heads = heads;
    m.attention.head_dim = hidden / heads;
    m.ffn.dense_intermediate = 4 * hidden;
    return m;
}

doctest::Approx within(double expected, double relative) { return doctest::Approx(expected).epsilon(relative); }

} // namespace

TEST_CASE("deepseek_v3_total_parameters") {
    // arXiv:2412.19437 abstract: "a strong Mixture-of-Experts (MoE) language model with 671B
    // total parameters with 37B activated for each token".
    const ParameterCounts p = count_parameters(deepseek_v3());
    CHECK(p.total == within(671e9, 0.01)); // computed 671.026e9
    CHECK(p.routed_experts == doctest::Approx(58.0 * 256 * 3 * 7168.0 * 2048));
    CHECK(p.output_head == doctest::Approx(129280.0 * 7168));
}

TEST_CASE("deepseek_v3_active_parameters") {
    // "37B activated for each token" is given to two significant figures, so the published
    // value is any number in [36.5e9, 37.5e9): a 1% band around 37e9 would be tighter than the
    // figure itself. We count active = total - input embedding - the 248/256 routed experts a
    // token skips = 36.63e9, inside the interval. Counting the input embedding too gives
    // 37.55e9, outside it: DeepSeek's 37B excludes the embedding lookup (it costs no FLOPs),
    // as our definition does.
    const ParameterCounts p = count_parameters(deepseek_v3());
    CHECK(p.active >= 36.5e9);
    CHECK(p.active < 37.5e9);
    CHECK(p.active_with_embedding == doctest::Approx(p.active + p.embedding));
    CHECK(p.active_with_embedding >= 37.5e9);
}

TEST_CASE("deepseek_v2_total_and_active_parameters") {
    // A second data point for the "active" convention. arXiv:2405.04434 abstract: "236B total
    // parameters, of which 21B are activated for each token", two and three significant figures.
    // We count 235.74e9 total (-0.11%) and 20.85e9 active without the input embedding, inside
    // [20.5e9, 21.5e9) (with the embedding, 21.38e9, also inside: V2 does not decide it, V3 does).
    const ParameterCounts p = count_parameters(deepseek_v2());
    CHECK(p.total == within(236e9, 0.01));
    CHECK(p.total >= 235.5e9);
    CHECK(p.total < 236.5e9);
    CHECK(p.active >= 20.5e9);
    CHECK(p.active < 21.5e9);
    CHECK(p.mtp == 0);
}

TEST_CASE("deepseek_v3_mtp_parameters") {
    // github.com/deepseek-ai/DeepSeek-V3 README: "The total size of DeepSeek-V3 models on
    // Hugging Face is 685B, which includes 671B of the Main Model weights and 14B of the
    // Multi-Token Prediction (MTP) Module weights."
    // Our MTP module (2h x h projection, two RMSNorms, one MLA + MoE block) is 11.61e9: in
    // training the module shares the main model's embedding and output head (report Sec. 2.2),
    // so they are not counted again. The HF checkpoint stores its own copy of both in the MTP
    // layer (embed_tokens, shared_head.head: 2 x 129280 x 7168 = 1.85e9), which makes
    // 13.46e9 and a checkpoint total of 684.49e9. The README's "14B" is 685 - 671 of two rounded
    // totals, not a rounding of the MTP count, so we check the totals:
    //   main + MTP (as trained)                 = 682.64e9, -0.34% from 685e9
    //   main + MTP + stored embedding and head  = 684.49e9, -0.07% from 685e9
    const ModelSpec m = deepseek_v3();
    const ParameterCounts p = count_parameters(m);
    CHECK(p.mtp > 11.5e9);
    CHECK(p.mtp < 12.0e9);
    CHECK(p.total + p.mtp == within(685e9, 0.01));
    const double stored_copy = 2.0 * m.vocab * double(m.hidden);
    CHECK(p.total + p.mtp + stored_copy == within(685e9, 0.001));
    // The MTP is not part of the main model's count.
    CHECK(p.total == doctest::Approx(p.embedding + p.output_head + p.attention + p.dense_ffn + p.routed_experts +
                                     p.shared_experts + p.router + p.norms));
}

TEST_CASE("llama31_405b_total_parameters") {
    // arXiv:2407.21783 Table 3 and the model's name: 405B parameters. We count 405.853e9
    // (126 x (570.4M attention + 2617.2M FFN) + 2 x 2.10e9 untied embedding/head), +0.21%.
    const ParameterCounts p = count_parameters(llama31_405b());
    CHECK(p.total == within(405e9, 0.01));
    CHECK(p.total == doctest::Approx(405'853'388'800.0).epsilon(1e-9)); // our exact count
    CHECK(p.routed_experts == 0);
    CHECK(p.active == doctest::Approx(p.total - p.embedding)); // dense: all but the lookup
}

TEST_CASE("gpt3_175b_total_parameters") {
    // Brown et al. 2020 Table 2.1: "GPT-3 175B ... n_params 175.0B". We count 174.60e9 (-0.23%):
    // 96 x 12 x 12288^2 weights, the tied 50257 x 12288 embedding, the 2048 x 12288 position
    // table, biases and LayerNorms.
    const ParameterCounts p = count_parameters(gpt3_175b());
    CHECK(p.total == within(175e9, 0.01));
    CHECK(p.output_head == 0); // tied
    CHECK(p.embedding == doctest::Approx((50257.0 + 2048.0) * 12288));
}

TEST_CASE("megatron_sc21_flops_per_iteration_with_full_recompute") {
    // Narayanan et al. SC'21 (arXiv:2104.04473) eq. (3): with activation recomputation the FLOPs
    // per iteration are F = 96 B s l h^2 (1 + s/(6h) + V/(16 l h)). It counts 4 forward passes of
    // every layer (forward, recompute, backward = 2), non-causal attention (2 x 2 s h per layer
    // per token forward) and 3 passes of the 2 h V output head (no recompute of the head).
    // Our hardware() FLOPs with Recompute::full and causal=false are that same count.
    auto megatron_eq3 = [](double B, double s, double l, double h, double V) {
        return 96.0 * B * s * l * h * h * (1.0 + s / (6.0 * h) + V / (16.0 * l * h));
    };
    const int s = 2048;
    const double V = 51200;

    SUBCASE("gpt3_175b_shape") {
        // Table 1 row "175.0B": 96 layers, hidden 12288, 96 heads, batch 1536.
        const double B = 1536;
        const FlopsPerToken f = flops_per_token(megatron_gpt(96, 12288, 96), s, Recompute::full, false);
        CHECK(f.hardware() * B * s == within(megatron_eq3(B, s, 96, 12288, V), 0.01));
        CHECK(f.hardware() * B * s == within(megatron_eq3(B, s, 96, 12288, V), 1e-9)); // exact
    }
    SUBCASE("gpt3_175b_spec_with_its_own_vocabulary") {
        // The formula holds for any V: the GPT-3 spec above (V = 50257, learned positions,
        // biases, LayerNorm; none of which adds matmul FLOPs) at the paper's n_ctx 2048 and
        // batch 3.2M tokens = 1536 sequences.
        const double B = 1536;
        const FlopsPerToken f = flops_per_token(gpt3_175b(), s, Recompute::full, false);
        CHECK(f.hardware() * B * s == within(megatron_eq3(B, s, 96, 12288, 50257), 0.01));
        CHECK(f.hardware() * B * s == within(megatron_eq3(B, s, 96, 12288, 50257), 1e-9)); // exact
        // Without recomputation: 3 passes instead of 4 of every layer (72 instead of 96).
        const FlopsPerToken g = flops_per_token(gpt3_175b(), s, Recompute::none, false);
        const double l = 96, h = 12288;
        CHECK(g.hardware() == within(72.0 * l * h * h * (1.0 + s / (6.0 * h)) + 6.0 * h * 50257, 1e-9));
    }
    SUBCASE("one_trillion_shape") {
        // Table 1 row "1008.0B": 128 layers, hidden 25600, 160 heads, batch 3072.
        const double B = 3072;
        const FlopsPerToken f = flops_per_token(megatron_gpt(128, 25600, 160), s, Recompute::full, false);
        CHECK(f.hardware() * B * s == within(megatron_eq3(B, s, 128, 25600, V), 0.01));
        CHECK(f.hardware() * B * s == within(megatron_eq3(B, s, 128, 25600, V), 1e-9)); // exact
        // And its parameter count: Table 1 "1008.0B".
        CHECK(count_parameters(megatron_gpt(128, 25600, 160)).total == within(1008.0e9, 0.01));
    }
}

TEST_CASE("six_n_rule_for_dense_models") {
    // Kaplan et al. 2020 (arXiv:2001.08361) Sec. 2.1: C_forward ~ 2N + 2 n_layer n_ctx d_attn,
    // N = non-embedding parameters; training ~ 6N per token. Our forward_linear is 2 x the weights
    // each token multiplies, i.e. 2 x active less norms and biases (which cost no matmul), plus
    // the tied head for tied models. With the attention core the exact statement is
    //   model() = 6 N_matmul + 3 forward_attention,
    // and for non-causal MHA forward_attention = 4 l s h_attn, which gives PaLM's
    // (Chowdhery et al. 2022, arXiv:2204.02311, Appendix B) 6N + 12 L H Q T.
    SUBCASE("llama31_405b_untied") {
        const ModelSpec m = llama31_405b();
        const ParameterCounts p = count_parameters(m);
        const FlopsPerToken f = flops_per_token(m, 8192, Recompute::none);
        CHECK(f.forward_linear == within(2.0 * p.active, 0.01));
        CHECK(f.forward_linear == doctest::Approx(2.0 * (p.active - p.norms)).epsilon(1e-12));
        CHECK(f.model() == doctest::Approx(6.0 * (p.active - p.norms) + 3.0 * f.forward_attention).epsilon(1e-12));
    }
    SUBCASE("llama31_405b_training_budget") {
        // arXiv:2407.21783 Sec. 3.2.1 / Table 1 note: 405B trained with 3.8e25 FLOPs on 15.6T
        // tokens, i.e. 6 N D with N = 405e9 (no attention term). Our linear FLOPs are that 6N
        // (6 x 403.75e9 matmul weights: all but the input lookup) within 1%; the causal attention
        // core at 8K context adds 3 x 33.8e9 per token (+4%) on top.
        const ModelSpec m = llama31_405b();
        const FlopsPerToken f = flops_per_token(m, 8192, Recompute::none);
        const double tokens = 15.6e12;
        CHECK(3.0 * f.forward_linear * tokens == within(3.8e25, 0.01));
        CHECK(3.0 * f.forward_attention == within(3.0 * 126 * 2 * 4096.0 * 128 * 256, 1e-12));
        CHECK(f.model() * tokens == within(3.94e25, 0.01));
    }
    SUBCASE("gpt3_175b_tied_non_causal_is_palm_formula") {
        const ModelSpec m = gpt3_175b();
        const ParameterCounts p = count_parameters(m);
        const int s = 2048;
        const FlopsPerToken f = flops_per_token(m, s, Recompute::none, false);
        CHECK(f.forward_linear == within(2.0 * p.active, 0.01)); // the 6N rule (tied head +0.7%)
        const double biases = 96.0 * (3 * 12288 + 12288 + 4 * 12288 + 12288);
        const double matmul_weights = p.active - p.norms - biases + double(m.vocab) * m.hidden;
        CHECK(f.forward_linear == doctest::Approx(2.0 * matmul_weights).epsilon(1e-12));
        const double L = 96, H = 96, Q = 128, T = s;
        CHECK(f.model() == doctest::Approx(6.0 * matmul_weights + 12.0 * L * H * Q * T).epsilon(1e-12));
    }
}

TEST_CASE("deepseek_v3_training_flops_per_token") {
    // published_runs.csv, row dsv3-pretrain (derived from arXiv:2412.19437): "6*N_active*tok/s =
    // 343 TFLOP/s ...; with causal MLA attention FLOPs (+30.7 GFLOP/token) ~390 TFLOP/s".
    // +30.7e9 is 3 x 61 layers x 2 x (4096/2) x 128 heads x (192 + 128): the attention core of
    // the main model at seq 4096, causal, forward + backward. Our model() without MTP minus
    // 6 x active is 30.696e9 (6 x active also counts the 0-FLOP norms, -6e6).
    // With the MTP module (on by default) model() grows by a further 10.19e9 per token (its
    // projection, MLA + MoE block and second pass through the 0.93e9-weight output head):
    // 260.6e9 FLOPs per token against 250.4e9 without, +4%.
    const ModelSpec m = deepseek_v3();
    const ParameterCounts p = count_parameters(m);
    const FlopsPerToken main_only = flops_per_token(m, 4096, Recompute::none, true, false);
    CHECK(main_only.model() - 6.0 * p.active == within(30.7e9, 0.01));
    CHECK(3.0 * main_only.forward_attention == within(30.7e9, 0.001));

    const FlopsPerToken with_mtp = flops_per_token(m, 4096, Recompute::none);
    CHECK(with_mtp.model() - main_only.model() == within(10.19e9, 0.01));
    CHECK(with_mtp.forward_head == doctest::Approx(2.0 * main_only.forward_head));
    // forward = linear + attention; backward = 2 forward; model = 3 forward.
    CHECK(with_mtp.forward == doctest::Approx(with_mtp.forward_linear + with_mtp.forward_attention));
    CHECK(with_mtp.model() == doctest::Approx(3.0 * with_mtp.forward));
}

TEST_CASE("causal_masking_halves_the_attention_core") {
    // A flash-style kernel skips the masked half of QK^T and of attention x V; we count
    // s_eff = s/2 exactly (FlashAttention benchmarks/benchmark_flash_attention.py: flops =
    // 4 * batch * seqlen**2 * nheads * headdim // (2 if causal else 1)). The linear part does
    // not depend on the mask.
    for (const ModelSpec& m : {deepseek_v3(), llama31_405b(), gpt3_175b()}) {
        CAPTURE(m.name);
        const FlopsPerToken causal = flops_per_token(m, 4096, Recompute::none, true);
        const FlopsPerToken full = flops_per_token(m, 4096, Recompute::none, false);
        CHECK(causal.forward_attention == doctest::Approx(full.forward_attention / 2.0));
        CHECK(causal.forward_linear == doctest::Approx(full.forward_linear));
        const LayerFlops lc = layer_forward_flops_per_token(m, 0, 4096, true);
        const LayerFlops ln = layer_forward_flops_per_token(m, 0, 4096, false);
        CHECK(lc.attention_core == doctest::Approx(ln.attention_core / 2.0));
    }
    // MHA per layer, non-causal: QK^T 2 s heads hd + AV 2 s heads hd = 4 s h for GPT-3.
    const LayerFlops l = layer_forward_flops_per_token(gpt3_175b(), 5, 2048, false);
    CHECK(l.attention_core == doctest::Approx(4.0 * 2048 * 12288));
}

TEST_CASE("recomputation_adds_forward_work") {
    // DESIGN.md "Model math": full or selective activation recomputation adds forward work.
    // Selective (Korthikanti et al. 2022, arXiv:2205.05198) reruns the attention core only;
    // full reruns every transformer layer (and MTP module) but not the output head.
    for (const ModelSpec& m : {deepseek_v3(), llama31_405b(), gpt3_175b()}) {
        CAPTURE(m.name);
        const FlopsPerToken none = flops_per_token(m, 4096, Recompute::none);
        const FlopsPerToken selective = flops_per_token(m, 4096, Recompute::selective);
        const FlopsPerToken full = flops_per_token(m, 4096, Recompute::full);
        CHECK(none.recompute == 0);
        CHECK(none.hardware() == doctest::Approx(none.model()));
        CHECK(selective.recompute == doctest::Approx(none.forward_attention));
        CHECK(full.recompute == doctest::Approx(none.forward - none.forward_head));
        // Recomputation never changes model FLOPs (the MFU numerator).
        CHECK(selective.model() == doctest::Approx(none.model()));
        CHECK(full.model() == doctest::Approx(none.model()));
        CHECK(full.hardware() - none.hardware() == doctest::Approx(full.recompute));
    }
}

TEST_CASE("layer_flops_follow_the_layer_kind") {
    const ModelSpec m = deepseek_v3();
    const double h = 7168;
    // Layers 0-2 are dense: 2 x 3 x h x 18432; no router.
    const LayerFlops dense = layer_forward_flops_per_token(m, 2, 4096, true);
    CHECK(dense.ffn == doctest::Approx(2.0 * 3 * h * 18432));
    CHECK(dense.router == 0);
    // From layer 3: 8 routed + 1 shared experts of 3 x h x 2048, router h x 256.
    const LayerFlops moe = layer_forward_flops_per_token(m, 3, 4096, true);
    CHECK(moe.ffn == doctest::Approx(2.0 * 9 * 3 * h * 2048));
    CHECK(moe.router == doctest::Approx(2.0 * h * 256));
    // MLA projections: q_a h x 1536, q_b 1536 x 128*192, kv_a h x (512+64), kv_b 512 x 128*256,
    // o 128*128 x h.
    const double mla = h * 1536 + 1536.0 * 128 * 192 + h * 576 + 512.0 * 128 * 256 + 128.0 * 128 * h;
    CHECK(moe.attention_linear == doctest::Approx(2.0 * mla));
    CHECK(dense.attention_linear == doctest::Approx(moe.attention_linear));
    // Index 61 is the MTP module's block (a MoE block); 62 is past the end.
    const LayerFlops mtp_block = layer_forward_flops_per_token(m, 61, 4096, true);
    CHECK(mtp_block.total() == doctest::Approx(moe.total()));
    CHECK_THROWS_AS(layer_forward_flops_per_token(m, 62, 4096, true), std::out_of_range);
    CHECK_THROWS_AS(layer_forward_flops_per_token(m, -1, 4096, true), std::out_of_range);
    // Summing the layers, the MTP projection and the heads gives flops_per_token.
    double sum = 0;
    for (int layer = 0; layer < m.layers + m.mtp_modules; ++layer) {
        sum += layer_forward_flops_per_token(m, layer, 4096, true).total();
    }
    sum += mtp_projection_forward_flops_per_token(m) + 2.0 * output_head_forward_flops_per_token(m);
    CHECK(flops_per_token(m, 4096, Recompute::none).forward == doctest::Approx(sum));
}

TEST_CASE("tied_head_still_costs_flops") {
    // Tying shares the V x h matrix between lookup and head; the head matmul still runs.
    ModelSpec tied = llama31_405b();
    tied.tied_embeddings = true;
    const FlopsPerToken a = flops_per_token(tied, 8192, Recompute::none);
    const FlopsPerToken b = flops_per_token(llama31_405b(), 8192, Recompute::none);
    CHECK(a.forward == doctest::Approx(b.forward));
    CHECK(a.forward_head == doctest::Approx(2.0 * 16384 * 128256));
    CHECK(count_parameters(tied).total == doctest::Approx(count_parameters(llama31_405b()).total - 128256.0 * 16384));
}

TEST_CASE("invalid_specs_are_refused") {
    ModelSpec m = llama31_405b();
    m.attention.kv_heads = 7; // does not divide 128 heads
    CHECK_THROWS_AS(count_parameters(m), std::invalid_argument);
    m = deepseek_v3();
    m.ffn.top_k = 300; // more than 256 routed experts
    CHECK_THROWS_AS(count_parameters(m), std::invalid_argument);
    m = gpt3_175b();
    m.max_position = 0; // learned positions need a table
    CHECK_THROWS_AS(count_parameters(m), std::invalid_argument);
    CHECK_THROWS_AS(flops_per_token(llama31_405b(), 0, Recompute::none), std::invalid_argument);
    CHECK_THROWS_AS(count_parameters(ModelSpec{}), std::invalid_argument);
    m = deepseek_v3();
    m.ffn.first_dense_layers = 62; // more dense layers than layers
    CHECK_THROWS_AS(count_parameters(m), std::invalid_argument);
    m = deepseek_v3();
    m.attention.kv_lora_rank = 0; // MLA needs a KV latent
    CHECK_THROWS_AS(count_parameters(m), std::invalid_argument);
    m = deepseek_v3();
    m.mtp_modules = -1;
    CHECK_THROWS_AS(flops_per_token(m, 4096, Recompute::none), std::invalid_argument);
    CHECK_THROWS_AS(layer_forward_flops_per_token(llama31_405b(), 0, -5, true), std::invalid_argument);
}
