// Mixture-of-experts layouts as Megatron-Core runs them: with tensor parallelism the tokens are
// split over the TP ranks before routing (so no expert token is computed twice), expert tensor
// parallelism (ETP) splits each expert's width independently of attention TP, and the expert
// layout is folded over the attention layout's ranks (arXiv:2504.14960).
#include "config/config_files.hpp"
#include "config/load_cluster.hpp"
#include "config/load_workload.hpp"
#include "training/memory_model.hpp"
#include "training/program_builder.hpp"
#include "training/step_simulator.hpp"
#include "workload/plan_check.hpp"

#include <doctest/doctest.h>

#include <set>
#include <string>

using namespace tcsim;
using compute::OpClass;

namespace {

struct Loaded {
    topology::ClusterSpec cluster;
    workload::Workload workload;
};

Loaded deepseek_v3() {
    const config::DiskFiles files;
    return {config::load_cluster(files, "topologies/deepseek-v3-h800.toml"),
            config::load_workload(files, "workloads/deepseek-v3.toml")};
}

/// DeepSeek-V3's workload under interleaved 1F1B instead of DualPipe, at PP `pp` x VPP `vpp` x DP `dp`.
workload::Workload interleaved(workload::Workload w, int pp, int vpp, int dp) {
    w.parallel.schedule = workload::PipelineSchedule::interleaved_1f1b;
    w.parallel.pp = pp;
    w.parallel.virtual_stages = vpp;
    w.parallel.dp = dp;
    return w;
}

/// FLOPs of kernels of class `cls` that every GPU of the cluster runs in one step, summed over
/// the GPUs (symmetric mode: each representative rank stands for gpus_per_rank GPUs).
double cluster_flops(const training::Program& program, OpClass cls) {
    double sum = 0;
    for (const auto& op : program.ops) {
        if (!op.is_compute()) continue;
        for (const auto& k : program.blocks[static_cast<std::size_t>(op.block)].kernels)
            if (k.cls == cls) sum += k.flops.value();
    }
    return sum * program.gpus_per_rank;
}

/// Per representative rank (one GPU of each pipeline rank).
std::vector<double> rank_flops(const training::Program& program, OpClass cls) {
    std::vector<double> out(static_cast<std::size_t>(program.ranks), 0.0);
    for (const auto& op : program.ops) {
        if (!op.is_compute()) continue;
        for (const auto& k : program.blocks[static_cast<std::size_t>(op.block)].kernels)
            if (k.cls == cls) out[static_cast<std::size_t>(op.rank)] += k.flops.value();
    }
    return out;
}

workload::Workload with_layout(workload::Workload w, int tp, int dp, int ep, int etp) {
    w.parallel.tp = tp;
    w.parallel.dp = dp;
    w.parallel.ep = ep;
    w.parallel.etp = etp;
    w.parallel.sequence_parallel = tp > 1;
    return w;
}

} // namespace

