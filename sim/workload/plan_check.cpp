// Plan checks gather every violation before throwing: a user fixing a layout by hand wants the
// whole list at once, not one error per run.
#include "workload/plan_check.hpp"

#include "workload/even_split.hpp"
#include "workload/pipeline_layout.hpp"

#include <string>
#include <utility>

namespace tcsim::workload {
namespace {

std::string join_message(const std::string& context, const std::vector<std::string>& problems) {
    std::string out = context + ": the parallel plan does not fit";
    for (const auto& p : problems) out += "\n  - " + p;
    return out;
}

std::string str(long long v) { return std::to_string(v); }

class Checker {
public:
    /// Without a cluster (`cluster` null) only the rules of the model and layout are checked.
    Checker(const topology::ClusterSpec* cluster, const Workload& workload)
        : c_(cluster != nullptr ? *cluster : no_cluster_), have_cluster_(cluster != nullptr), w_(workload),
          p_(workload.parallel) {}

    std::vector<std::string> run() {
        check_degrees();
        if (!problems_.empty()) return problems_; // the rules below divide by these degrees
        if (have_cluster_) check_gpu_count();
        check_tensor_parallel();
        check_expert_parallel();
        check_pipeline();
        check_batches();
        if (have_cluster_) check_hardware_support();
        return problems_;
    }

private:
    void fail(std::string message) { problems_.push_back(std::move(message)); }

    void check_degrees() {
        const std::pair<const char*, int> degrees[] = {{"tp", p_.tp},
                                                       {"pp", p_.pp},
                                                       {"dp", p_.dp},
                                                       {"cp", p_.cp},
                                                       {"ep", p_.ep},
                                                       {"etp", p_.etp},
                                                       {"micro_batch", p_.micro_batch_sequences},
                                                       {"virtual_stages", p_.virtual_stages}};
        for (const auto& [name, value] : degrees)
            if (value < 1) fail(std::string(name) + " = " + str(value) + " must be at least 1");
        if (p_.zero_stage < 0 || p_.zero_stage > 3)
            fail("zero_stage = " + str(p_.zero_stage) + " must be 0, 1, 2 or 3");
        if (!(p_.comm_fraction >= 0.0 && p_.comm_fraction < 1.0))
            fail("comm_fraction = " + std::to_string(p_.comm_fraction) + " must be at least 0 and below 1");
        // The unfused attention path (2021 Megatron-LM) has no ring: context parallelism needs it fused.
        if (p_.cp > 1 && !w_.training.flash_attention)
            fail("cp = " + str(p_.cp) +
                 " needs flash_attention = true: ring attention passes K/V blocks between fused "
                 "attention kernels, and the unfused path has no context parallelism");
        // Only MLA has a latent shared by every head to pass instead of the heads' K and V.
        if (p_.cp_pass == CpPass::latent && w_.model.attention.kind != AttentionKind::mla)
            fail("cp_pass = \"latent\" needs multi-head latent attention (attention kind \"mla\"): only MLA's "
                 "keys and values are up-projected from a latent every head shares; this model's attention is " +
                 std::string(w_.model.attention.kind == AttentionKind::gqa ? "grouped-query" : "multi-head") +
                 " (use cp_pass = \"kv\")");
        // Overlapping TP communication with the GEMMs splits sequence parallelism's all-gather and
        // reduce-scatter into chunks beside them; there is nothing to split without it (Megatron-LM
        // refuses --tp-comm-overlap without --sequence-parallel).
        if (p_.tp_comm_overlap && p_.tp > 1 && !p_.sequence_parallel)
            fail("tp_comm_overlap needs sequence_parallel = true: the overlap hides sequence parallelism's "
                 "all-gather and reduce-scatter behind the GEMMs (Megatron-LM refuses --tp-comm-overlap "
                 "without --sequence-parallel)");
        if (p_.overlap_param_gather && (p_.zero_stage < 1 || p_.zero_stage > 2))
            fail("overlap_param_gather needs zero_stage = 1 or 2: it overlaps the all-gather of the sharded "
                 "optimizer's updated parameters (zero_stage = " +
                 str(p_.zero_stage) +
                 (p_.zero_stage == 0 ? " has none" : " gathers each layer before it runs already") + ")");
        if (p_.ep_comm_overlap) check_ep_comm_overlap();
        if (have_cluster_ && (c_.gpus_per_node < 1 || c_.nodes < 1)) fail("the cluster has no GPUs");
    }

