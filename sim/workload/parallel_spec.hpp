// The parallel layout and pipeline schedule of a training job.
#pragma once

#include <compare>
#include <string>
#include <string_view>

namespace tcsim::workload {

enum class PipelineSchedule { gpipe, one_f_one_b, interleaved_1f1b, zero_bubble, dualpipe };

constexpr std::string_view to_string(PipelineSchedule s) {
    switch (s) {
    case PipelineSchedule::gpipe: return "gpipe";
    case PipelineSchedule::one_f_one_b: return "1f1b";
    case PipelineSchedule::interleaved_1f1b: return "interleaved-1f1b";
    case PipelineSchedule::zero_bubble: return "zero-bubble";
    case PipelineSchedule::dualpipe: return "dualpipe";
    }
    return "?";
}

/// How routed tokens reach their experts (Megatron-LM --moe-token-dispatcher-type).
enum class MoeDispatcher {
    /// NCCL's all-to-all over EP (--moe-token-dispatcher-type alltoall): every token copy sent to
    /// the rank holding its expert, a token routed to two experts of one rank (or node) sent twice.
    alltoall,
    /// Every rank gathers all tokens of the EP x ETP group and keeps those for its experts.
    allgather,
    /// DeepEP's normal kernels (--moe-token-dispatcher-type flex with DeepEP; DeepSeek's own
    /// training): a token crosses the network once per node it needs and NVLink once per GPU.
    deepep,
};

constexpr std::string_view to_string(MoeDispatcher d) {
    switch (d) {
    case MoeDispatcher::alltoall: return "alltoall";
    case MoeDispatcher::allgather: return "allgather";
    case MoeDispatcher::deepep: return "deepep";
    }
    return "?";
}

/// What travels around the context-parallel ring with each block of keys (workload key cp_pass).
enum class CpPass {
    /// Every head's K and V (pass-KV ring attention: Transformer Engine's p2p context parallelism
    /// as Megatron-LM --cp-comm-type p2p runs it; Llama 3, arXiv:2411.01783): (qk + v) x KV heads
    /// per token, for MLA the decompressed 128 x (192 + 128) values.
    kv,
    /// MLA only: the compressed latent c_KV and the shared RoPE key (kv_lora_rank +
    /// qk_rope_head_dim values per token), each rank up-projecting every block it receives into
    /// its heads' K and V before attending to it; the backward sends the latent's gradient back
    /// with it. DeepSeek-V3's 576 values against 40,960 per token; implemented as "pass latent" in
    /// pith-train (github.com/mlc-ai/pith-train PR 43: 5.3x tokens/s at 32K CP8 on DeepSeek-V2-Lite)
    /// and as the all-gather of the down-projected KV in torchtitan and prime-rl.
    latent,
};

constexpr std::string_view to_string(CpPass c) { return c == CpPass::latent ? "latent" : "kv"; }

/// How the layers are split into pipeline stages.
enum class PipelineSplit {
    /// Contiguous stages minimising the largest stage's forward FLOPs (the embedding on the first
    /// stage, the output head and loss on the last weighed by their own FLOPs): what a framework
    /// that profiles or balances by cost would reach; tcsim's default.
    balanced,
    /// Equal layer counts per model chunk, whatever the ends cost, as Megatron-LM / Megatron-Core
    /// split them (transformer_block.py get_num_layers_to_build: num_layers / PP per rank, / VPP
    /// per chunk, asserted divisible; the embedding rides on the first chunk and the output layer
    /// and loss on the last), optionally with explicit first and last stage layer counts
    /// (--decoder-first/last-pipeline-num-layers) or with the ends counted as one layer each
    /// (--account-for-embedding/loss-in-pipeline-split; DeepSpeed's PipelineModule with
    /// partition_method "type:transformer|embedding" gives the same counts).
    even,
};

constexpr std::string_view to_string(PipelineSplit s) { return s == PipelineSplit::even ? "even" : "balanced"; }

struct ParallelSpec {
    int tp = 1; ///< tensor parallel (innermost, inside a node)
    int pp = 1; ///< pipeline stages
    int dp = 1; ///< data parallel replicas (tp * pp * cp * dp = GPUs)
    int cp = 1; ///< context parallel
    CpPass cp_pass = CpPass::kv; ///< what the context-parallel ring passes (MLA may pass its latent)
    /// Expert parallelism and expert tensor parallelism, folded over the same TP x CP x DP ranks
    /// of a stage as the attention layout (Megatron-Core MoE parallel folding, arXiv:2504.14960):
    /// EP x ETP divides TP x CP x DP; the expert-data-parallel degree is the quotient.
    int ep = 1;
    int etp = 1; ///< expert tensor parallel (Megatron-LM --expert-tensor-parallel-size)
    MoeDispatcher moe_dispatcher = MoeDispatcher::alltoall;
    bool sequence_parallel = false; ///< Megatron SP with TP
    int micro_batch_sequences = 1;
    PipelineSchedule schedule = PipelineSchedule::one_f_one_b;
    int virtual_stages = 1; ///< interleaved 1F1B model chunks per rank
    int zero_stage = 1;     ///< 0-3
    /// Fraction of the GPU's compute units (SMs, CUs, cores) that overlapped communication kernels
    /// hold, the same fraction on any GPU: DeepSeek-V3's 20 of 132 H800 SMs is 20/132 (sec. 3.2.2),
    /// never 20 of an Ascend's 24 cores. Workload key comm_fraction, or comm_sms with comm_sms_of.
    /// Compute loses them only where the schedule runs that communication beside it: see
    /// compute_units_held().
    double comm_fraction = 0.0;
    /// Tensor-parallel collectives overlapped with the GEMMs next to them (Megatron-LM
    /// --tp-comm-overlap, Transformer Engine userbuffers); otherwise they sit on the critical path.
    bool tp_comm_overlap = false;
    /// Data-parallel gradient reduction bucketed per layer and started as the last
    /// micro-batch's backward passes each layer (Megatron-LM --overlap-grad-reduce, PyTorch DDP,
    /// DeepSpeed); false: one reduction after the whole backward pass, as Megatron-LM's 2021
    /// local DDP did (training.py: model.allreduce_gradients() after forward_backward_func).
    bool overlap_grad_reduce = true;
    /// With a sharded optimizer (ZeRO-1/2): the updated parameters are all-gathered per layer at
    /// the start of the next step, each layer's first forward waiting only for its own
    /// (Megatron-LM --overlap-param-gather, FSDP's forward prefetch); false: one all-gather after
    /// the optimizer, on the step's critical path.
    bool overlap_param_gather = false;
    /// Megatron-Core's combined 1F1B (--overlap-moe-expert-parallel-comm, "EP A2A overlap",
    /// MCore v0.14): the steady state's forward of one micro-batch and backward of another run
    /// layer by layer together, each one's expert dispatch and combine overlapping the other's
    /// compute, as DualPipe's paired chunks do. Needs EP > 1 and interleaved 1F1B (or 1F1B at
    /// PP1); --delay-wgrad-compute is not modelled apart from it.
    bool ep_comm_overlap = false;
    /// The pipeline split counts the input embedding and the output head with its loss as one
    /// unit each, beside the layers, so that a model chunk may hold only one of them
    /// (Megatron-LM --account-for-embedding-in-pipeline-split and
    /// --account-for-loss-in-pipeline-split; Llama 3, arXiv:2407.21783 sec. 3.3.2); false: the
    /// embedding rides with the first layer and the head with the last.
    bool split_embedding_and_loss = false;
    /// How layers are assigned to stages (workload key pipeline_split).
    PipelineSplit pipeline_split = PipelineSplit::balanced;
    /// With the even split: layers on the first and the last pipeline rank (all of that rank's
    /// virtual chunks together), the other ranks sharing the rest equally (Megatron-Core
    /// num_layers_in_first_pipeline_stage / num_layers_in_last_pipeline_stage,
    /// --decoder-first-pipeline-num-layers / --decoder-last-pipeline-num-layers); 0: not set.
    int first_stage_layers = 0;
    int last_stage_layers = 0;
    /// Megatron-Core's --pipeline-model-parallel-layout (workload/pipeline_layout.hpp): what each
    /// model chunk holds, replacing pipeline_split; empty: not set.
    std::string pipeline_layout;