TEST_CASE("DeepSeek-V3: expert GEMM FLOPs per GPU are the same at TP1 and TP2 (tokens split over TP before routing)") {
    const auto [cluster, base] = deepseek_v3();
    const int seq = base.training.seq_len;
    const int batch = base.training.global_batch_sequences;
    const auto& f = base.model.ffn;
    // Every token visits top_k experts in each MoE layer (58 of 61, plus the MoE block of the
    // MTP module); each expert is a SwiGLU of three h x I matrices; forward, input gradient and
    // weight gradient are three GEMM passes of 2mnk each.
    const double moe_layers = base.model.layers - f.first_dense_layers + base.model.mtp_modules;
    const double expected =
        double(batch) * seq * f.top_k * moe_layers * 3.0 * 2.0 * 3.0 * base.model.hidden * f.expert_intermediate;
    const auto tp1 = training::build_program(cluster, base, seq, batch);
    // TP2 with the same 2,048 GPUs: DP halves; EP64 folded over TP x DP keeps each expert group
    // on the same 64 consecutive GPUs (8 nodes), so the experts are placed the same way.
    const auto w2 = with_layout(base, 2, 64, 64, 1);
    workload::check_plan(cluster, w2);
    const auto tp2 = training::build_program(cluster, w2, seq, batch);
    CHECK(cluster_flops(tp1, OpClass::grouped_gemm) == doctest::Approx(expected).epsilon(1e-12));
    CHECK(cluster_flops(tp2, OpClass::grouped_gemm) == doctest::Approx(expected).epsilon(1e-12));
    const auto r1 = rank_flops(tp1, OpClass::grouped_gemm);
    const auto r2 = rank_flops(tp2, OpClass::grouped_gemm);
    REQUIRE(r1.size() == r2.size());
    for (std::size_t r = 0; r < r1.size(); ++r) {
        CAPTURE(r);
        CHECK(r2[r] == doctest::Approx(r1[r]).epsilon(1e-12));
    }
    // Expert tensor parallelism splits each expert's width over ETP ranks that gather each
    // other's tokens: the per-GPU expert FLOPs stay the same again (TP2, ETP2, EP32).
    const auto w3 = with_layout(base, 2, 64, 32, 2);
    workload::check_plan(cluster, w3);
    CHECK(cluster_flops(training::build_program(cluster, w3, seq, batch), OpClass::grouped_gemm) ==
          doctest::Approx(expected).epsilon(1e-12));
}

TEST_CASE("DeepSeek-V3 at TP2: the step costs what the extra communication and MLA's duplicated down-projections "
          "cost, not twice the experts") {
    const auto [cluster, base] = deepseek_v3();
    const int seq = base.training.seq_len;
    const int batch = base.training.global_batch_sequences;
    const auto w2 = with_layout(base, 2, 64, 64, 1);
    const auto tp1 = training::build_program(cluster, base, seq, batch);
    const auto tp2 = training::build_program(cluster, w2, seq, batch);
    // Dense GEMMs: TP splits every projection except MLA's down-projections (h -> q_lora_rank
    // and h -> kv_lora_rank + rope dims), which Megatron-Core duplicates on every TP rank; the
    // router runs on the TP-split tokens. So TP2 adds exactly one more copy of the down-
    // projections' FLOPs (forward, input and weight gradient) over the cluster.
    const auto& a = base.model.attention;
    const double layers = base.model.layers + base.model.mtp_modules;
    const double down = 2.0 * base.model.hidden * (a.q_lora_rank + a.kv_lora_rank + a.qk_rope_head_dim);
    const double duplicated = double(batch) * seq * layers * 3.0 * down;
    CHECK(cluster_flops(tp2, OpClass::gemm) - cluster_flops(tp1, OpClass::gemm) ==
          doctest::Approx(duplicated).epsilon(1e-9));

    const auto s1 = training::simulate_step(cluster, base, seq, batch);
    const auto s2 = training::simulate_step(cluster, w2, seq, batch);
    MESSAGE("DeepSeek-V3 MFU at TP1 " << s1.mfu << ", at TP2 " << s2.mfu << "; compute " << s1.breakdown.compute_s
                                      << " -> " << s2.breakdown.compute_s << " s, exposed communication "
                                      << s1.breakdown.exposed_comm_s << " -> " << s2.breakdown.exposed_comm_s << " s");
    // Within a few points: compute grows only by the duplicated projections and smaller GEMMs,
    // and TP's all-gathers and reduce-scatters add exposed communication.
    CHECK(s2.mfu > s1.mfu - 0.05);
    CHECK(s2.mfu < s1.mfu);
    CHECK(s2.breakdown.compute_s < 1.08 * s1.breakdown.compute_s);
    CHECK(s2.breakdown.exposed_comm_s > s1.breakdown.exposed_comm_s);
}