    /// Megatron-Core's combined 1F1B (--overlap-moe-expert-parallel-comm): what it asserts
    /// (docs/user-guide/features/moe_a2a_overlap.md, "Hard requirements").
    void check_ep_comm_overlap() {
        using S = PipelineSchedule;
        if (!w_.model.ffn.is_moe() || p_.ep < 2)
            fail("ep_comm_overlap needs expert parallelism (a MoE model with ep > 1): it overlaps the expert "
                 "dispatch and combine of one micro-batch with another's compute");
        if (p_.schedule == S::dualpipe)
            fail("ep_comm_overlap: DualPipe pairs its chunks' forward and backward already; the key is for "
                 "Megatron-Core's combined 1F1B");
        else if (!(p_.schedule == S::interleaved_1f1b || (p_.schedule == S::one_f_one_b && p_.pp == 1)))
            fail("ep_comm_overlap needs schedule = \"interleaved-1f1b\", or \"1f1b\" with pp = 1: Megatron-Core "
                 "runs its combined 1F1B with a virtual pipeline whenever PP > 1, found schedule = \"" +
                 std::string(to_string(p_.schedule)) + "\" with pp = " + str(p_.pp));
        if (p_.moe_dispatcher == MoeDispatcher::allgather)
            fail("ep_comm_overlap needs moe_dispatcher = \"alltoall\" or \"deepep\": the all-gather dispatcher "
                 "has no dispatch and combine to overlap (Megatron-Core asserts alltoall or flex)");
        if (w_.model.mtp_modules > 1)
            fail("ep_comm_overlap with " + str(w_.model.mtp_modules) +
                 " MTP modules: Megatron-Core's combined 1F1B takes zero or one");
    }

    void check_gpu_count() {
        const long long layout = static_cast<long long>(p_.tp) * p_.pp * p_.cp * p_.dp;
        const long long gpus = static_cast<long long>(c_.nodes) * c_.gpus_per_node;
        if (layout != gpus) {
            fail("layout TP" + str(p_.tp) + " x PP" + str(p_.pp) + " x CP" + str(p_.cp) + " x DP" + str(p_.dp) + " = " +
                 str(layout) + " GPUs, but the cluster has " + str(gpus) + " (" + str(c_.nodes) + " nodes x " +
                 str(c_.gpus_per_node) + ")");
        }
    }

    void check_tensor_parallel() {
        const AttentionSpec& a = w_.model.attention;
        if (a.heads % p_.tp != 0)
            fail("TP " + str(p_.tp) + " does not divide the " + str(a.heads) + " attention heads");
        // KV heads are split over TP while there are at least as many as ranks; below that each
        // is replicated on tp / kv_heads ranks (Megatron-Core with num_query_groups <
        // tensor_model_parallel_size; vLLM), so that every rank holds one whole KV head and the
        // query heads that read it.
        if (a.kind == AttentionKind::gqa && a.kv_heads >= p_.tp && a.kv_heads % p_.tp != 0)
            fail("TP " + str(p_.tp) + " does not divide the " + str(a.kv_heads) +
                 " key/value heads (GQA): with at least as many KV heads as TP ranks each rank holds kv_heads / tp "
                 "of them");
        if (a.kind == AttentionKind::gqa && a.kv_heads > 0 && a.kv_heads < p_.tp && p_.tp % a.kv_heads != 0)
            fail("TP " + str(p_.tp) + " is not a multiple of the " + str(a.kv_heads) +
                 " key/value heads (GQA): with fewer KV heads than TP ranks each KV head is replicated on tp / "
                 "kv_heads ranks, so that a rank's query heads all read one KV head");
        if (!have_cluster_) return;
        if (p_.tp > c_.gpus_per_node) {
            fail("TP " + str(p_.tp) + " exceeds the " + str(c_.gpus_per_node) +
                 " GPUs per node; tensor parallelism must stay inside one " + c_.gpu.scale_up_link + " domain");
        } else if (c_.gpus_per_node % p_.tp != 0) {
            fail("TP " + str(p_.tp) + " does not divide the " + str(c_.gpus_per_node) +
                 " GPUs per node, so TP groups would straddle nodes");
        }
    }

