// Activation memory per layer against Korthikanti et al., "Reducing Activation Recomputation in
// Large Transformer Models" (MLSys'23), Sec 4 (16-bit activations, dropout, no flash attention):
//   no parallelism:          s*b*h*(34 + 5*a*s/h)
//   tensor parallel t:       s*b*h*(10 + 24/t + 5*a*s/(h*t))
//   + sequence parallel:     s*b*h*(34 + 5*a*s/h)/t
//   + selective recompute:   s*b*h*34/t
//   full recompute:          2*s*b*h (the layer input only; /t with SP)
#include "training/memory_model.hpp"

#include <doctest/doctest.h>

using namespace tcsim::workload;
using namespace tcsim::training;

namespace {

Workload gpt(int tp, bool sp, Recompute recompute) {
    Workload w;
    auto& m = w.model;
    m.layers = 96;
    m.hidden = 12288;
    m.vocab = 51200;
    m.attention.kind = AttentionKind::mha;
    m.attention.heads = 96;
    m.attention.kv_heads = 96;
    m.attention.head_dim = 128;
    m.ffn.activation = Activation::gelu;
    m.ffn.dense_intermediate = 4 * 12288;
    w.training.recompute = recompute;
    w.parallel.tp = tp;
    w.parallel.sequence_parallel = sp;
    return w;
}

constexpr ActivationOptions kPaper{false, true}; // no flash attention, dropout

} // namespace

TEST_CASE("activation bytes per token per layer match Korthikanti et al. within 5%") {
    const double h = 12288, a = 96, s = 2048;
    for (int t : {1, 8}) {
        CAPTURE(t);
        CHECK(activation_bytes_per_token(gpt(t, false, Recompute::none), 0, 2048, kPaper) ==
              doctest::Approx(h * (10 + 24.0 / t + 5 * a * s / (h * t))).epsilon(0.05));
        CHECK(activation_bytes_per_token(gpt(t, true, Recompute::none), 0, 2048, kPaper) ==
              doctest::Approx(h * (34 + 5 * a * s / h) / t).epsilon(0.05));
        CHECK(activation_bytes_per_token(gpt(t, true, Recompute::selective), 0, 2048, kPaper) ==
              doctest::Approx(h * 34 / t).epsilon(0.05));
    }
    CHECK(activation_bytes_per_token(gpt(8, true, Recompute::full), 0, 2048, kPaper) == doctest::Approx(2 * h / 8));
    CHECK(activation_bytes_per_token(gpt(1, false, Recompute::full), 0, 2048, kPaper) == doctest::Approx(2 * h));
}

TEST_CASE("flash attention drops the s^2 terms; FP8 GEMMs cache linear inputs in FP8") {
    const auto w = gpt(1, false, Recompute::none);
    const double flash = activation_bytes_per_token(w, 0, 2048, {true, true});
    const double paper = activation_bytes_per_token(w, 0, 2048, kPaper);
    CHECK(paper - flash > 5 * 96 * 2048 * 0.99);
    auto fp8 = w;
    fp8.training.gemm_dtype = tcsim::hardware::Dtype::fp8;
    CHECK(activation_bytes_per_token(fp8, 0, 2048, kPaper) < paper);
}

TEST_CASE("activations outside the layers: final norm and embedding dropout split by sequence parallelism") {
    // Korthikanti et al. Sec 4.3: the output layer keeps 4sbh/t (norm input and output, with SP)
    // + 4sbv/t (FP32 logits for the loss). PP2 with 1F1B: the last rank holds one micro-batch of
    // its layer and of the head. The embedding's dropout mask is sbhp/t with SP as well.
    tcsim::topology::ClusterSpec cluster;
    cluster.nodes = 2;
    cluster.gpus_per_node = 8;
    cluster.gpu.hbm_capacity = tcsim::units::Bytes(80e9);
    const double h = 12288, v = 51200, s = 2048, t = 8;
    for (bool sp : {true, false}) {
        CAPTURE(sp);
        auto w = gpt(8, sp, Recompute::none);
        w.model.layers = 2;
        w.parallel.pp = 2;
        w.parallel.dp = 1;
        w.parallel.schedule = PipelineSchedule::one_f_one_b;
        w.training.seq_len = 2048;
        w.training.global_batch_sequences = 4;
        const auto e = estimate_memory(cluster, w, 2048, 4, kPaper);
        REQUIRE(e.ranks.size() == 2);
        const auto& last = e.ranks[1];
        CHECK(last.peak_micro_batches == 1);
        const double head = s * (4 * h / (sp ? t : 1.0) + 4 * v / t);
        CHECK(last.activations == doctest::Approx(s * activation_bytes_per_token(w, 1, 2048, kPaper) + head));
        // The first rank: its layer and the embedding's dropout mask (sbhp/t with SP), for the
        // two micro-batches 1F1B keeps in flight there.
        const auto& first = e.ranks[0];
        REQUIRE(first.peak_micro_batches == 2);
        CHECK(first.activations ==
              doctest::Approx(2 * s * (activation_bytes_per_token(w, 0, 2048, kPaper) + h / (sp ? t : 1.0))));
    }
}