TEST_CASE("MoE parallel folding: EP x ETP must divide TP x CP x DP, not DP x CP") {
    const auto [cluster, base] = deepseek_v3();
    // EP128 with TP2 x DP64: 128 divides TP x DP = 128 though not DP = 64 (refused before folding).
    auto w = with_layout(base, 2, 64, 128, 1);
    w.model.ffn.routed_experts = 256;
    CHECK_NOTHROW(workload::check_plan(cluster, w));
    // EP64 x ETP4 = 256 does not divide 128.
    w = with_layout(base, 2, 64, 64, 4);
    try {
        workload::check_plan(cluster, w);
        FAIL("EP x ETP beyond the stage was accepted");
    } catch (const workload::PlanError& e) {
        CHECK(std::string(e.what()).find("EP 64 x ETP 4 = 256 does not divide TP x CP x DP = 2 x 1 x 64 = 128") !=
              std::string::npos);
    }
    // ETP must divide the experts' width.
    w = with_layout(base, 2, 64, 32, 2);
    w.model.ffn.expert_intermediate = 2049;
    try {
        workload::check_plan(cluster, w);
        FAIL("ETP not dividing the expert width was accepted");
    } catch (const workload::PlanError& e) {
        CHECK(std::string(e.what()).find("ETP 2 does not divide the experts' width") != std::string::npos);
    }
}

TEST_CASE("MoE memory: experts are split over EP x ETP and their activations over TP") {
    const auto [cluster, base] = deepseek_v3();
    const int seq = base.training.seq_len;
    const int batch = base.training.global_batch_sequences;
    const auto m1 = training::estimate_memory(cluster, base, seq, batch);
    // TP2, EP64, ETP2 (experts split 128 ways instead of 64): expert weights per GPU halve.
    const auto w = with_layout(base, 2, 64, 64, 2);
    const auto m2 = training::estimate_memory(cluster, w, seq, batch);
    const auto tp2_only = with_layout(base, 2, 64, 64, 1);
    const auto m3 = training::estimate_memory(cluster, tp2_only, seq, batch);
    // Weights: routed experts / (EP x ETP) plus the rest / TP; with ETP the expert part halves.
    CHECK(m2.worst().weights < m3.worst().weights);
    // Per token of a micro-batch, routed activations are split over TP: the MoE activations
    // per micro-batch at TP2 are half those at TP1 (sequence parallelism splits the rest).
    const double a1 = training::activation_bytes_per_token(base, 10, seq);
    const double a2 = training::activation_bytes_per_token(tp2_only, 10, seq);
    CHECK(a2 < a1);
    CHECK(a2 > 0.4 * a1);
    CHECK(m1.worst().total() > 0);
}

TEST_CASE("capacity factor pads the experts' inputs; the all-gather dispatcher gathers the EP group's tokens") {
    const auto [cluster, base] = deepseek_v3();
    const int seq = base.training.seq_len;
    const int batch = base.training.global_batch_sequences;
    const double dropless = cluster_flops(training::build_program(cluster, base, seq, batch), OpClass::grouped_gemm);
    auto padded = base;
    padded.model.ffn.capacity_factor = 1.25;
    CHECK(cluster_flops(training::build_program(cluster, padded, seq, batch), OpClass::grouped_gemm) ==
          doctest::Approx(1.25 * dropless).epsilon(1e-12));
    // All-gather dispatch computes the same expert tokens but moves every token of the EP group
    // to every member: slower than the all-to-all at EP64 across 8 nodes.
    auto gather = base;
    gather.parallel.moe_dispatcher = workload::MoeDispatcher::allgather;
    const auto program = training::build_program(cluster, gather, seq, batch);
    CHECK(cluster_flops(program, OpClass::grouped_gemm) == doctest::Approx(dropless).epsilon(1e-12));
    int gathers = 0;
    for (const auto& op : program.ops)
        if (!op.is_compute() && op.dim == layout::Dim::ep_etp) ++gathers;
    CHECK(gathers > 0);
    const auto s_a2a = training::simulate_step(cluster, base, seq, batch);
    const auto s_gather = training::simulate_step(cluster, gather, seq, batch);
    CHECK(s_gather.step_seconds > s_a2a.step_seconds);
}

