// Layer kernels and collectives of the architectures of 2024-2026, from first principles:
// windowed attention cores and context-parallel ring steps, KV heads replicated under TP, the
// parallel block's single TP reduction, activation kernels, and MXFP8/NVFP4 block-scale bytes.
#include "training/layer_ops.hpp"
#include "training/memory_model.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace tcsim;
using namespace tcsim::training;
using compute::Kernel;
using compute::OpClass;
using workload::Activation;

namespace {

workload::Workload small_dense(int tp, int cp) {
    workload::Workload w;
    w.name = "small";
    auto& m = w.model;
    m.name = "small";
    m.layers = 4;
    m.hidden = 1024;
    m.vocab = 32000;
    m.attention.kind = workload::AttentionKind::gqa;
    m.attention.heads = 16;
    m.attention.kv_heads = 2;
    m.attention.head_dim = 64;
    m.ffn.activation = Activation::swiglu;
    m.ffn.dense_intermediate = 4096;
    w.training.seq_len = 8192;
    w.training.global_batch_sequences = 64;
    w.parallel.tp = tp;
    w.parallel.cp = cp;
    w.parallel.dp = 8 / (tp * cp);
    return w;
}

struct Built {
    std::vector<ComputeBlock> blocks;
    std::vector<Segment> segments;
};

Built forward(const workload::Workload& w, int layer) {
    Built b;
    const LayerOps ops(w, place(rank_grid(w.parallel, 8)), w.training.seq_len, 1, b.blocks);
    ops.forward_layer(layer, b.segments, -1);
    return b;
}

std::vector<Kernel> kernels(const Built& b, OpClass cls) {
    std::vector<Kernel> out;
    for (const Segment& s : b.segments)
        if (s.is_compute())
            for (const Kernel& k : b.blocks[static_cast<std::size_t>(s.block)].kernels)
                if (k.cls == cls) out.push_back(k);
    return out;
}

double flops(const Built& b, OpClass cls) {
    double sum = 0;
    for (const Kernel& k : kernels(b, cls)) sum += k.flops.value();
    return sum;
}

int collectives(const Built& b, Dim dim, CollectiveKind kind) {
    int n = 0;
    for (const Segment& s : b.segments)
        if (!s.is_compute() && s.dim == dim && s.comm.kind == kind) ++n;
    return n;
}

} // namespace

TEST_CASE("windowed layer: attention-core FLOPs from the exact mean of min(p + 1, W) keys") {
    auto w = small_dense(1, 1);
    w.model.attention.sliding_window = 1024;
    w.model.attention.global_every = 2; // layer 0 local, layer 1 global
    const double s = 8192, W = 1024, T = 8192, heads = 16, qk_v = 128;
    const double global = 2.0 * T * (s + 1) / 2 * heads * qk_v;
    const double local = 2.0 * T * (W * (W + 1) / 2 + (s - W) * W) / s * heads * qk_v;
    CHECK(flops(forward(w, 1), OpClass::attention_forward) == doctest::Approx(global));
    CHECK(flops(forward(w, 0), OpClass::attention_forward) == doctest::Approx(local));
    // Windowed and global layers are distinct blocks (blocks are interned by name).
    CHECK(forward(w, 0).blocks.front().name.find("local") != std::string::npos);
    CHECK(forward(w, 1).blocks.front().name.find("local") == std::string::npos);
}

TEST_CASE("windowed layer under context parallelism: the ring stops once the window is covered") {
    auto w = small_dense(1, 4); // 4 slices of 2,048 tokens
    w.model.attention.sliding_window = 1024;
    w.model.attention.global_every = 2;
    const Built local = forward(w, 0), global = forward(w, 1);
    // A slice's first query looks back 1,023 tokens: one earlier slice, one ring step; a global
    // layer passes K/V through all cp - 1 = 3.
    CHECK(collectives(local, Dim::cp, CollectiveKind::send_recv) == 1);
    CHECK(collectives(global, Dim::cp, CollectiveKind::send_recv) == 3);
    // The core's FLOPs are the same whether split over ring steps or not.
    const double T = 2048, s = 8192, W = 1024;
    CHECK(flops(local, OpClass::attention_forward) ==
          doctest::Approx(2.0 * T * (W * (W + 1) / 2 + (s - W) * W) / s * 16 * 128));
    // A window reaching 2,048 tokens back still ends in the previous slice; 2,049 back needs two.
    w.model.attention.sliding_window = 2049;
    CHECK(collectives(forward(w, 0), Dim::cp, CollectiveKind::send_recv) == 1);
    w.model.attention.sliding_window = 2050;
    CHECK(collectives(forward(w, 0), Dim::cp, CollectiveKind::send_recv) == 2);
}