    void check_expert_parallel() {
        const FfnSpec& f = w_.model.ffn;
        if (!f.is_moe()) {
            if (p_.ep != 1)
                fail("EP " + str(p_.ep) + " needs a mixture-of-experts model, but the model has no routed experts");
            if (p_.etp != 1)
                fail("ETP " + str(p_.etp) + " needs a mixture-of-experts model, but the model has no routed experts");
            return;
        }
        // Megatron-Core's MoE parallel folding: the expert layout (ETP x EP x expert-DP) is drawn
        // from the same TP x CP x DP ranks of a stage as the attention layout.
        const long long stage = static_cast<long long>(p_.tp) * p_.cp * p_.dp;
        const long long folded = static_cast<long long>(p_.ep) * p_.etp;
        if (stage % folded != 0)
            fail("EP " + str(p_.ep) + " x ETP " + str(p_.etp) + " = " + str(folded) +
                 " does not divide TP x CP x DP = " + str(p_.tp) + " x " + str(p_.cp) + " x " + str(p_.dp) + " = " +
                 str(stage) +
                 ": the expert layout is folded over the attention layout's ranks of a pipeline stage "
                 "(Megatron-Core MoE parallel folding)");
        if (f.routed_experts % p_.ep != 0)
            fail("EP " + str(p_.ep) + " does not divide the " + str(f.routed_experts) + " routed experts");
        if (f.expert_intermediate % p_.etp != 0)
            fail("ETP " + str(p_.etp) +
                 " does not divide the experts' width expert_intermediate = " + str(f.expert_intermediate));
        // A job placed on part of each switched domain (scale_up.hpp: Slurm block scheduling's
        // segments) is placed so that expert groups stay inside one domain: an expert group
        // either fits a domain's share or spans whole shares, never half of one.
        const int share = c_.gpus_per_node;
        if (have_cluster_ && c_.scale_up.domain_gpus > 0 && share % folded != 0 && folded % share != 0)
            fail("EP " + str(p_.ep) + " x ETP " + str(p_.etp) + " = " + str(folded) + " neither divides nor is a " +
                 "multiple of the job's " + str(share) + " GPUs per scale-up domain ([scale_up] job_gpus = " +
                 str(share) + " of " + str(c_.scale_up.domain_gpus) + "): expert groups would straddle two " +
                 c_.gpu.scale_up_link + " domains, which placing the job on part of each domain is meant to prevent");
        if (have_cluster_ && p_.etp > c_.gpus_per_node) {
            fail("ETP " + str(p_.etp) + " exceeds the " + str(c_.gpus_per_node) +
                 " GPUs per node; expert tensor parallelism, like TP, must stay inside one " + c_.gpu.scale_up_link +
                 " domain");
        } else if (have_cluster_ && c_.gpus_per_node % p_.etp != 0) {
            fail("ETP " + str(p_.etp) + " does not divide the " + str(c_.gpus_per_node) +
                 " GPUs per node, so ETP groups would straddle nodes");
        }
    }

    void check_pipeline() {
        const int layers = w_.model.layers;
        if (p_.schedule == PipelineSchedule::dualpipe && p_.pp % 2 != 0)
            fail("schedule dualpipe needs an even number of pipeline stages (it runs micro-batches from both "
                 "ends, pairing stage i with stage PP - 1 - i), found PP " +
                 str(p_.pp));
        if (!p_.pipeline_layout.empty()) {
            // A custom layout places every unit itself: its counts must match the model and PP x VPP.
            const int chunks = p_.schedule == PipelineSchedule::interleaved_1f1b ? p_.pp * p_.virtual_stages : p_.pp;
            try {
                for (const std::string& problem : check_pipeline_layout(parse_pipeline_layout(p_.pipeline_layout),
                                                                        layers, w_.model.mtp_modules, chunks))
                    fail(problem);
            } catch (const std::invalid_argument& e) {
                fail(e.what());
            }
            return;
        }
        // The embedding and the head count as units of their own when the split accounts for them.
        const int units = layers + (p_.split_embedding_and_loss ? 2 : 0);
        const std::string what =
            p_.split_embedding_and_loss
                ? str(layers) + " layers with the embedding and the head (" + str(units) + " units)"
                : str(layers) + " layers";
        if (p_.pp > units) fail("PP " + str(p_.pp) + " exceeds the " + what);
        if (p_.pp <= units && static_cast<long long>(p_.pp) * p_.virtual_stages > units)
            fail("PP " + str(p_.pp) + " x " + str(p_.virtual_stages) + " virtual stages = " +
                 str(static_cast<long long>(p_.pp) * p_.virtual_stages) + " model chunks exceeds the " + what);
        if (p_.pipeline_split == PipelineSplit::even && p_.pp <= units &&
            static_cast<long long>(p_.pp) * p_.virtual_stages <= units)
            for (const std::string& problem : even_split(layers, p_).problems) fail(problem);
        if (p_.pipeline_split != PipelineSplit::even && (p_.first_stage_layers > 0 || p_.last_stage_layers > 0))
            fail("first_stage_layers / last_stage_layers apply only to pipeline_split = \"even\", found \"" +
                 std::string(to_string(p_.pipeline_split)) + "\"");
    }