TEST_CASE("the dispatcher names the library: DeepEP sends a token once per node it needs, NCCL every copy") {
    // DeepSeek-V3's file names DeepEP (its own kernels, sec. 3.2.2). With Megatron-Core's NCCL
    // all-to-all instead, a token's 8 copies cross the fabric one by one (7/8 of them remote at
    // EP64 over 8 nodes) instead of once per node (3.6 nodes on average, limited to 4): the same
    // expert FLOPs, more than twice the bytes on the NICs, a longer expert exchange and step.
    const auto [cluster, base] = deepseek_v3();
    REQUIRE(base.parallel.moe_dispatcher == workload::MoeDispatcher::deepep);
    const int seq = base.training.seq_len;
    const int batch = base.training.global_batch_sequences;
    auto nccl = base;
    nccl.parallel.moe_dispatcher = workload::MoeDispatcher::alltoall;
    auto exchanges = [&](const workload::Workload& w) {
        std::set<collective::ExpertExchange> seen;
        const auto program = training::build_program(cluster, w, seq, batch);
        for (const auto& op : program.ops)
            if (!op.is_compute() && (program.comm(op).kind == collective::CollectiveKind::ep_dispatch ||
                                     program.comm(op).kind == collective::CollectiveKind::ep_combine))
                seen.insert(program.comm(op).routing.exchange);
        return seen;
    };
    CHECK(exchanges(base) == std::set{collective::ExpertExchange::deduplicated});
    CHECK(exchanges(nccl) == std::set{collective::ExpertExchange::every_copy});
    CHECK(cluster_flops(training::build_program(cluster, nccl, seq, batch), OpClass::grouped_gemm) ==
          doctest::Approx(cluster_flops(training::build_program(cluster, base, seq, batch), OpClass::grouped_gemm))
              .epsilon(1e-12));
    const auto deepep_step = training::simulate_step(cluster, base, seq, batch);
    const auto nccl_step = training::simulate_step(cluster, nccl, seq, batch);
    auto expert_seconds = [](const training::StepResult& r) {
        double sum = 0;
        for (const auto& rank : r.ranks) sum += rank.expert_comm_s;
        return sum;
    };
    CHECK(expert_seconds(nccl_step) > 1.5 * expert_seconds(deepep_step));
    CHECK(nccl_step.step_seconds > deepep_step.step_seconds);
}

TEST_CASE("group-limited routing bounds the nodes a token reaches (DeepSeek-V3's n_group = 8, topk_group = 4)") {
    const auto [cluster, base] = deepseek_v3();
    auto nodes_reached = [&](int groups, int per_token, int max_nodes) {
        auto w = base;
        w.model.ffn.expert_groups = groups;
        w.model.ffn.groups_per_token = per_token;
        w.model.ffn.max_nodes_per_token = max_nodes;
        const auto program = training::build_program(cluster, w, base.training.seq_len, base.training.global_batch_sequences);
        for (const auto& op : program.ops)
            if (!op.is_compute() && program.comm(op).kind == collective::CollectiveKind::ep_dispatch)
                return program.comm(op).routing.max_nodes;
        FAIL("no dispatch");
        return -1;
    };
    // EP64 over 8 nodes: 4 experts per GPU, 32 per node. Groups of 32 experts are one node each.
    CHECK(nodes_reached(8, 4, 0) == 4);
    CHECK(nodes_reached(8, 2, 0) == 2);
    // Groups of 16 (half a node) still reach one node each; groups of 64 span two nodes.
    CHECK(nodes_reached(16, 4, 0) == 4);
    CHECK(nodes_reached(4, 2, 0) == 4);
    // Groups of 8 experts (two GPUs) sit inside a node.
    CHECK(nodes_reached(32, 4, 0) == 4);
    // The tighter of the node limit and the group limit holds; no limit at all leaves 0.
    CHECK(nodes_reached(8, 4, 3) == 3);
    CHECK(nodes_reached(8, 8, 0) == 8);
    CHECK(nodes_reached(0, 0, 0) == 0);
}