TEST_CASE("KV heads replicated at TP 4 > 2 KV heads: each rank projects its 4 query heads and 1 KV head") {
    const auto w = small_dense(4, 1);
    const auto gemms = kernels(forward(w, 0), OpClass::gemm);
    REQUIRE(!gemms.empty());
    CHECK(gemms.front().shape.n == doctest::Approx((16.0 / 4 + 2 * 1) * 64)); // Q 4 heads + K, V 1 head
    CHECK(gemms.front().shape.k == 1024);
    const auto w2 = small_dense(2, 1);
    CHECK(kernels(forward(w2, 0), OpClass::gemm).front().shape.n == doctest::Approx((8.0 + 2 * 1) * 64));
    // Activation memory keeps this rank's K and V: one head each, not 2/4 of one.
    const double at_tp4 = activation_bytes_per_token(w, 0, 8192);
    auto split = w;
    split.model.attention.kv_heads = 4; // one KV head per rank without replication
    CHECK(activation_bytes_per_token(split, 0, 8192) == doctest::Approx(at_tp4));
}

TEST_CASE("parallel block: one TP reduction for attention and MLP together") {
    auto w = small_dense(2, 1);
    CHECK(collectives(forward(w, 0), Dim::tp, CollectiveKind::all_reduce) == 2);
    w.model.parallel_block = true;
    const Built par = forward(w, 0);
    CHECK(collectives(par, Dim::tp, CollectiveKind::all_reduce) == 1);
    // With sequence parallelism: one all-gather of the normed input, one reduce-scatter.
    w.parallel.sequence_parallel = true;
    const Built sp = forward(w, 0);
    CHECK(collectives(sp, Dim::tp, CollectiveKind::all_gather) == 1);
    CHECK(collectives(sp, Dim::tp, CollectiveKind::reduce_scatter) == 1);
    w.model.parallel_block = false;
    CHECK(collectives(forward(w, 0), Dim::tp, CollectiveKind::reduce_scatter) == 2);
    // The same GEMM work either way.
    auto seq = small_dense(2, 1);
    CHECK(flops(par, OpClass::gemm) == doctest::Approx(flops(forward(seq, 0), OpClass::gemm)));
    // Memory: no FFN norm input and no separate FFN input: 2h + 2h bytes per token less in BF16.
    auto one = small_dense(1, 1);
    const double sequential_bytes = activation_bytes_per_token(one, 0, 8192);
    one.model.parallel_block = true;
    CHECK(sequential_bytes - activation_bytes_per_token(one, 0, 8192) == doctest::Approx(4.0 * 1024));
}

TEST_CASE("activation kernels: bytes read and written, and what the backward keeps") {
    const double n = 1000;
    for (const Activation a : {Activation::swiglu, Activation::geglu}) {
        CHECK(activation_kernel(n, a).bytes.value() == doctest::Approx(n * 3 * 2)); // read gate + up, write
    }
    for (const Activation a : {Activation::gelu, Activation::relu, Activation::squared_relu, Activation::silu}) {
        CHECK(activation_kernel(n, a).bytes.value() == doctest::Approx(n * 2 * 2)); // read, write
    }
    CHECK(activation_kernel(n, Activation::relu).flops.value() == n);
    CHECK(activation_kernel(n, Activation::swiglu).flops.value() ==
          doctest::Approx(n * (activation_flops_per_element(Activation::silu) + 1))); // silu(gate) * up
    // Saved for the backward (BF16 activations, BF16 or FP8 cached linear inputs).
    CHECK(activation_saved_bytes(Activation::swiglu, n, 2.0, 2.0) == 4.0 * n);
    CHECK(activation_saved_bytes(Activation::gelu, n, 2.0, 2.0) == 2.0 * n);
    CHECK(activation_saved_bytes(Activation::squared_relu, n, 2.0, 2.0) == 2.0 * n);
    CHECK(activation_saved_bytes(Activation::relu, n, 2.0, 2.0) == 0.0);
    CHECK(activation_saved_bytes(Activation::relu, n, 2.0, 1.0 + 4.0 / 128) == 2.0 * n);
    // The dense layer's activation kernel is the one of its activation.
    auto w = small_dense(1, 1);
    w.model.ffn.activation = Activation::squared_relu;
    bool found = false;
    for (const Kernel& k : kernels(forward(w, 0), OpClass::elementwise))
        if (k.flops.value() == doctest::Approx(8192.0 * 4096 * 2)) found = true;
    CHECK(found);
}

