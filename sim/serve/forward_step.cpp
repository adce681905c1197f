#include "serve/forward_step.hpp"

#include "serve/kv_cache.hpp"
#include "serve/serve_error.hpp"
#include "workload/model_math.hpp"

#include <algorithm>
#include <cmath>
#include <string>

namespace tcsim::serve {

namespace {

using units::Bytes;
using units::Seconds;

bool has_experts(const workload::ModelSpec& model) { return model.ffn.is_moe(); }

/// Routed experts one GPU holds per MoE layer (copies included); with ep = 1 every GPU holds all
/// of them, each split by tp.
double experts_per_gpu(const workload::ModelSpec& model, const ServeLayout& layout) {
    if (layout.ep <= 1) return model.ffn.routed_experts;
    return static_cast<double>(model.ffn.routed_experts + layout.redundant_experts) / layout.ep;
}

/// The share of one expert's weights a GPU holds: 1/tp without EP, whole experts with it.
double expert_split(const ServeLayout& layout) { return layout.ep <= 1 ? 1.0 / layout.tp : 1.0; }

/// Ring all-reduce of `bytes` over `n` GPUs at `bw`: 2 (n - 1)/n x bytes / bw (Patarasuk and
/// Yuan 2009, the bandwidth-optimal all-reduce NCCL's ring implements).
Seconds ring_all_reduce(Bytes bytes, int n, units::Bandwidth bw) {
    if (n <= 1) return Seconds(0.0);
    return bytes * (2.0 * (n - 1) / n) / bw;
}

/// Other nodes one token's activation crosses the network to in an expert dispatch. DeepEP's
/// normal kernels (github deepseek-ai/DeepEP README, "forwarding data from NVLink domain to
/// RDMA domain") send a token once to each node holding one of its experts and forward it on
/// NVLink there. With the ep GPUs on N = ep / gpus_per_node nodes and top_k experts drawn
/// uniformly, a node escapes a token with probability (1 - 1/N)^top_k, so a token reaches
/// N (1 - (1 - 1/N)^top_k) nodes, at most max_nodes_per_token (node-limited routing,
/// DeepSeek-V3 Sec. 2.1.2), its own node being one of them as likely as any other.
double remote_nodes_per_token(const workload::ModelSpec& model, const ServeLayout& layout,
                              const topology::ClusterSpec& cluster) {
    const double nodes = static_cast<double>(layout.ep) / cluster.gpus_per_node;
    if (nodes <= 1) return 0.0;
    double reached = nodes * (1.0 - std::pow(1.0 - 1.0 / nodes, model.ffn.top_k));
    if (model.ffn.max_nodes_per_token > 0)
        reached = std::min(reached, static_cast<double>(model.ffn.max_nodes_per_token));
    return reached * (1.0 - 1.0 / nodes);
}

} // namespace

LayerRange stage_layers(int layers, int pp, int stage) {
    const int base = layers / pp;
    const int extra = layers % pp;
    const int first = stage * base + std::min(stage, extra);
    return {first, first + base + (stage < extra ? 1 : 0)};
}

void check_layout(const workload::ModelSpec& model, const ServeLayout& l, const char* what) {
    const std::string w = what;
    if (l.tp < 1 || l.dp < 1 || l.pp < 1 || l.ep < 1)
        throw ServeError(w + ": tp, dp, pp and ep must each be at least 1");
    if (model.attention.heads % l.tp != 0)
        throw ServeError(w + ": tp " + std::to_string(l.tp) + " must divide the model's " +
                         std::to_string(model.attention.heads) + " attention heads");
    if (l.pp > model.layers)
        throw ServeError(w + ": pp " + std::to_string(l.pp) + " exceeds the model's " + std::to_string(model.layers) +
                         " layers");
    if (l.redundant_experts < 0) throw ServeError(w + ": redundant experts must be at least 0");
    if (l.ep > 1) {
        if (!has_experts(model))
            throw ServeError(w + ": ep " + std::to_string(l.ep) + " needs an MoE model; " + model.name + " is dense");
        if (l.ep != l.tp * l.dp)
            throw ServeError(w + ": ep " + std::to_string(l.ep) + " must equal tp x dp = " +
                             std::to_string(l.tp * l.dp) + " (the routed experts spread over every GPU of a stage)");
        if ((model.ffn.routed_experts + l.redundant_experts) % l.ep != 0)
            throw ServeError(w + ": ep " + std::to_string(l.ep) + " must divide the " +
                             std::to_string(model.ffn.routed_experts) + " routed experts plus " +
                             std::to_string(l.redundant_experts) + " redundant copies");
    } else if (l.redundant_experts > 0) {
        throw ServeError(w + ": redundant experts need ep > 1");
    }
}

units::Bytes weight_bytes_per_gpu(const workload::ModelSpec& model, const ServeLayout& layout, hardware::Dtype weights,
                                  int stage) {
    const LayerRange r = stage_layers(model.layers, layout.pp, stage);
    const double b = hardware::bytes_per_element(weights);
    double elements = 0;
    for (int layer = r.first; layer < r.last; ++layer) {
        const workload::LayerParameters p = workload::layer_parameters(model, layer);
        elements += p.other / layout.tp;
        if (p.routed_experts > 0)
            elements +=
                p.routed_experts / model.ffn.routed_experts * experts_per_gpu(model, layout) * expert_split(layout);
    }
    const workload::ParameterCounts counts = workload::count_parameters(model);
    if (stage == 0) elements += counts.embedding / layout.tp;
    if (stage == layout.pp - 1) elements += counts.output_head / layout.tp;
    return Bytes(elements * b);
}

ForwardStep forward_step(const workload::ModelSpec& model, const ServeSpec& spec, const ServeLayout& layout,
                         const topology::ClusterSpec& cluster, const compute::ComputeModel& compute, Phase phase,
                         double tokens, double context) {
    const auto& a = model.attention;
    const double wb = hardware::bytes_per_element(spec.weight_dtype);
    const double act = hardware::bytes_per_element(spec.activation_dtype);
    const double h = model.hidden;
    const auto& links = cluster.efficiency.links;
    const units::Bandwidth nvlink = cluster.nvlink_per_direction * links.fraction("nvlink");
    const units::Bandwidth network = cluster.network_per_gpu() * links.fraction("network");
    // Sequences in the batch: decode one token each; prefill whole prompts.
    const double sequences = phase == Phase::decode ? tokens : std::max(1.0, tokens / context);
    const int heads_per_gpu = a.heads / layout.tp;

    ForwardStep out;
    for (int stage = 0; stage < layout.pp; ++stage) {
        const LayerRange r = stage_layers(model.layers, layout.pp, stage);
        StageStep s;
        compute::ComputeBlock block;
        auto add = [&](compute::OpClass cls, double flops, double bytes, hardware::Dtype dtype,
                       compute::GemmShape shape) {
            block.kernels.push_back(
                compute::Kernel{cls, compute::KernelRole::other, units::Flops(flops), Bytes(bytes), dtype, shape});
            s.flops += units::Flops(flops);
        };
        for (int layer = r.first; layer < r.last; ++layer) {
            const workload::LayerParameters p = workload::layer_parameters(model, layer);
            // Everything but the routed experts: 2 FLOPs per weight per token.
            const double other = p.other / layout.tp;
            add(compute::OpClass::gemm, 2.0 * tokens * other, other * wb, spec.weight_dtype,
                {tokens, h, std::max(1.0, other / h)});
            s.weights_read += Bytes(other * wb);
            // The attention core.
            double core_flops = 0;
            double kv_bytes = 0;
            if (phase == Phase::decode) {
                const double per_key = a.kind == workload::AttentionKind::mla
                                           ? 2.0 * (a.kv_lora_rank + a.qk_rope_head_dim) + 2.0 * a.kv_lora_rank
                                           : 2.0 * (a.qk_head_dim() + a.v_dim());
                const double keys = model.is_windowed_layer(layer)
                                        ? std::min(context, static_cast<double>(a.sliding_window + a.sink_tokens))
                                        : context;
                core_flops = tokens * heads_per_gpu * per_key * keys;
                kv_bytes = sequences *
                           kv_bytes_of_sequence(model, layer, layer + 1, context, layout.tp, spec.kv_dtype).value();
            } else {
                core_flops = tokens *
                             workload::layer_forward_flops_per_token(model, layer, static_cast<int>(context), true)
                                 .attention_core /
                             layout.tp;
                kv_bytes = tokens * kv_bytes_per_token_layer(model, layout.tp, spec.kv_dtype).value();
            }
            add(compute::OpClass::attention_forward, core_flops, kv_bytes, hardware::Dtype::bf16, {});
            s.kv_read += Bytes(kv_bytes);
            // The routed experts.
            if (p.routed_experts > 0) {
                const double E = model.ffn.routed_experts;
                const double expert = p.routed_experts / E * expert_split(layout);
                const double stage_pairs = tokens * model.ffn.top_k * (layout.ep > 1 ? layout.dp : 1);
                const double pairs = layout.ep > 1 ? stage_pairs / layout.ep : stage_pairs;
                const double held = experts_per_gpu(model, layout);
                // A token picks top_k distinct experts: a given expert escapes it with probability
                // 1 - top_k/E, and escapes every token of the stage with (1 - top_k/E)^tokens.
                const double stage_tokens = tokens * (layout.ep > 1 ? layout.dp : 1);
                const double touched = held * (1.0 - std::pow(1.0 - model.ffn.top_k / E, stage_tokens));
                const double per_expert_tokens = std::max(1.0, pairs / held);
                add(compute::OpClass::grouped_gemm, 2.0 * pairs * expert, touched * expert * wb, spec.weight_dtype,
                    {per_expert_tokens, h, std::max(1.0, expert / h),
                     static_cast<int>(std::max(1.0, std::round(touched)))});
                s.weights_read += Bytes(touched * expert * wb);
                if (layout.ep > 1) {
                    // Dispatch in the weight dtype (FP8, DeepSeek day 6), combine in activations.
                    const double per_copy = tokens * h * (wb + act);
                    s.communication +=
                        std::max(Bytes(per_copy * remote_nodes_per_token(model, layout, cluster)) / network,
                                 Bytes(per_copy * model.ffn.top_k) / nvlink);
                }
            }
            s.communication += 2.0 * ring_all_reduce(Bytes(tokens * h * act), layout.tp, nvlink);
        }
        const workload::ParameterCounts counts = workload::count_parameters(model);
        if (stage == layout.pp - 1) {
            const double head = (counts.output_head > 0 ? counts.output_head : counts.embedding) / layout.tp;
            const double rows = phase == Phase::decode ? tokens : sequences;
            add(compute::OpClass::gemm, 2.0 * rows * head, head * wb, spec.weight_dtype,
                {rows, std::max(1.0, head / h), h});
            s.weights_read += Bytes(head * wb);
        } else {
            const units::Bandwidth link = layout.tp * layout.dp >= cluster.gpus_per_node ? network : nvlink;
            s.communication += Bytes(tokens * h * act) / link;
        }
        s.compute = compute.block_time(block);
        s.time = spec.overlap_communication ? std::max(s.compute, s.communication) : s.compute + s.communication;
        out.latency += s.time;
        if (s.time > out.slowest.time) out.slowest = s;
    }
    return out;
}

} // namespace tcsim::serve