TEST_CASE("ep_comm_overlap: Megatron-Core's combined 1F1B hides expert communication behind another micro-batch") {
    // DeepSeek-V3 on its 2,048 H800 with interleaved 1F1B (PP4 x VPP2, DP512, EP64) instead of
    // DualPipe, at 8 micro-batches per replica: the same kernels either way, so compute is equal,
    // while the dispatch and combine of one micro-batch run beside another's compute.
    // (No SMs are set aside for the communication kernels here, so that compute is the same
    // kernels at the same speed: the next test covers what they cost.)
    const auto [cluster, base] = deepseek_v3();
    auto w = interleaved(base, 4, 2, 512);
    w.parallel.comm_fraction = 0.0;
    const int seq = base.training.seq_len;
    const int batch = 512 * 8;
    workload::check_layout(w);
    const auto plain = training::simulate_step(cluster, w, seq, batch);
    w.parallel.ep_comm_overlap = true;
    workload::check_layout(w);
    const auto overlapped = training::simulate_step(cluster, w, seq, batch);
    MESSAGE("step " << plain.step_seconds << " -> " << overlapped.step_seconds << " s, exposed communication "
                    << plain.breakdown.exposed_comm_s << " -> " << overlapped.breakdown.exposed_comm_s << " s");
    CHECK(overlapped.breakdown.compute_s == doctest::Approx(plain.breakdown.compute_s).epsilon(1e-9));
    CHECK(overlapped.breakdown.exposed_comm_s < 0.9 * plain.breakdown.exposed_comm_s);
    CHECK(overlapped.step_seconds < plain.step_seconds);
}

TEST_CASE("communication SMs are taken from compute only where the schedule runs communication beside it") {
    // DeepSeek-V3 dedicates 20 of 132 SMs to its all-to-all kernels because DualPipe overlaps
    // them with compute (sec. 3.2.2). Under interleaved 1F1B without ep_comm_overlap nothing
    // computes while a dispatch runs, so the same 20 SMs cost compute nothing; with the overlap
    // they slow every compute-bound kernel.
    const auto [cluster, base] = deepseek_v3();
    REQUIRE(base.parallel.comm_fraction == doctest::Approx(20.0 / 132.0));
    CHECK(base.parallel.compute_units_held() == base.parallel.comm_fraction); // DualPipe
    const int seq = base.training.seq_len;
    const int batch = 512 * 8;
    auto held = interleaved(base, 4, 2, 512);
    auto none = held;
    none.parallel.comm_fraction = 0.0;
    CHECK(held.parallel.compute_units_held() == 0.0);
    const auto a = training::simulate_step(cluster, held, seq, batch);
    const auto b = training::simulate_step(cluster, none, seq, batch);
    CHECK(a.step_seconds == b.step_seconds);
    CHECK(a.breakdown.compute_s == b.breakdown.compute_s);

    held.parallel.ep_comm_overlap = true;
    none.parallel.ep_comm_overlap = true;
    CHECK(held.parallel.compute_units_held() == held.parallel.comm_fraction);
    const auto c = training::simulate_step(cluster, held, seq, batch);
    const auto d = training::simulate_step(cluster, none, seq, batch);
    // Compute-bound kernels run on 112 of 132 SMs (1.18x as long); memory-bound ones do not slow.
    MESSAGE("compute with the overlap: " << d.breakdown.compute_s << " s on every SM, " << c.breakdown.compute_s
                                         << " s with 20 of 132 held");
    CHECK(c.breakdown.compute_s > 1.08 * d.breakdown.compute_s);
    CHECK(c.breakdown.compute_s < 132.0 / 112.0 * d.breakdown.compute_s * (1 + 1e-9));
}

TEST_CASE("ep_comm_overlap is refused where Megatron-Core refuses it, saying why") {
    const auto [cluster, base] = deepseek_v3();
    const auto problem = [&](workload::Workload w) {
        try {
            workload::check_layout(w);
        } catch (const workload::PlanError& e) {
            std::string all;
            for (const auto& p : e.problems()) all += p + "\n";
            return all;
        }
        return std::string();
    };
    auto w = base;
    w.parallel.ep_comm_overlap = true;
    // DualPipe (the shipped layout) pairs its chunks already.
    CHECK(problem(w).find("DualPipe pairs its chunks' forward and backward already") != std::string::npos);
    w.parallel.schedule = workload::PipelineSchedule::one_f_one_b;
    CHECK(problem(w).find("needs schedule = \"interleaved-1f1b\", or \"1f1b\" with pp = 1") != std::string::npos);
    w = interleaved(w, 4, 2, 512);
    CHECK(problem(w).empty());
    w.parallel.moe_dispatcher = workload::MoeDispatcher::allgather;
    CHECK(problem(w).find("needs moe_dispatcher = \"alltoall\"") != std::string::npos);
    w.parallel.moe_dispatcher = workload::MoeDispatcher::alltoall;
    w.parallel.ep = 1;
    CHECK(problem(w).find("needs expert parallelism") != std::string::npos);
}

