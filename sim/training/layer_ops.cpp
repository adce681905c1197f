// Layer decomposition. Each layer kind is described once, as forward "pieces" (a compute block
// or a collective) with explicit dependencies; the backward is derived mechanically from the
// forward: pieces in reverse order with reversed dependencies, each GEMM becoming an input-
// gradient GEMM and a weight-gradient GEMM, attention becoming its backward kernel, element-wise
// kernels doubling their traffic. Deriving the backward keeps the two passes consistent: a
// kernel added to the forward can never be forgotten in the backward.
//
// Shapes follow the usual conventions: T tokens per rank per micro-batch, h hidden, TP splits
// heads and FFN width, sequence parallelism splits the token dimension of norms and residuals.
#include "training/layer_ops.hpp"

#include "workload/model_math.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <optional>
#include <stdexcept>
#include <tuple>
#include <utility>

namespace tcsim::training {

using workload::AttentionKind;
using workload::ModelSpec;
using workload::ParallelSpec;
using workload::PositionKind;
using workload::Recompute;
using workload::TrainingSpec;
using workload::Workload;

using hardware::Dtype;
using units::Bytes;
using units::Flops;

namespace {

constexpr double kActivationBytes = 2.0; // BF16 activations between kernels
/// FP8 tensors carry one FP32 scale per 128 elements (DeepSeek-V3 Sec 3.3.2: 1x128 tiles).
constexpr double kFp8ScaleOverhead = 4.0 / 128.0;
/// Flash-attention backward runs five matrix products where the forward runs two
/// (Dao, FlashAttention-2, arXiv 2307.08691, Sec 3.2): 2.5x the forward's FLOPs.
constexpr double kAttentionBackwardFlopRatio = 2.5;
/// Megatron-Core's vocabulary-parallel cross entropy (megatron/core/tensor_parallel/
/// cross_entropy.py; unfused, the default: --cross-entropy-loss-fusion is off) makes one pass
/// per PyTorch op over this rank's T x V/tp logits: cast to FP32 (read 2, write 4 bytes), max
/// (read 4), subtract the max in place (8), exp in place (8), sum (4), divide by the sum in
/// place (8): 38 bytes per logit. Its three TP all-reduces carry T floats each (latency only,
/// not modelled).
constexpr double kLossForwardBytesPerLogit = 38.0;
/// Backward: the saved softmax times the loss gradient, in place (8), then cast back to BF16 for
/// the output layer's GEMMs (read 4, write 2).
constexpr double kLossBackwardBytesPerLogit = 14.0;

Kernel elementwise(double bytes, KernelRole role = KernelRole::other) {
    Kernel kernel;
    kernel.cls = OpClass::elementwise;
    kernel.role = role;
    kernel.bytes = Bytes(bytes);
    return kernel;
}

/// Quantisation of a GEMM input: read BF16, write the elements and their scales. FP8 with the
/// 1x128 FP32 tile scales of DeepSeek-V3; MXFP8 and NVFP4 with their block scales
/// (hardware/dtype.hpp). NVFP4's per-tensor FP32 scale divides by the tensor's amax, which must
/// be known before any block is scaled: one more read of the input (a pass of its own where the
/// previous kernel does not fuse it: an assumption), and 4 bytes written.
void maybe_quantise(std::vector<Kernel>& ks, double elements, Dtype gemm_dtype, KernelRole role) {
    if (gemm_dtype == Dtype::fp8)
        ks.push_back(elementwise(elements * (kActivationBytes + 1.0 + kFp8ScaleOverhead), role));
    if (hardware::is_block_scaled(gemm_dtype)) {
        const double amax_pass = hardware::tensor_scale_bytes(gemm_dtype) > 0 ? kActivationBytes : 0.0;
        ks.push_back(elementwise(elements * (amax_pass + kActivationBytes + hardware::bytes_per_element(gemm_dtype)) +
                                     hardware::tensor_scale_bytes(gemm_dtype),
                                 role));
    }
}

void add_gemm(std::vector<Kernel>& ks, double m, double n, double k, Dtype dtype, int groups = 1,
              KernelRole role = KernelRole::other) {
    maybe_quantise(ks, m * k * groups, dtype, role);
    Kernel g = gemm_kernel(m, n, k, dtype, groups);
    g.role = role;
    ks.push_back(g);
}

/// Backward kernels of a forward kernel list, in reverse order.
void derive_backward(const std::vector<Kernel>& forward, bool split_weight_grad, std::vector<Kernel>& input_grad,
                     std::vector<Kernel>& weight_grad) {
    for (auto it = forward.rbegin(); it != forward.rend(); ++it) {
        const Kernel& f = *it;
        switch (f.cls) {
        case OpClass::gemm:
        case OpClass::grouped_gemm: {
            const auto& s = f.shape;
            Kernel da = gemm_kernel(s.m, s.k, s.n, f.dtype, s.groups); // dA = dC * B^T
            Kernel db = gemm_kernel(s.k, s.n, s.m, f.dtype, s.groups); // dB = A^T dC
            da.cls = db.cls = f.cls;
            da.role = db.role = f.role;
            input_grad.push_back(da);
            // Between two activations both gradients belong to the input-gradient pass.
            (split_weight_grad && f.role != KernelRole::attention_scores ? weight_grad : input_grad).push_back(db);
            break;
        }
        case OpClass::attention_forward: {
            Kernel b = f;
            b.cls = OpClass::attention_backward;
            b.flops = f.flops * kAttentionBackwardFlopRatio;
            b.bytes = f.bytes * kAttentionBackwardFlopRatio;
            input_grad.push_back(b);
            break;
        }
        case OpClass::elementwise: {
            Kernel b = f;
            b.bytes = f.bytes * 2.0;
            input_grad.push_back(b);
            break;
        }
        case OpClass::attention_backward:
        case OpClass::optimizer: throw std::logic_error("backward of a backward or optimizer kernel");
        }
    }
}

} // namespace

Kernel gemm_kernel(double m, double n, double k, Dtype dtype, int groups) {
    Kernel kernel;
    kernel.cls = groups > 1 ? OpClass::grouped_gemm : OpClass::gemm;
    kernel.dtype = dtype;
    kernel.shape = GemmShape{m, n, k, groups};
    kernel.flops = Flops(2.0 * m * n * k * groups);
    const double in = hardware::bytes_per_element(dtype);
    kernel.bytes = Bytes(groups * ((m * k + k * n) * in + m * n * kActivationBytes));
    return kernel;
}

double token_wire_bytes(double hidden, Dtype dtype) {
    return dtype == Dtype::fp8 ? hidden * (1.0 + kFp8ScaleOverhead) : hidden * hardware::bytes_per_element(dtype);
}

double activation_flops_per_element(workload::Activation a) {
    // Per output element, counting exp, tanh and division as one FLOP each (an assumption; the
    // kernel is priced by its bytes: memory-bound by two orders of magnitude).
    switch (a) {
    case workload::Activation::relu: return 1.0;         // max(x, 0)
    case workload::Activation::squared_relu: return 2.0; // max, multiply
    case workload::Activation::silu: return 4.0;         // x / (1 + exp(-x)): negate, exp, add, divide
    case workload::Activation::gelu: return 8.0;         // tanh form: x^3 (2), fma (2), tanh, add, 2 multiplies
    case workload::Activation::swiglu: return 5.0;       // silu(gate) * up
    case workload::Activation::geglu: return 9.0;        // gelu(gate) * up
    }
    return 0.0;
}

Kernel activation_kernel(double elements, workload::Activation a, KernelRole role) {
    // Reads the GEMM output (gate and up halves for a gated unit), writes the activation.
    const double reads = workload::is_gated(a) ? 2.0 : 1.0;
    Kernel k = elementwise(elements * (reads + 1.0) * kActivationBytes, role);
    k.flops = Flops(elements * activation_flops_per_element(a));
    return k;
}

// ---------------------------------------------------------------------------------------------
// Placement

layout::RankGrid rank_grid(const ParallelSpec& p, int gpus_per_node) {
    return layout::RankGrid(layout::GridSpec{p.tp, p.cp, p.dp, p.pp, p.ep, gpus_per_node, p.etp});
}

Placement place(const layout::RankGrid& grid) {
    Placement out;
    out.tp = grid.placement(Dim::tp);
    out.cp = grid.placement(Dim::cp);
    // Expert parallelism folds over the stage's ranks (DeepSeek-V3: EP64 over 8 nodes).
    out.etp = grid.placement(Dim::etp);
    out.ep = grid.placement(Dim::ep);
    out.ep_etp = grid.placement(Dim::ep_etp);
    out.expert_dp = grid.placement(Dim::expert_dp);
    out.dp_cp = grid.placement(Dim::dp_cp);
    out.pp_crosses_nodes = grid.stage_hop_crosses_nodes();
    return out;
}

// ---------------------------------------------------------------------------------------------
// Pieces of a layer kind

namespace {
struct Pieces {
    struct Piece {
        std::string name;
        std::vector<Kernel> kernels;
        std::optional<DimComm> forward_comm;
        std::optional<DimComm> backward_comm;
        std::vector<int> deps; ///< earlier pieces; empty = the entry
    };
    std::vector<Piece> list;

