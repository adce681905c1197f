// Models and a GPU the serving tests share, written out with their sources.
#pragma once

#include "topology/cluster.hpp"
#include "workload/model_spec.hpp"

namespace tcsim::serve::test {

// Llama 2 70B: Hugging Face meta-llama/Llama-2-70b-hf config.json: 80 layers, hidden 8192,
// 64 heads, 8 key-value heads (GQA), head dim 128, intermediate 28672 (SwiGLU), vocab 32000,
// untied embeddings.
inline workload::ModelSpec llama2_70b() {
    workload::ModelSpec m;
    m.name = "llama2-70b";
    m.layers = 80;
    m.hidden = 8192;
    m.vocab = 32000;
    m.attention.kind = workload::AttentionKind::gqa;
    m.attention.heads = 64;
    m.attention.kv_heads = 8;
    m.attention.head_dim = 128;
    m.ffn.dense_intermediate = 28672;
    return m;
}

// DeepSeek-V3: github deepseek-ai/DeepSeek-V3 inference/configs/config_671B.json: 61 layers,
// hidden 7168, vocab 129280, MLA (128 heads, q_lora 1536, kv_lora 512, qk_nope 128, qk_rope 64,
// v 128), first 3 layers dense (18432), then 256 routed + 1 shared experts of 2048, top 8.
inline workload::ModelSpec deepseek_v3() {
    workload::ModelSpec m;
    m.name = "deepseek-v3";
    m.layers = 61;
    m.hidden = 7168;
    m.vocab = 129280;
    m.attention.kind = workload::AttentionKind::mla;
    m.attention.heads = 128;
    m.attention.q_lora_rank = 1536;
    m.attention.kv_lora_rank = 512;
    m.attention.qk_nope_head_dim = 128;
    m.attention.qk_rope_head_dim = 64;
    m.attention.v_head_dim = 128;
    m.ffn.dense_intermediate = 18432;
    m.ffn.first_dense_layers = 3;
    m.ffn.routed_experts = 256;
    m.ffn.shared_experts = 1;
    m.ffn.expert_intermediate = 2048;
    m.ffn.top_k = 8;
    return m;
}

// An H800 node as tests need it: the H100 SXM datasheet's 3.35 TB/s HBM3 and 80 GB, 989.4
// dense BF16 TFLOP/s and 1978.9 FP8 (NVIDIA H100 datasheet; the H800 keeps them and cuts
// NVLink to 400 GB/s bidirectional). Efficiencies are round test values, not calibrated ones:
// the closed forms below use the same ones.
inline topology::ClusterSpec h800_nodes(int nodes) {
    topology::ClusterSpec c;
    c.name = "test";
    c.gpu.name = "H800-SXM";
    c.gpu.hbm_capacity = units::gigabytes(80);
    c.gpu.hbm_bandwidth = units::gigabytes_per_second(3350);
    c.gpu.dense_peak[static_cast<int>(hardware::Dtype::bf16)] = units::teraflops(989.4);
    c.gpu.dense_peak[static_cast<int>(hardware::Dtype::fp8)] = units::teraflops(1978.9);
    c.gpu.nvlink_bidirectional = units::gigabytes_per_second(400);
    c.nodes = nodes;
    c.gpus_per_node = 8;
    c.nvlink_per_direction = units::gigabytes_per_second(200);
    c.nics_per_node = 8;
    c.nic_bandwidth = units::gigabits_per_second(400);
    auto& e = c.efficiency.compute;
    e.gemm_bf16 = {0.7, 0, 0, 0, 1.0, std::nullopt};
    e.gemm_fp8 = {0.6, 0, 0, 0, 1.0, std::nullopt};
    e.attention_forward = 0.5;
    e.memory = 0.8;
    e.kernel_launch = units::Seconds(0.0);
    c.efficiency.links.set_fraction("nvlink", 0.8);
    c.efficiency.links.set_fraction("network", 0.9);
    return c;
}

} // namespace tcsim::serve::test