    [[nodiscard]] int gpus() const { return tp * pp * cp * dp; }
    /// Whether the schedule runs expert and pipeline communication beside compute for the whole
    /// steady state: DualPipe's paired chunks, or Megatron-Core's combined 1F1B (ep_comm_overlap).
    [[nodiscard]] bool overlaps_comm_with_compute() const {
        return schedule == PipelineSchedule::dualpipe || ep_comm_overlap;
    }
    /// The fraction of compute units the step's compute kernels lose to communication kernels:
    /// comm_fraction where the schedule overlaps them (DeepSeek-V3 sec. 3.2.2 dedicates its 20 SMs
    /// for that reason), else 0. A communication kernel holds its SMs only while it runs (DeepEP's
    /// Buffer.set_num_sms sets how many its kernels launch on); when nothing computes beside it,
    /// as in 1F1B or interleaved 1F1B without ep_comm_overlap, compute has the whole GPU.
    /// (Approximation: the shared experts that such a layer runs during its dispatch are priced
    /// on the whole GPU.)
    [[nodiscard]] double compute_units_held() const { return overlaps_comm_with_compute() ? comm_fraction : 0.0; }
    /// Field by field, so that layouts can key caches (run/run_model.cpp).
    auto operator<=>(const ParallelSpec&) const = default;
};

} // namespace tcsim::workload