    int compute(std::string name, std::vector<Kernel> kernels, std::vector<int> deps) {
        list.push_back(Piece{std::move(name), std::move(kernels), std::nullopt, std::nullopt, std::move(deps)});
        return static_cast<int>(list.size()) - 1;
    }
    int comm(std::string name, DimComm fwd, DimComm bwd, std::vector<int> deps) {
        list.push_back(Piece{std::move(name), {}, fwd, bwd, std::move(deps)});
        return static_cast<int>(list.size()) - 1;
    }
    int last() const { return static_cast<int>(list.size()) - 1; }
};

DimComm dim_collective(CollectiveKind kind, Dim dim, const GroupPlacement& g, double bytes) {
    CommWork c;
    c.kind = kind;
    c.placement = g;
    c.bytes = Bytes(bytes);
    return {c, dim};
}

DimComm tp_collective(CollectiveKind kind, const GroupPlacement& g, double bytes) {
    return dim_collective(kind, Dim::tp, g, bytes);
}

struct Dims;

/// The sequence-parallel all-gather before a TP region, after piece `norm`. Returns what the
/// region's first compute piece depends on and the gather to join after it: without overlap the
/// compute waits for the gather; with TP overlap (chunked, userbuffers-style: Megatron-LM
/// --tp-comm-overlap) the two run side by side.
std::pair<int, int> tp_gather_before(Pieces& p, const Dims& d, const Placement& pl, double bytes, int norm);

/// The reduce-scatter (SP) or all-reduce after the TP region ending in `compute`. Returns the
/// piece what follows depends on. With overlap the collective runs beside `compute` (both, and
/// the gather `gather_join`, are joined by an empty piece).
int tp_reduce_after(Pieces& p, const Dims& d, const Placement& pl, double bytes, int compute, int gather_join);

DimComm ep_collective(CollectiveKind kind, const GroupPlacement& g, const ExpertRouting& routing) {
    CommWork c;
    c.kind = kind;
    c.placement = g;
    c.routing = routing;
    c.bytes = Bytes(routing.tokens * routing.top_k * routing.token_bytes.value());
    return {c, Dim::ep};
}

struct Dims {
    double T;  ///< tokens per rank per micro-batch
    double Tn; ///< tokens of norms/residuals (T / tp with sequence parallelism)
    double h;
    int tp;
    int cp;
    workload::CpPass cp_pass; ///< what the CP ring passes
    bool sp;
    bool flash; ///< fused flash attention (else unfused, scores in HBM)
    bool dropout;
    bool tp_overlap; ///< TP collectives run beside the neighbouring compute, not before/after it
    Dtype gd;        ///< GEMM dtype
    Dtype ad;        ///< attention dtype
};

std::pair<int, int> tp_gather_before(Pieces& p, const Dims& d, const Placement& pl, double bytes, int norm) {
    const int gather = p.comm("tp.all_gather", tp_collective(CollectiveKind::all_gather, pl.tp, bytes),
                              tp_collective(CollectiveKind::reduce_scatter, pl.tp, bytes), {norm});
    return d.tp_overlap ? std::make_pair(norm, gather) : std::make_pair(gather, -1);
}

int tp_reduce_after(Pieces& p, const Dims& d, const Placement& pl, double bytes, int compute, int gather_join) {
    if (d.tp <= 1) return compute;
    const std::vector<int> deps =
        d.tp_overlap ? p.list[static_cast<std::size_t>(compute)].deps : std::vector<int>{compute};
    const int reduce = d.sp ? p.comm("tp.reduce_scatter", tp_collective(CollectiveKind::reduce_scatter, pl.tp, bytes),
                                     tp_collective(CollectiveKind::all_gather, pl.tp, bytes), deps)
                            : p.comm("tp.all_reduce", tp_collective(CollectiveKind::all_reduce, pl.tp, bytes),
                                     tp_collective(CollectiveKind::all_reduce, pl.tp, bytes), deps);
    if (!d.tp_overlap) return reduce;
    std::vector<int> join{compute, reduce};
    if (gather_join >= 0) join.push_back(gather_join);
    return p.compute("tp.join", {}, join);
}

/// The attention's projections, core and output projection, as one piece (or, under context
/// parallelism, one per ring step) after `before`, led by the kernels already in `ks`. Returns
/// the piece holding the output projection, whose partial sums the TP reduction adds.
int attention_body(Pieces& p, const ModelSpec& m, const Dims& d, const Placement& pl, int layer, int seq_len,
                   std::vector<Kernel> ks, int before) {
    const auto& a = m.attention;
    const double heads = static_cast<double>(a.heads) / d.tp;
    const double qk = a.qk_head_dim();
    const double v = a.v_dim();
    if (a.kind == AttentionKind::mla) {
        double q_in = d.h;
        if (a.q_lora_rank > 0) {
            add_gemm(ks, d.T, a.q_lora_rank, d.h, d.gd);
            ks.push_back(elementwise(d.T * a.q_lora_rank * 2 * kActivationBytes, KernelRole::norm));
            q_in = a.q_lora_rank;
        }
        add_gemm(ks, d.T, heads * qk, q_in, d.gd, 1, KernelRole::mla_up_proj);
        add_gemm(ks, d.T, a.kv_lora_rank + a.qk_rope_head_dim, d.h, d.gd);
        ks.push_back(elementwise(d.T * a.kv_lora_rank * 2 * kActivationBytes, KernelRole::norm));
        add_gemm(ks, d.T, heads * (a.qk_nope_head_dim + a.v_head_dim), a.kv_lora_rank, d.gd, 1,
                 KernelRole::mla_up_proj);
    } else {
        // K/V heads of this rank: kv_heads / tp, or one replicated head when TP exceeds them.
        const double kv = workload::kv_heads_per_rank(a, d.tp);
        add_gemm(ks, d.T, (heads + 2 * kv) * a.head_dim, d.h, d.gd);
    }
    // Rotary embedding of queries and keys (read + write).
    if (m.position == PositionKind::rope) ks.push_back(elementwise(d.T * heads * qk * 2 * 2 * kActivationBytes));
    // Attention core: causal, flash-style (masked blocks skipped): each token attends to
    // (seq_len + 1) / 2 keys on average, or in a windowed layer to min(position + 1, window)
    // (and the sink tokens outside its window), averaged exactly over the sequence.
    const double keys = workload::exact_mean_keys_per_query(m, layer, seq_len);
    auto core = [&](double share) {
        Kernel k;
        k.cls = OpClass::attention_forward;
        k.dtype = d.ad;
        k.flops = Flops(2.0 * d.T * keys * heads * (qk + v) * share);
        k.bytes = Bytes(d.T * heads * (2 * qk + 2 * v) * kActivationBytes);
        return k;
    };
    int proj = -1;
    if (!d.flash) {
        // Unfused attention (Megatron-LM 2021): QK^T over every key (the causal mask is applied to
        // the full s x s scores, not skipped), a fused scale-mask-softmax (read + write), dropout
        // (read, write, mask), then probabilities x V; the scores live in HBM.
        const double all_keys = static_cast<double>(seq_len);
        const double scores = d.T * heads * all_keys;
        add_gemm(ks, d.T, all_keys, qk, d.ad, static_cast<int>(heads), KernelRole::attention_scores);
        ks.push_back(elementwise(scores * 2 * kActivationBytes));
        if (d.dropout) ks.push_back(elementwise(scores * (2 * kActivationBytes + 1)));
        add_gemm(ks, d.T, v, all_keys, d.ad, static_cast<int>(heads), KernelRole::attention_scores);
        add_gemm(ks, d.T, d.h, heads * v, d.gd);
        proj = p.compute("attn", std::move(ks), before < 0 ? std::vector<int>{} : std::vector<int>{before});
    } else if (d.cp <= 1) {
        ks.push_back(core(1.0));
        add_gemm(ks, d.T, d.h, heads * v, d.gd);
        proj = p.compute("attn", std::move(ks), before < 0 ? std::vector<int>{} : std::vector<int>{before});
    } else {
        // Context parallelism as ring attention (Liu et al., 2023; Megatron-LM's CP): each of the
        // cp ranks holds seq/cp tokens; K and V blocks travel around the ring in cp-1 steps, each
        // step's transfer overlapping the attention over the block already here. The backward
        // passes each K/V block around again together with its partial gradient dK/dV, which
        // travels with the block back to its owner: twice the forward's bytes per step
        // (TransformerEngine context_parallel.py, flash_attn_p2p_communicate: "KV and dKV").
        //
        // A windowed layer needs only the K/V blocks its window reaches: with each rank holding a
        // contiguous seq/cp slice of every sequence, its first query looks back window - 1
        // positions, i.e. ceil((window - 1) / (seq/cp)) earlier slices; the ring stops after that
        // many steps, the work shared among the steps that remain. (Sink tokens live on the first
        // rank; their few keys are not passed around: an approximation.)
        const double kv_heads = workload::kv_heads_per_rank(a, d.tp);
        int steps = d.cp - 1;
        if (m.is_windowed_layer(layer)) {
            const double slice = static_cast<double>(seq_len) / d.cp;
            const double reach = std::ceil((a.sliding_window - 1.0) / slice);
            steps = static_cast<int>(std::min<double>(steps, reach));
        }
        //
        // With cp_pass = "latent" (MLA only) the ring carries each block's compressed latent and
        // shared RoPE key instead (kv_lora_rank + qk_rope_head_dim values per token, the same on
        // every TP rank), and each step first up-projects the block it received into this rank's
        // heads' K and V (the GEMM the local block ran in attn.qkv, with its role, so that
        // recomputing the MLA up-projection re-runs it too); its backward turns dK/dV back into
        // the latent's gradient, which travels with the block as dK/dV would.
        const bool latent = d.cp_pass == workload::CpPass::latent && a.kind == AttentionKind::mla;
        const double share = 1.0 / (steps + 1);
        DimComm ring{CommWork{}, Dim::cp};
        ring.work.kind = CollectiveKind::send_recv;
        ring.work.placement = GroupPlacement{2, pl.cp.nodes() > 1 ? 1 : 2};
        ring.work.crosses_nodes = pl.cp.nodes() > 1;
        ring.work.bytes = latent ? Bytes(d.T * (a.kv_lora_rank + a.qk_rope_head_dim) * kActivationBytes)
                                 : Bytes(d.T * kv_heads * (qk + v) * kActivationBytes);
        DimComm ring_backward = ring;
        ring_backward.work.bytes = ring.work.bytes * 2.0;
        const int qkv =
            p.compute("attn.qkv", std::move(ks), before < 0 ? std::vector<int>{} : std::vector<int>{before});
        int prev_core = p.compute("attn.core", {core(share)}, {qkv});
        int prev_ring = qkv;
        for (int step = 1; step <= steps; ++step) {
            prev_ring = p.comm("cp.ring", ring, ring_backward, {prev_ring});
            std::vector<Kernel> step_kernels;
            if (latent)
                add_gemm(step_kernels, d.T, heads * (a.qk_nope_head_dim + a.v_head_dim), a.kv_lora_rank, d.gd, 1,
                         KernelRole::mla_up_proj);
            step_kernels.push_back(core(share));
            prev_core = p.compute(latent ? "attn.latent_core" : "attn.core", std::move(step_kernels),
                                  {prev_core, prev_ring});
        }
        std::vector<Kernel> out;
        add_gemm(out, d.T, d.h, heads * v, d.gd);
        proj = p.compute("attn.out", std::move(out), {prev_core});
    }
    return proj;
}

/// The input norm of a block and, with TP + SP, its all-gather. Returns what the block's first
/// compute piece depends on, the gather to join after it (see tp_gather_before) and the kernels
/// that lead that piece (the norm, when it is not a piece of its own).
struct NormedInput {
    int before = -1;
    int gather_join = -1;
    std::vector<Kernel> lead;
};
NormedInput norm_and_gather(Pieces& p, const Dims& d, const Placement& pl, const std::string& name, int entry,
                            bool own_piece) {
    NormedInput out;
    out.before = entry;
    out.lead.push_back(elementwise(d.Tn * d.h * 2 * kActivationBytes, KernelRole::norm)); // input norm
    if ((d.tp > 1 && d.sp) || own_piece) {
        const int n = p.compute(name, std::move(out.lead), entry < 0 ? std::vector<int>{} : std::vector<int>{entry});
        out.lead.clear();
        out.before = n;
        if (d.tp > 1 && d.sp)
            std::tie(out.before, out.gather_join) = tp_gather_before(p, d, pl, d.T * d.h * kActivationBytes, n);
    }
    return out;
}

/// Appends the attention block. Returns the index of its last piece.
int attention_pieces(Pieces& p, const ModelSpec& m, const Dims& d, const Placement& pl, int layer, int seq_len,
                     int entry) {
    NormedInput in = norm_and_gather(p, d, pl, "attn.norm", entry, false);
    const int proj = attention_body(p, m, d, pl, layer, seq_len, std::move(in.lead), in.before);
    return tp_reduce_after(p, d, pl, d.T * d.h * kActivationBytes, proj, in.gather_join);
}

/// Residual add of the attention block, then the FFN's norm (and, for TP+SP, its all-gather).
std::vector<Kernel> residual_and_norm(const Dims& d) {
    return {elementwise(d.Tn * d.h * 3 * kActivationBytes),
            elementwise(d.Tn * d.h * 2 * kActivationBytes, KernelRole::norm)};
}

/// The MLP's GEMMs and activation under TP: up (and gate) projection, activation, down
/// projection, each split over TP by width.
void dense_mlp_kernels(std::vector<Kernel>& ks, const workload::FfnSpec& f, const Dims& d) {
    const double width = static_cast<double>(f.dense_intermediate) / d.tp;
    add_gemm(ks, d.T, (workload::is_gated(f.activation) ? 2 : 1) * width, d.h, d.gd, 1, KernelRole::mlp);
    ks.push_back(activation_kernel(d.T * width, f.activation, KernelRole::mlp));
    add_gemm(ks, d.T, d.h, width, d.gd, 1, KernelRole::mlp);
}

int dense_ffn_pieces(Pieces& p, const ModelSpec& m, const Dims& d, const Placement& pl, int entry) {
    const auto& f = m.ffn;
    std::vector<Kernel> ks = residual_and_norm(d);
    int before = entry;
    int gather_join = -1;
    if (d.tp > 1 && d.sp) {
        const int n = p.compute("ffn.norm", std::move(ks), {entry});
        std::tie(before, gather_join) = tp_gather_before(p, d, pl, d.T * d.h * kActivationBytes, n);
        ks.clear();
    }
    dense_mlp_kernels(ks, f, d);
    const int ffn = p.compute("ffn", std::move(ks), {before});
    const int last = tp_reduce_after(p, d, pl, d.T * d.h * kActivationBytes, ffn, gather_join);
    return p.compute("ffn.residual", {elementwise(d.Tn * d.h * 3 * kActivationBytes)}, {last});
}

/// A parallel attention + MLP block (GPT-J; PaLM, arXiv:2204.02311 Sec 2 "Parallel Layers";
/// GPT-NeoX use_parallel_residual): y = x + attn(norm(x)) + mlp(norm(x)). One norm (and with
/// TP + SP one all-gather of its output) feeds both; under TP the attention's output projection
/// and the MLP's down projection are both row-parallel, so their partial sums are added on each
/// rank and reduced by one all-reduce (or reduce-scatter) instead of two, as Mesh-TensorFlow's
/// PaLM and GPT-J's implementations do; one residual add of three tensors.
int parallel_block_pieces(Pieces& p, const ModelSpec& m, const Dims& d, const Placement& pl, int layer, int seq_len,
                          int entry) {
    NormedInput in = norm_and_gather(p, d, pl, "par.norm", entry, true);
    const int attn = attention_body(p, m, d, pl, layer, seq_len, {}, in.before);
    std::vector<Kernel> mlp;
    dense_mlp_kernels(mlp, m.ffn, d);
    const int ffn = p.compute("ffn", std::move(mlp), {in.before});
    if (d.tp <= 1) // x + attention + MLP: read three, write one
        return p.compute("par.residual", {elementwise(d.Tn * d.h * 4 * kActivationBytes)}, {attn, ffn});
    // The two row-parallel partial sums added locally (read two, write one), then reduced once.
    const int sum = p.compute("par.sum", {elementwise(d.T * d.h * 3 * kActivationBytes)}, {attn, ffn});
    const int reduced = tp_reduce_after(p, d, pl, d.T * d.h * kActivationBytes, sum, in.gather_join);
    return p.compute("par.residual", {elementwise(d.Tn * d.h * 3 * kActivationBytes)}, {reduced});
}

/// Nodes a token's expert copies may reach: the node limit, and under group-limited routing the
/// nodes that `groups_per_token` groups of consecutive experts span when each EP rank holds a
/// contiguous slice of experts (0 = unlimited).
int nodes_per_token(const workload::FfnSpec& f, const ParallelSpec& par, const GroupPlacement& ep) {
    int limit = f.max_nodes_per_token;
    if (f.expert_groups > 0 && ep.size > 1) {
        const int ranks_per_node = std::max(1, ep.ranks_per_node);
        const long long experts_per_node = static_cast<long long>(f.routed_experts / par.ep) * ranks_per_node;
        const long long experts_per_group = f.routed_experts / f.expert_groups;
        // A group inside a node's slice reaches one node; a larger one spans whole node slices;
        // one that straddles slice boundaries reaches one node more.
        long long per_group = (experts_per_group + experts_per_node - 1) / experts_per_node;
        if (experts_per_node % experts_per_group != 0 && experts_per_group % experts_per_node != 0) ++per_group;
        const int by_groups = static_cast<int>(std::min<long long>(per_group * f.groups_per_token, ep.nodes()));
        limit = limit > 0 ? std::min(limit, by_groups) : by_groups;
    }
    return limit;
}

/// MoE FFN as Megatron-Core runs it with parallel folding (arXiv:2504.14960). With TP > 1 the
/// layer's tokens are split over the TP ranks before routing (sequence parallelism; without it
/// the duplicate tokens are dropped first and the output all-gathered after, as DeepSpeed-MoE and
/// Megatron-LM do), so each GPU routes T/TP tokens. Router; dispatch over the EP group (an
/// all-to-all of token copies, or with the all-gather dispatcher a gather of every token of the
/// EP x ETP group); with ETP > 1 an all-gather of the received tokens over the ETP group, whose
/// ranks each hold 1/ETP of every local expert's width; grouped expert GEMMs; the reverse on the
/// way back. Shared experts are a dense MLP under the attention TP, run on the local tokens while
/// the dispatch is in flight (DeepSeek-V3 Sec 3.2.1). The all-to-all runs as the dispatcher
/// names: DeepEP's kernels (one copy per node and GPU a token needs) or NCCL's (every copy). Routing is balanced (each expert gets the
/// average load) or, with a capacity factor, padded to capacity.
int moe_ffn_pieces(Pieces& p, const ModelSpec& m, const ParallelSpec& par, const Dims& d, const Placement& pl,
                   int entry) {
    const auto& f = m.ffn;
    const int etp = par.etp;
    const double Tm = d.T / d.tp; // tokens this GPU routes
    const double load = f.load_factor();
    const int local_experts = std::max(1, f.routed_experts / par.ep);
    const double width = static_cast<double>(f.expert_intermediate) / etp; // of each expert on this GPU
    const bool allgather = par.moe_dispatcher == workload::MoeDispatcher::allgather;

    std::vector<Kernel> ks = residual_and_norm(d);
    // Router: a small GEMM and a top-k over the expert scores (FP32).
    ks.push_back(gemm_kernel(Tm, f.routed_experts, d.h, f.router_dtype));
    ks.push_back(elementwise(Tm * f.routed_experts * 4.0 * 3));
    const int router = p.compute("moe.router", std::move(ks), entry < 0 ? std::vector<int>{} : std::vector<int>{entry});

    // On the wire: dispatch carries the GEMM dtype with its scales when it is a low-precision
    // format (FP8 with 1x128 scales: DeepSeek-V3 Sec 3.3.3; MXFP8 and NVFP4 with their blocks'),
    // combine carries BF16; in the backward the patterns swap their payloads' roles.
    const bool low_precision = d.gd == Dtype::fp8 || d.gd == Dtype::mxfp8 || d.gd == Dtype::nvfp4;
    const double dispatch_token = low_precision ? token_wire_bytes(d.h, d.gd) : d.h * kActivationBytes;
    const double combine_token = d.h * kActivationBytes;
    // Token copies this GPU's experts compute: with balanced routing each GPU receives as many
    // copies as it sends (Tm x top_k, times the capacity factor when padded), and an ETP group
    // computes the copies of all its ranks.
    const double copies = Tm * f.top_k * load;
    const double computed = copies * etp;
    const double group_tokens = Tm * par.ep * etp; // tokens the all-gather dispatcher gathers

    int dispatched = -1;
    ExpertRouting routing;
    routing.tokens = Tm * load;
    routing.top_k = f.top_k;
    routing.max_nodes = nodes_per_token(f, par, pl.ep);
    routing.token_bytes = Bytes(dispatch_token);
    // DeepEP sends a token once per node and GPU it needs; NCCL's all-to-all sends every copy.
    routing.exchange = par.moe_dispatcher == workload::MoeDispatcher::deepep ? collective::ExpertExchange::deduplicated
                                                                             : collective::ExpertExchange::every_copy;
    if (allgather) {
        // Every rank of the EP x ETP group gathers the group's tokens (and their routing).
        dispatched =
            p.comm("moe.all_gather",
                   dim_collective(CollectiveKind::all_gather, Dim::ep_etp, pl.ep_etp, group_tokens * dispatch_token),
                   dim_collective(CollectiveKind::reduce_scatter, Dim::ep_etp, pl.ep_etp, group_tokens * combine_token),
                   {router});
    } else {
        ExpertRouting back = routing;
        back.token_bytes = Bytes(combine_token);
        dispatched = p.comm("ep.dispatch", ep_collective(CollectiveKind::ep_dispatch, pl.ep, routing),
                            ep_collective(CollectiveKind::ep_combine, pl.ep, back), {router});
        if (etp > 1)
            dispatched =
                p.comm("etp.all_gather",
                       dim_collective(CollectiveKind::all_gather, Dim::etp, pl.etp, computed * dispatch_token),
                       dim_collective(CollectiveKind::reduce_scatter, Dim::etp, pl.etp, computed * combine_token),
                       {dispatched});
    }

    int shared_compute = router;
    int shared_out = router;
    if (f.has_shared()) {
        int before = router;
        int gather_join = -1;
        if (d.tp > 1 && d.sp)
            std::tie(before, gather_join) = tp_gather_before(p, d, pl, d.T * d.h * kActivationBytes, router);
        std::vector<Kernel> sk;
        const double shared_width = static_cast<double>(f.shared_width()) / d.tp;
        add_gemm(sk, d.T, (workload::is_gated(f.activation) ? 2 : 1) * shared_width, d.h, d.gd);
        sk.push_back(activation_kernel(d.T * shared_width, f.activation));
        add_gemm(sk, d.T, d.h, shared_width, d.gd);
        shared_compute = p.compute("moe.shared", std::move(sk), {before});
        shared_out = tp_reduce_after(p, d, pl, d.T * d.h * kActivationBytes, shared_compute, gather_join);
    }

    const double per_expert = computed / local_experts;
    std::vector<Kernel> ek;
    ek.push_back(elementwise(computed * dispatch_token * 2)); // permute into expert order
    add_gemm(ek, per_expert, (workload::is_gated(f.activation) ? 2.0 : 1.0) * width, d.h, d.gd, local_experts);
    ek.push_back(activation_kernel(computed * width, f.activation, KernelRole::moe_act));
    add_gemm(ek, per_expert, d.h, width, d.gd, local_experts);
    ek.push_back(elementwise(computed * combine_token * 2)); // unpermute
    const int experts = p.compute("moe.experts", std::move(ek), {dispatched, shared_compute});

    int combined = -1;
    if (allgather) {
        combined =
            p.comm("moe.reduce_scatter",
                   dim_collective(CollectiveKind::reduce_scatter, Dim::ep_etp, pl.ep_etp, group_tokens * combine_token),
                   dim_collective(CollectiveKind::all_gather, Dim::ep_etp, pl.ep_etp, group_tokens * dispatch_token),
                   {experts});
    } else {
        int before_combine = experts;
        if (etp > 1)
            before_combine = p.comm(
                "etp.reduce_scatter",
                dim_collective(CollectiveKind::reduce_scatter, Dim::etp, pl.etp, computed * combine_token),
                dim_collective(CollectiveKind::all_gather, Dim::etp, pl.etp, computed * dispatch_token), {experts});
        ExpertRouting out = routing;
        out.token_bytes = Bytes(combine_token);
        ExpertRouting out_back = routing;
        out_back.token_bytes = Bytes(dispatch_token);
        combined = p.comm("ep.combine", ep_collective(CollectiveKind::ep_combine, pl.ep, out),
                          ep_collective(CollectiveKind::ep_dispatch, pl.ep, out_back), {before_combine});
    }
    // Weighted sum of the top-k expert outputs of this GPU's tokens (and the shared experts'
    // output), then the residual add.
    const Kernel weighted_sum = elementwise(Tm * f.top_k * d.h * kActivationBytes + Tm * d.h * kActivationBytes);
    const Kernel residual = elementwise(d.Tn * d.h * 3 * kActivationBytes);
    if (d.tp > 1 && !d.sp) {
        // Tokens were split over TP for routing: gather them back to every TP rank. (Its
        // backward, the gradient's all-gather, belongs where the forward split them; it is one
        // all-gather per pass either way.)
        const int summed = p.compute("moe.weighted_sum", {weighted_sum}, {combined});
        const double bytes = d.T * d.h * kActivationBytes;
        const int gathered = p.comm("moe.tp_gather", tp_collective(CollectiveKind::all_gather, pl.tp, bytes),
                                    tp_collective(CollectiveKind::all_gather, pl.tp, bytes), {summed});
        return p.compute("moe.combine", {residual}, {gathered, shared_out});
    }
    return p.compute("moe.combine", {weighted_sum, residual}, {combined, shared_out});
}

} // namespace

// ---------------------------------------------------------------------------------------------

LayerOps::LayerOps(const Workload& workload, const Placement& placement, int seq_len, int micro_batch_sequences,
                   std::vector<ComputeBlock>& blocks)
    : workload_(workload), placement_(placement), seq_len_(seq_len),
      tokens_(static_cast<double>(micro_batch_sequences) * seq_len / workload.parallel.cp), blocks_(blocks) {}

int LayerOps::intern(const std::string& name, std::vector<Kernel> kernels) const {
    const auto it = interned_.find(name);
    if (it != interned_.end()) return it->second;
    blocks_.push_back(ComputeBlock{name, std::move(kernels)});
    const int index = static_cast<int>(blocks_.size()) - 1;
    interned_.emplace(name, index);
    return index;
}

int LayerOps::add_compute(std::vector<Segment>& out, const std::string& name, std::vector<Kernel> kernels, Phase phase,
                          int layer, std::vector<int> deps) const {
    Segment s;
    s.block = intern(name, std::move(kernels));
    s.stream = Stream::compute;
    s.phase = phase;
    s.layer = layer;
    s.deps = std::move(deps);
    out.push_back(std::move(s));
    return static_cast<int>(out.size()) - 1;
}

int LayerOps::add_comm(std::vector<Segment>& out, const DimComm& comm, Phase phase, int layer,
                       std::vector<int> deps) const {
    Segment s;
    s.comm = comm.work;
    s.dim = comm.dim;
    s.stream = Stream::comm;
    s.phase = phase;
    s.layer = layer;
    s.deps = std::move(deps);
    out.push_back(std::move(s));
    return static_cast<int>(out.size()) - 1;
}

namespace {

Dims dims_of(const Workload& w, double tokens) {
    Dims d;
    d.T = tokens;
    d.tp = w.parallel.tp;
    d.cp = w.parallel.cp;
    d.cp_pass = w.parallel.cp_pass;
    d.tp_overlap = w.parallel.tp_comm_overlap && w.parallel.tp > 1;
    d.flash = w.training.flash_attention;
    d.dropout = w.training.dropout;
    d.sp = w.parallel.sequence_parallel && w.parallel.tp > 1;
    d.Tn = d.sp ? tokens / w.parallel.tp : tokens;
    d.h = w.model.hidden;
    d.gd = w.training.gemm_dtype;
    d.ad = w.training.attention_dtype;
    return d;
}

/// Whether the backward pass recomputes this forward kernel instead of keeping its output.
bool recomputed(const TrainingSpec& t, const Kernel& k) {
    if (t.recompute == Recompute::full) return true;
    const auto& m = t.recompute_modules;
    if (k.cls == OpClass::attention_forward) return t.recompute == Recompute::selective || m.core_attn;
    switch (k.role) {
    case KernelRole::norm: return m.layernorm;
    case KernelRole::mla_up_proj: return m.mla_up_proj;
    case KernelRole::moe_act: return m.moe_act;
    case KernelRole::mlp: return m.mlp;
    case KernelRole::attention_scores: return t.recompute == Recompute::selective || m.core_attn;
    case KernelRole::other: return false;
    }
    return false;
}

/// The pieces of transformer layer `layer`: sequential attention then FFN, or a parallel block.
void build_layer(Pieces& p, const Workload& w, const Dims& d, const Placement& pl, int layer, int seq_len) {
    const ModelSpec& m = w.model;
    if (m.parallel_block) {
        parallel_block_pieces(p, m, d, pl, layer, seq_len, -1);
        return;
    }
    const int attn = attention_pieces(p, m, d, pl, layer, seq_len, -1);
    if (m.is_moe_layer(layer))
        moe_ffn_pieces(p, m, w.parallel, d, pl, attn);
    else
        dense_ffn_pieces(p, m, d, pl, attn);
}

/// The name of a layer's kind, which prefixes its blocks' names: blocks are interned by name,
/// so layers that differ (MoE or dense, windowed or global attention) must not share one.
std::string layer_kind(const ModelSpec& m, int layer) {
    std::string kind = m.parallel_block ? "parallel" : m.is_moe_layer(layer) ? "moe" : "dense";
    if (m.is_windowed_layer(layer)) kind += ".local";
    return kind;
}

/// Emits pieces forward (in order) or backward (reverse order, reversed dependencies).
int emit(const Pieces& pieces, const std::string& kind, bool backward, bool split_weight_grad,
         const TrainingSpec& training, int layer, int entry, bool keep_weight_grad,
         const std::function<int(const std::string&, std::vector<Kernel>, Phase, int, std::vector<int>)>& add_compute,
         const std::function<int(const DimComm&, Phase, int, std::vector<int>)>& add_comm) {
    const int n = static_cast<int>(pieces.list.size());
    std::vector<int> seg_of(static_cast<std::size_t>(n), -1);
    if (!backward) {
        int last = entry;
        for (int i = 0; i < n; ++i) {
            const auto& pc = pieces.list[static_cast<std::size_t>(i)];
            std::vector<int> deps;
            if (pc.deps.empty()) {
                if (entry >= 0) deps.push_back(entry);
            } else {
                for (int dp : pc.deps) deps.push_back(seg_of[static_cast<std::size_t>(dp)]);
            }
            seg_of[static_cast<std::size_t>(i)] =
                pc.forward_comm
                    ? add_comm(*pc.forward_comm, Phase::forward, layer, std::move(deps))
                    : add_compute(kind + "." + pc.name + ".fwd", pc.kernels, Phase::forward, layer, std::move(deps));
            last = seg_of[static_cast<std::size_t>(i)];
        }
        return last;
    }
    // Successors in the forward graph become dependencies in the backward graph.
    std::vector<std::vector<int>> successors(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i)
        for (int dp : pieces.list[static_cast<std::size_t>(i)].deps)
            successors[static_cast<std::size_t>(dp)].push_back(i);
    int last = entry;
    for (int i = n - 1; i >= 0; --i) {
        const auto& pc = pieces.list[static_cast<std::size_t>(i)];
        std::vector<int> deps;
        if (successors[static_cast<std::size_t>(i)].empty()) {
            if (entry >= 0) deps.push_back(entry);
        } else {
            for (int s : successors[static_cast<std::size_t>(i)]) deps.push_back(seg_of[static_cast<std::size_t>(s)]);
        }
        if (pc.backward_comm) {
            seg_of[static_cast<std::size_t>(i)] = add_comm(*pc.backward_comm, Phase::backward, layer, std::move(deps));
        } else {
            std::vector<Kernel> in, wt, pre;
            // Recomputation re-runs forward kernels just before their backward.
            for (const Kernel& k : pc.kernels)
                if (recomputed(training, k)) pre.push_back(k);
            derive_backward(pc.kernels, split_weight_grad, in, wt);
            // Blocks are interned by name: an input-gradient-only backward must not share the
            // name of the full backward.
            std::string suffix = split_weight_grad ? ".dgrad" : ".bwd";
            if (!pre.empty()) {
                pre.insert(pre.end(), in.begin(), in.end());
                in = std::move(pre);
                suffix += "+recompute";
            }
            const int seg =
                add_compute(kind + "." + pc.name + suffix, std::move(in), Phase::backward, layer, std::move(deps));
            seg_of[static_cast<std::size_t>(i)] = seg;
            if (!wt.empty() && keep_weight_grad)
                add_compute(kind + "." + pc.name + ".wgrad", std::move(wt), Phase::weight_grad, layer, {});
        }
        last = seg_of[static_cast<std::size_t>(i)];
    }
    return last;
}

} // namespace

int LayerOps::forward_layer(int layer, std::vector<Segment>& out, int entry) const {
    // Built per call: cheap next to the simulation, and blocks are interned by name.
    Pieces p;
    const Dims d = dims_of(workload_, tokens_);
    build_layer(p, workload_, d, placement_, layer, seq_len_);
    const TrainingSpec no_recompute;
    return emit(
        p, layer_kind(workload_.model, layer), false, false, no_recompute, layer, entry, false,
        [&](const std::string& n, std::vector<Kernel> k, Phase ph, int l, std::vector<int> deps) {
            return add_compute(out, n, std::move(k), ph, l, std::move(deps));
        },
        [&](const DimComm& c, Phase ph, int l, std::vector<int> deps) {
            return add_comm(out, c, ph, l, std::move(deps));
        });
}

int LayerOps::backward_layer(int layer, std::vector<Segment>& out, int entry, bool split_weight_grad,
                             std::vector<Segment>* weight_out) const {
    Pieces p;
    const Dims d = dims_of(workload_, tokens_);
    build_layer(p, workload_, d, placement_, layer, seq_len_);
    std::vector<Segment>* wout = split_weight_grad ? weight_out : nullptr;
    return emit(
        p, layer_kind(workload_.model, layer), true, split_weight_grad, workload_.training, layer, entry,
        wout != nullptr,
        [&](const std::string& n, std::vector<Kernel> k, Phase ph, int l, std::vector<int> deps) {
            if (ph == Phase::weight_grad) return add_compute(*wout, n, std::move(k), ph, l, std::move(deps));
            return add_compute(out, n, std::move(k), ph, l, std::move(deps));
        },
        [&](const DimComm& c, Phase ph, int l, std::vector<int> deps) {
            return add_comm(out, c, ph, l, std::move(deps));
        });
}

namespace {
/// The TP collective of the embedding and the output layer: T x h BF16 activations.
DimComm head_collective(CollectiveKind kind, const Dims& d, const Placement& pl) {
    return tp_collective(kind, pl.tp, d.T * d.h * kActivationBytes);
}
} // namespace

int LayerOps::forward_embedding(std::vector<Segment>& out, int entry) const {
    const Dims d = dims_of(workload_, tokens_);
    // Megatron-Core's VocabParallelEmbedding: each TP rank looks up the tokens of its vocabulary
    // slice and writes the whole T x h output (zeros for the others); the partial outputs are
    // summed over TP, all-reduced or, with sequence parallelism, reduce-scattered to each rank's
    // slice (megatron/core/tensor_parallel/layers.py, reduce_from_tensor_model_parallel_region /
    // reduce_scatter_to_sequence_parallel_region). Without TP, Tn = T.
    int last = add_compute(out, "embedding.fwd", {elementwise(d.T * d.h * 2 * kActivationBytes)}, Phase::forward, -1,
                           entry < 0 ? std::vector<int>{} : std::vector<int>{entry});
    if (d.tp > 1)
        last = add_comm(
            out, head_collective(d.sp ? CollectiveKind::reduce_scatter : CollectiveKind::all_reduce, d, placement_),
            Phase::forward, -1, {last});
    return last;
}

int LayerOps::backward_embedding(std::vector<Segment>& out, int entry) const {
    const Dims d = dims_of(workload_, tokens_);
    int last = entry;
    // The reduce-scatter's backward gathers the gradient of every token (the all-reduce's is the
    // identity: each rank already holds all T).
    if (d.tp > 1 && d.sp)
        last = add_comm(out, head_collective(CollectiveKind::all_gather, d, placement_), Phase::backward, -1,
                        last < 0 ? std::vector<int>{} : std::vector<int>{last});
    // Scatter-add of the gradient into the embedding table.
    return add_compute(out, "embedding.bwd", {elementwise(d.T * d.h * 3 * kActivationBytes)}, Phase::backward, -1,
                       last < 0 ? std::vector<int>{} : std::vector<int>{last});
}

namespace {
/// The final norm (on the sequence-parallel slice), before the output layer.
Kernel head_norm_kernel(const Dims& d) { return elementwise(d.Tn * d.h * 2 * kActivationBytes, KernelRole::norm); }
/// Vocabulary projection (kept in BF16, as FP8 recipes do) and the loss over this rank's slice
/// of the vocabulary.
std::vector<Kernel> head_projection_kernels(const ModelSpec& m, const Dims& d) {
    const double vocab = static_cast<double>(m.vocab) / d.tp;
    return {gemm_kernel(d.T, vocab, d.h, Dtype::bf16), elementwise(d.T * vocab * kLossForwardBytesPerLogit)};
}
/// The backward of head_projection_kernels: derived like any block's, but the loss's backward
/// is its own few passes, not twice its forward's (derive_backward's element-wise rule).
void head_projection_backward(const ModelSpec& m, const Dims& d, bool split_weight_grad, std::vector<Kernel>& in,
                              std::vector<Kernel>& wt) {
    derive_backward(head_projection_kernels(m, d), split_weight_grad, in, wt);
    in.front().bytes = Bytes(d.T * static_cast<double>(m.vocab) / d.tp * kLossBackwardBytesPerLogit);
}
} // namespace

/// Final norm, (with TP: the output layer's gather,) output layer and loss, as blocks `name`.*.
/// Without TP one block; with TP the output layer is column-parallel (Megatron-Core's
/// output_layer): with sequence parallelism its input is first all-gathered from the norm's
/// slices, without it the forward needs nothing (its backward all-reduces the input gradient).
int LayerOps::forward_head(std::vector<Segment>& out, int entry, int first_mtp, int last_mtp, bool loss) const {
    const Dims d = dims_of(workload_, tokens_);
    auto after = [](int i) { return i < 0 ? std::vector<int>{} : std::vector<int>{i}; };
    auto head = [&](const std::string& name, int last) {
        if (d.tp <= 1) {
            std::vector<Kernel> ks{head_norm_kernel(d)};
            for (const Kernel& k : head_projection_kernels(workload_.model, d)) ks.push_back(k);
            return add_compute(out, name + ".fwd", std::move(ks), Phase::forward, -1, after(last));
        }
        last = add_compute(out, name + ".norm.fwd", {head_norm_kernel(d)}, Phase::forward, -1, after(last));
        if (d.sp)
            last =
                add_comm(out, head_collective(CollectiveKind::all_gather, d, placement_), Phase::forward, -1, {last});
        return add_compute(out, name + ".fwd", head_projection_kernels(workload_.model, d), Phase::forward, -1, {last});
    };
    int last = loss ? head("head", entry) : entry;
    for (int i = first_mtp; i < last_mtp; ++i) {
        // MTP module (DeepSeek-V3 Sec 2.2): two norms, a 2h -> h projection, one transformer
        // block (MoE, like the main model's last layers), then the shared head.
        // The projection is column-parallel under TP (Megatron-Core's eh_proj); the all-gather
        // of its T x h output, one per module against the layers' four TP collectives each, is
        // not modelled.
        std::vector<Kernel> proj{elementwise(d.Tn * d.h * 4 * kActivationBytes)};
        add_gemm(proj, d.T, d.h / d.tp, 2 * d.h, d.gd);
        last = add_compute(out, "mtp.proj.fwd", std::move(proj), Phase::forward, -1, {last});
        last = forward_layer(workload_.model.layers + i, out, last);
        if (loss) last = head("mtp.head", last);
    }
    // The heads of MTP modules computed on an earlier chunk.
    if (loss)
        for (int i = 0; i < workload_.model.mtp_modules; ++i)
            if (i < first_mtp || i >= last_mtp) last = head("mtp.head", last);
    return last;
}

int LayerOps::backward_head(std::vector<Segment>& out, int entry, int first_mtp, int last_mtp, bool loss,
                            bool split_weight_grad, std::vector<Segment>* weight_out) const {
    const Dims d = dims_of(workload_, tokens_);
    int last = entry;
    auto after = [&] { return last < 0 ? std::vector<int>{} : std::vector<int>{last}; };
    auto add_backward = [&](const std::string& name, const std::vector<Kernel>& fwd) {
        std::vector<Kernel> in, wt;
        derive_backward(fwd, split_weight_grad && weight_out != nullptr, in, wt);
        const bool split = split_weight_grad && weight_out != nullptr;
        last = add_compute(out, name + (split ? ".dgrad" : ".bwd"), std::move(in), Phase::backward, -1, after());
        if (!wt.empty()) add_compute(*weight_out, name + ".wgrad", std::move(wt), Phase::weight_grad, -1, {});
    };
    const bool split = split_weight_grad && weight_out != nullptr;
    auto head_backward = [&](const std::string& name) {
        std::vector<Kernel> in, wt;
        head_projection_backward(workload_.model, d, split, in, wt);
        if (d.tp <= 1) {
            // One block: the projection's backward, then the norm's.
            std::vector<Kernel> norm_in, norm_wt;
            derive_backward({head_norm_kernel(d)}, split, norm_in, norm_wt);
            in.insert(in.end(), norm_in.begin(), norm_in.end());
        }
        last = add_compute(out, name + (split ? ".dgrad" : ".bwd"), std::move(in), Phase::backward, -1, after());
        if (!wt.empty()) add_compute(*weight_out, name + ".wgrad", std::move(wt), Phase::weight_grad, -1, {});
        if (d.tp <= 1) return;
        // The input gradient of the column-parallel output layer is summed over TP: reduce-
        // scattered back to the norm's slices with sequence parallelism, all-reduced without.
        last = add_comm(
            out, head_collective(d.sp ? CollectiveKind::reduce_scatter : CollectiveKind::all_reduce, d, placement_),
            Phase::backward, -1, after());
        add_backward(name + ".norm", {head_norm_kernel(d)});
    };
    // The reverse of forward_head's order.
    if (loss)
        for (int i = workload_.model.mtp_modules - 1; i >= 0; --i)
            if (i < first_mtp || i >= last_mtp) head_backward("mtp.head");
    for (int i = last_mtp - 1; i >= first_mtp; --i) {
        if (loss) head_backward("mtp.head");
        last = backward_layer(workload_.model.layers + i, out, last, split_weight_grad, weight_out);
        std::vector<Kernel> proj{elementwise(d.Tn * d.h * 4 * kActivationBytes)};
        add_gemm(proj, d.T, d.h / d.tp, 2 * d.h, d.gd);
        add_backward("mtp.proj", proj);
    }
    if (loss) head_backward("head");
    return last;
}

} // namespace tcsim::training