    void check_batch(const std::string& what, long long sequences) {
        const long long per_step = static_cast<long long>(p_.dp) * p_.micro_batch_sequences;
        if (sequences % per_step != 0) {
            fail(what + " of " + str(sequences) + " sequences is not divisible by DP " + str(p_.dp) +
                 " x micro-batch " + str(p_.micro_batch_sequences) + " = " + str(per_step));
            return;
        }
        // The step is simulated op by op: its work grows with the micro-batches each pipeline
        // runs times the layers each passes through. Bounded so an absurd batch is refused at
        // once rather than simulated for hours (issue 15).
        const long long micro_batches = sequences / per_step;
        const long long passes = micro_batches * (w_.model.layers + w_.model.mtp_modules);
        if (passes > kMaxLayerPassesPerStep)
            fail(what + " of " + str(sequences) + " sequences is " + str(micro_batches) +
                 " micro-batches per pipeline per step (DP " + str(p_.dp) + ", micro-batch " +
                 str(p_.micro_batch_sequences) + "), " + str(passes) + " layer passes: more than the " +
                 str(kMaxLayerPassesPerStep) +
                 " tcsim simulates in one step (a larger micro-batch or DP, or a smaller batch, brings it within)");
    }

    void check_seq_len(const std::string& what, long long seq_len) {
        if (seq_len % p_.cp != 0) fail(what + " " + str(seq_len) + " is not divisible by CP " + str(p_.cp));
    }

    void check_batches() {
        const TrainingSpec& t = w_.training;
        check_batch("global batch", t.global_batch_sequences);
        check_seq_len("seq_len", t.seq_len);
        if (t.ramp.start_sequences > 0) check_batch("batch ramp start", t.ramp.start_sequences);
        for (std::size_t i = 0; i < t.extension.size(); ++i) {
            const ExtensionStage& e = t.extension[i];
            const std::string stage = "extension stage " + std::to_string(i + 1) + " (seq_len " + str(e.seq_len) + ")";
            // An extension stage's batch need not suit the pre-training layout: the run model
            // prices it at the nearest batch this layout can run and its report says so.
            check_seq_len(stage + ": seq_len", e.seq_len);
        }
    }

    void check_hardware_support() {
        const auto check_dtype = [&](const char* key, hardware::Dtype d) {
            if (c_.gpu.peak(d).value() <= 0.0)
                fail(std::string(key) + " = " + std::string(hardware::to_string(d)) + " is not supported by the " +
                     c_.gpu.name + " (the catalog gives it no " + std::string(hardware::to_string(d)) + " peak)");
        };
        check_dtype("gemm_dtype", w_.training.gemm_dtype);
        check_dtype("attention_dtype", w_.training.attention_dtype);
    }

    topology::ClusterSpec no_cluster_;
    const topology::ClusterSpec& c_;
    bool have_cluster_;
    const Workload& w_;
    const ParallelSpec& p_;
    std::vector<std::string> problems_;
};

} // namespace

PlanError::PlanError(std::string context, std::vector<std::string> problems)
    : std::runtime_error(join_message(context, problems)), problems_(std::move(problems)) {}

void check_plan(const topology::ClusterSpec& cluster, const Workload& workload) {
    auto problems = Checker(&cluster, workload).run();
    if (!problems.empty())
        throw PlanError("workload '" + workload.name + "' on cluster '" + cluster.name + "'", std::move(problems));
}

void check_layout(const Workload& workload) {
    auto problems = Checker(nullptr, workload).run();
    if (!problems.empty()) throw PlanError("workload '" + workload.name + "'", std::move(problems));
}

} // namespace tcsim::workload