TEST_CASE("MXFP8 and NVFP4: block scales in bytes moved, on the wire and in quantisation") {
    using hardware::Dtype;
    // OCP MX v1.0: one E8M0 byte per 32 E4M3 bytes; NVFP4: one E4M3 byte per 16 half-byte E2M1.
    CHECK(hardware::bytes_per_element(Dtype::mxfp8) == 1.0 + 1.0 / 32);
    CHECK(hardware::bytes_per_element(Dtype::nvfp4) == 0.5 + 1.0 / 16);
    CHECK(hardware::bytes_per_element(Dtype::fp8) == 1.0); // DeepSeek's 1x128 scales are the recipe's
    CHECK(token_wire_bytes(7168, Dtype::mxfp8) == 7168 * 33.0 / 32);
    CHECK(token_wire_bytes(7168, Dtype::nvfp4) == 7168 * 9.0 / 16);
    const Kernel g = gemm_kernel(128, 256, 512, Dtype::nvfp4);
    CHECK(g.bytes.value() == doctest::Approx((128.0 * 512 + 512.0 * 256) * 9.0 / 16 + 128.0 * 256 * 2));
    // The QKV projection's input quantised: NVFP4 reads the BF16 input for its amax and again
    // to quantise, writes 9/16 byte per element and the 4-byte tensor scale; MXFP8 one read.
    auto w = small_dense(1, 1);
    const double elements = 8192.0 * 1024;
    w.training.gemm_dtype = Dtype::nvfp4;
    Built b = forward(w, 0);
    auto ew = kernels(b, OpClass::elementwise);
    REQUIRE(ew.size() > 2);
    CHECK(ew[1].bytes.value() == doctest::Approx(elements * (2 + 2 + 9.0 / 16) + 4));
    CHECK(kernels(b, OpClass::gemm).front().dtype == Dtype::nvfp4);
    w.training.gemm_dtype = Dtype::mxfp8;
    ew = kernels(forward(w, 0), OpClass::elementwise);
    CHECK(ew[1].bytes.value() == doctest::Approx(elements * (2 + 33.0 / 32)));
    // Linear inputs cached for the backward in the format, with its scales: the QKV input of h
    // elements per token among them, so MXFP8 keeps (2 - 33/32) h less per token than BF16 there.
    auto bf16 = small_dense(1, 1);
    auto mx = bf16;
    mx.training.gemm_dtype = Dtype::mxfp8;
    CHECK(activation_bytes_per_token(mx, 0, 8192) < activation_bytes_per_token(bf16, 0, 8192));
}

namespace {

/// An MLA model shaped like DeepSeek-V3's attention (128 heads, latent 512 + RoPE 64, heads of
/// 128 + 64 for Q/K and 128 for V), small elsewhere, on CP4.
workload::Workload small_mla(workload::CpPass pass) {
    auto w = small_dense(1, 4);
    auto& a = w.model.attention;
    a.kind = workload::AttentionKind::mla;
    a.heads = 128;
    a.kv_heads = 0;
    a.head_dim = 0;
    a.q_lora_rank = 1536;
    a.kv_lora_rank = 512;
    a.qk_nope_head_dim = 128;
    a.qk_rope_head_dim = 64;
    a.v_head_dim = 128;
    w.parallel.cp_pass = pass;
    return w;
}

std::vector<double> ring_bytes(const Built& b) {
    std::vector<double> out;
    for (const Segment& s : b.segments)
        if (!s.is_compute() && s.dim == Dim::cp) out.push_back(s.comm.bytes.value());
    return out;
}

double up_projection_flops(const Built& b) {
    double sum = 0;
    for (const Kernel& k : kernels(b, OpClass::gemm))
        if (k.role == compute::KernelRole::mla_up_proj) sum += k.flops.value();
    return sum;
}

} // namespace

TEST_CASE("MLA under context parallelism: the ring passes the latent, each rank up-projecting what it receives") {
    const double T = 2048; // 8,192 tokens over CP4
    const Built heads = forward(small_mla(workload::CpPass::kv), 0);
    const Built latent = forward(small_mla(workload::CpPass::latent), 0);
    // cp - 1 = 3 ring steps either way.
    REQUIRE(ring_bytes(heads).size() == 3);
    REQUIRE(ring_bytes(latent).size() == 3);
    // Pass-KV: 128 heads x (192 + 128) values per token; latent: 512 + 64, both BF16.
    CHECK(ring_bytes(heads).front() == doctest::Approx(T * 128 * 320 * 2));
    CHECK(ring_bytes(latent).front() == doctest::Approx(T * 576 * 2));
    // The attention core's FLOPs do not depend on what the ring carries.
    CHECK(flops(latent, OpClass::attention_forward) == doctest::Approx(flops(heads, OpClass::attention_forward)));
    // Up-projections: the Q up-projection and the local block's K/V (both ways), plus one K/V
    // up-projection (T x 128 x 256 x 512) for each of the 3 blocks received.
    const double kv_up = 2.0 * T * 128 * (128 + 128) * 512;
    CHECK(up_projection_flops(latent) - up_projection_flops(heads) == doctest::Approx(3 * kv_up));
}