TEST_CASE("pipeline_layout: Megatron-Core's custom layout puts the MTP module and the loss on chunks of their own") {
    // DeepSeek-V3 on its 2,048 H800 with interleaved 1F1B (PP8 x VPP4: 32 chunks, DP256): the
    // split rules put the MTP module (a whole MoE layer) with the head and loss on the last chunk,
    // which then paces every rank; "Et|(tt|)*29,tt,m|L" (as Megatron-LM's example for PP16 x VPP2)
    // gives the embedding one layer, 30 chunks two layers each, the MTP module its own place
    // after the last two layers, and the last chunk the loss alone.
    const auto [cluster, base] = deepseek_v3();
    auto w = interleaved(base, 8, 4, 256);
    const int seq = base.training.seq_len;
    const int batch = 256 * 8;
    workload::check_layout(w);
    const auto split = training::partition_stages(w.model, seq, w.parallel);
    REQUIRE(split.size() == 32);
    CHECK(split.back().head);
    CHECK(split.back().mtp_modules() == 1); // the split rules keep MTP with the head
    const auto plain = training::simulate_step(cluster, w, seq, batch);

    w.parallel.pipeline_layout = "Et|(tt|)*29,tt,m|L";
    workload::check_layout(w);
    const auto chunks = training::partition_stages(w.model, seq, w.parallel);
    REQUIRE(chunks.size() == 32);
    CHECK(chunks[0].embedding);
    CHECK(chunks[0].layers() == 1);
    for (int s = 1; s <= 30; ++s) CHECK(chunks[static_cast<std::size_t>(s)].layers() == 2);
    CHECK(chunks[30].first_layer == 59);
    CHECK(chunks[30].mtp_modules() == 1);
    CHECK_FALSE(chunks[30].head);
    CHECK(chunks[31].head);
    CHECK(chunks[31].layers() == 0);
    CHECK(chunks[31].mtp_modules() == 0);
    // The same model either way: the stages' forward FLOPs sum to the same total.
    double before = 0, after = 0;
    for (const auto& st : split) before += training::stage_forward_flops_per_token(w.model, seq, st);
    for (const auto& st : chunks) after += training::stage_forward_flops_per_token(w.model, seq, st);
    CHECK(after == doctest::Approx(before).epsilon(1e-12));
    const auto laid_out = training::simulate_step(cluster, w, seq, batch);
    MESSAGE("step " << plain.step_seconds << " -> " << laid_out.step_seconds << " s, bubble "
                    << plain.breakdown.bubble_s << " -> " << laid_out.breakdown.bubble_s << " s");
    CHECK(laid_out.model_flops_per_step == doctest::Approx(plain.model_flops_per_step).epsilon(1e-12));
    // The heavy last chunk no longer paces the pipeline: less waiting, a shorter step (4.00 ->
    // 3.61 s when written).
    CHECK(laid_out.breakdown.bubble_s < plain.breakdown.bubble_s);
    CHECK(laid_out.step_seconds < 0.95 * plain.step_seconds);

    // A layout that does not match the model or the chunks is refused, saying which count.
    w.parallel.pipeline_layout = "Et|(tt|)*29,t,m|L";
    CHECK_THROWS_WITH_AS(workload::check_layout(w), doctest::Contains("places 60 transformer layers (t), the model has 61"),
                         workload::PlanError);
    w.parallel.pipeline_layout = "Et|(tt|)*30,m|L";
    CHECK_THROWS_WITH_AS(workload::check_layout(w), doctest::Contains("has 33 model chunks, the layout 32"),
                         workload::PlanError);
}
