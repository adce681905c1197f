// One simulated step against closed forms: with free communication and uniform stages the
// pipeline bubble must come out of the simulation as the textbook fractions, and the same
// inputs must give the same result.
#include "network/alpha_beta_network.hpp"
#include "run/run_model.hpp"
#include "training/program_builder.hpp"
#include "training/step_replay.hpp"
#include "training/step_simulator.hpp"
#include "workload/even_split.hpp"
#include "workload/plan_check.hpp"

#include <doctest/doctest.h>

using namespace tcsim;

namespace {

/// A cluster whose network is free (huge bandwidth, no latency) and whose kernels have no
/// launch cost, so only compute shapes the step.
topology::ClusterSpec free_network_cluster(int nodes) {
    topology::ClusterSpec c;
    c.name = "test";
    c.nodes = nodes;
    c.gpus_per_node = 8;
    c.gpu.name = "test-gpu";
    c.gpu.dense_peak[static_cast<int>(hardware::Dtype::bf16)] = units::FlopRate(1000e12);
    c.gpu.dense_peak[static_cast<int>(hardware::Dtype::fp8)] = units::FlopRate(2000e12);
    c.gpu.hbm_bandwidth = units::Bandwidth(1e18);
    c.gpu.compute_units = 100;
    c.nvlink_per_direction = units::Bandwidth(1e18);
    c.nics_per_node = 8;
    c.nic_bandwidth = units::Bandwidth(1e18);
    auto& e = c.efficiency.compute;
    e.gemm_bf16 = {1.0, 0, 0, 0, 1.0, std::nullopt};
    e.gemm_fp8 = {1.0, 0, 0, 0, 1.0, std::nullopt};
    e.attention_forward = 1.0;
    e.attention_backward = 1.0;
    e.memory = 1.0;
    c.efficiency.links = {{{"nvlink", 1.0}, {"network", 1.0}}, std::nullopt, {1.0, 1.0, units::Seconds(0.0)}, ""};
    return c;
}

/// A dense GPT-like model with a tiny vocabulary, so stages are uniform up to a negligible head.
workload::Workload uniform_dense(int layers, int pp, int dp, workload::PipelineSchedule schedule) {
    workload::Workload w;
    auto& m = w.model;
    m.name = "uniform";
    m.layers = layers;
    m.hidden = 4096;
    m.vocab = 8;
    m.attention.kind = workload::AttentionKind::mha;
    m.attention.heads = 32;
    m.attention.kv_heads = 32;
    m.attention.head_dim = 128;
    m.ffn.activation = workload::Activation::gelu;
    m.ffn.dense_intermediate = 16384;
    w.training.tokens = 1e9;
    w.training.seq_len = 2048;
    w.training.global_batch_sequences = 64;
    w.parallel.pp = pp;
    w.parallel.dp = dp;
    w.parallel.schedule = schedule;
    w.parallel.zero_stage = 0;
    return w;
}

/// The one problem check_plan finds with this plan (fails the test if it finds none or several).
std::string sole_plan_problem(const topology::ClusterSpec& cluster, const workload::Workload& w) {
    try {
        workload::check_plan(cluster, w);
    } catch (const workload::PlanError& e) {
        REQUIRE(e.problems().size() == 1);
        return e.problems()[0];
    }
    FAIL("the plan was accepted");
    return "";
}

/// Two nodes whose 20 GB/s NICs make data-parallel traffic matter, and 8 layers on DP16 with
/// one micro-batch each.
topology::ClusterSpec data_parallel_cluster() {
    auto cluster = free_network_cluster(2);
    cluster.nic_bandwidth = units::Bandwidth(20e9);
    return cluster;
}
workload::Workload data_parallel_workload(int zero_stage) {
    auto w = uniform_dense(8, 1, 16, workload::PipelineSchedule::one_f_one_b);
    w.parallel.zero_stage = zero_stage;
    return w;
}

/// The earliest start and the latest end of the traced ops that `select` picks.
template <class Select>
std::pair<double, double> span_bounds(const training::StepTrace& trace, Select select) {
    std::pair<double, double> bounds{1e30, 0.0};
    for (const auto& span : trace.spans)
        if (select(trace.program, trace.program.ops[span.op])) {
            bounds.first = std::min(bounds.first, span.start_s);
            bounds.second = std::max(bounds.second, span.end_s);
        }
    return bounds;
}
auto comm_of(collective::CollectiveKind kind) {
    return [kind](const training::Program& p, const training::Op& op) {
        return !op.is_compute() && p.comm(op).kind == kind;
    };
}
auto compute_in(training::Phase phase) {
    return [phase](const training::Program&, const training::Op& op) {
        return op.is_compute() && op.phase == phase;
    };
}

} // namespace

TEST_CASE("1F1B bubble with free communication is (p-1)/(m+p-1)") {
    // Narayanan et al., SC'21, Sec 2.2.1: bubble time fraction = (p-1)/m of the ideal time,
    // i.e. (p-1)/(m+p-1) of the step.
    const int p = 4;
    for (int m : {4, 8, 16}) {
        const auto cluster = free_network_cluster(1);
        auto w = uniform_dense(16, p, 1, workload::PipelineSchedule::one_f_one_b);
        w.parallel.dp = 1;
        const auto step = training::simulate_step(cluster, w, 2048, m);
        const double expected = static_cast<double>(p - 1) / (m + p - 1);
        const double bubble = step.breakdown.bubble_s / step.step_seconds;
        CAPTURE(m);
        CHECK(bubble == doctest::Approx(expected).epsilon(0.02));
        CHECK(step.breakdown.exposed_comm_s == doctest::Approx(0.0).epsilon(1e-6));
        // The breakdown partitions the step.
        CHECK(step.breakdown.compute_s + step.breakdown.exposed_comm_s + step.breakdown.bubble_s ==
              doctest::Approx(step.step_seconds).epsilon(1e-9));
    }
}

TEST_CASE("the step names its last rank to finish and its busiest rank, which 1F1B makes different") {
    // A large vocabulary makes the last stage (output layer and loss) the heaviest; under 1F1B
    // the first stage still finishes last, since it runs the last backward pass.
    const auto cluster = free_network_cluster(1);
    auto w = uniform_dense(16, 4, 1, workload::PipelineSchedule::one_f_one_b);
    w.parallel.dp = 1;
    w.model.vocab = 256000;
    const auto step = training::simulate_step(cluster, w, 2048, 8);
    REQUIRE(step.ranks.size() == 4);
    CHECK_FALSE(step.ranks_are_gpus);
    CHECK(step.slowest_rank == 0);
    CHECK(step.ranks[0].finish_s == step.step_seconds);
    CHECK(step.breakdown.compute_s == step.ranks[0].breakdown.compute_s);
    CHECK(step.busiest_rank == 3);
    for (const auto& rank : step.ranks) CHECK(rank.breakdown.compute_s <= step.ranks[3].breakdown.compute_s);
    CHECK(step.ranks[3].breakdown.compute_s > 1.05 * step.ranks[0].breakdown.compute_s);
}

TEST_CASE("GPipe has the same bubble as 1F1B; interleaving with v chunks divides it by v") {
    const auto cluster = free_network_cluster(1);
    const int p = 4, m = 8, v = 2;
    auto w = uniform_dense(16, p, 1, workload::PipelineSchedule::gpipe);
    w.parallel.dp = 1;
    const auto gpipe = training::simulate_step(cluster, w, 2048, m);
    CHECK(gpipe.breakdown.bubble_s / gpipe.step_seconds == doctest::Approx(3.0 / 11.0).epsilon(0.02));

    w.parallel.schedule = workload::PipelineSchedule::interleaved_1f1b;
    w.parallel.virtual_stages = v;
    const auto inter = training::simulate_step(cluster, w, 2048, m);
    // Narayanan et al. SC'21 Sec 2.2.2: bubble fraction (p-1)/(v*m) of the ideal time.
    const double ideal = inter.step_seconds - inter.breakdown.bubble_s;
    CHECK(inter.breakdown.bubble_s / ideal == doctest::Approx((p - 1.0) / (v * m)).epsilon(0.02));
}

TEST_CASE("the same inputs give the same step, bit for bit") {
    const auto cluster = free_network_cluster(2);
    auto w = uniform_dense(8, 2, 8, workload::PipelineSchedule::one_f_one_b);
    const auto a = training::simulate_step(cluster, w, 2048, 64);
    const auto b = training::simulate_step(cluster, w, 2048, 64);
    CHECK(a.step_seconds == b.step_seconds);
    CHECK(a.breakdown.bubble_s == b.breakdown.bubble_s);
    CHECK(a.events == b.events);
    // A dense model has no expert-parallel communication to account.
    for (const auto& rank : a.ranks) CHECK(rank.expert_comm_s == 0.0);
}

TEST_CASE("communication that cannot overlap shows up as exposed communication") {
    auto cluster = free_network_cluster(2);
    // A slow network: the data-parallel all-reduce at the end of the step is exposed.
    cluster.nic_bandwidth = units::Bandwidth(1e9);
    cluster.nvlink_per_direction = units::Bandwidth(1e9);
    auto w = uniform_dense(8, 1, 16, workload::PipelineSchedule::one_f_one_b);
    const auto slow = training::simulate_step(cluster, w, 2048, 64);
    CHECK(slow.breakdown.exposed_comm_s > 0.5 * slow.step_seconds);
    const auto fast = training::simulate_step(free_network_cluster(2), w, 2048, 64);
    CHECK(fast.step_seconds < slow.step_seconds);
}

TEST_CASE("stages are split to balance forward FLOPs, embedding first and head last") {
    auto w = uniform_dense(16, 4, 1, workload::PipelineSchedule::one_f_one_b);
    const auto stages = training::balanced_stages(w.model, 2048, 4);
    REQUIRE(stages.size() == 4);
    CHECK(stages.front().embedding);
    CHECK(stages.back().head);
    for (const auto& s : stages) CHECK(s.last_layer - s.first_layer == 4);
    CHECK_THROWS(training::balanced_stages(w.model, 2048, 17));
}

TEST_CASE("split_embedding_and_loss: the embedding and the head are units of their own (Llama 3 sec. 3.3.2)") {
    // 14 layers + embedding + head = 16 units over PP4 x V4: one unit per chunk, so the first
    // chunk holds only the embedding and the last only the head.
    auto w = uniform_dense(14, 4, 2, workload::PipelineSchedule::interleaved_1f1b);
    w.parallel.virtual_stages = 4;
    w.parallel.split_embedding_and_loss = true;
    const auto stages = training::balanced_stages(w.model, 2048, 16, true);
    REQUIRE(stages.size() == 16);
    CHECK(stages.front().embedding);
    CHECK(stages.front().last_layer == stages.front().first_layer);
    CHECK(stages.back().head);
    CHECK(stages.back().first_layer == 14);
    CHECK(stages.back().last_layer == 14);
    int layers = 0;
    for (std::size_t i = 1; i + 1 < stages.size(); ++i) {
        CHECK(stages[i].last_layer - stages[i].first_layer == 1);
        CHECK_FALSE(stages[i].embedding);
        CHECK_FALSE(stages[i].head);
        layers += stages[i].last_layer - stages[i].first_layer;
    }
    CHECK(layers == 14);
    // Without the option the 16 chunks exceed the 14 layers, and the plan says so.
    const auto cluster = free_network_cluster(1);
    CHECK_NOTHROW(workload::check_plan(cluster, w));
    w.parallel.split_embedding_and_loss = false;
    CHECK(sole_plan_problem(cluster, w).find("16 model chunks exceeds the 14 layers") != std::string::npos);
    // With the split on, the plan counts 16 units: PP4 x V5 = 20 chunks exceeds them.
    w.parallel.split_embedding_and_loss = true;
    w.parallel.virtual_stages = 5;
    CHECK(sole_plan_problem(cluster, w)
              .find("20 model chunks exceeds the 14 layers with the embedding and the head (16 units)") !=
          std::string::npos);
}

TEST_CASE("split_embedding_and_loss with fewer stages than units: each end weighs one average layer") {
    // Megatron-LM counts the embedding and the loss as a layer each: 14 layers + 2 ends = 16
    // units into 8 stages gives two units per stage, the embedding with layer 0 and layer 13
    // with the head (a zero-cost end would instead leave the head alone on the last stage).
    const auto w = uniform_dense(14, 4, 2, workload::PipelineSchedule::one_f_one_b);
    const auto stages = training::balanced_stages(w.model, 2048, 8, true);
    REQUIRE(stages.size() == 8);
    CHECK(stages.front().embedding);
    CHECK(stages.front().first_layer == 0);
    CHECK(stages.front().last_layer == 1);
    CHECK(stages.back().head);
    CHECK(stages.back().first_layer == 13);
    CHECK(stages.back().last_layer == 14);
    for (std::size_t i = 1; i + 1 < stages.size(); ++i) CHECK(stages[i].last_layer - stages[i].first_layer == 2);
}

namespace {

/// Layers per model stage, in model order.
std::vector<int> layer_counts(const std::vector<training::StageLayers>& stages) {
    std::vector<int> out;
    for (const auto& s : stages) out.push_back(s.layers());
    return out;
}

/// Every stage starts where the one before it ended, the first at layer 0 and the last at `layers`.
void check_contiguous(const std::vector<training::StageLayers>& stages, int layers) {
    REQUIRE_FALSE(stages.empty());
    CHECK(stages.front().first_layer == 0);
    CHECK(stages.back().last_layer == layers);
    for (std::size_t i = 1; i < stages.size(); ++i) CHECK(stages[i].first_layer == stages[i - 1].last_layer);
    CHECK(stages.front().embedding);
    CHECK(stages.back().head);
}

} // namespace

TEST_CASE("even split: Megatron-LM's equal layer counts per chunk, interleaved in model order") {
    // transformer_block.py get_num_layers_to_build: "With 8 layers, 2 stages, and 2 virtual stages
    // ... Stage 0: [0, 1] [4, 5]; Stage 1: [2, 3] [6, 7]". Model stage s runs on rank s mod PP, so
    // model stages 0..3 hold [0, 1], [2, 3], [4, 5], [6, 7].
    auto w = uniform_dense(8, 2, 1, workload::PipelineSchedule::interleaved_1f1b);
    w.parallel.virtual_stages = 2;
    w.parallel.pipeline_split = workload::PipelineSplit::even;
    const auto stages = training::partition_stages(w.model, 2048, w.parallel);
    REQUIRE(stages.size() == 4);
    check_contiguous(stages, 8);
    CHECK(layer_counts(stages) == std::vector<int>{2, 2, 2, 2});
    CHECK(stages[2].first_layer == 4); // rank 0's second chunk
    // "With 8 layers, 2 stages, and 4 model chunks ... Stage 0: [0] [2] [4] [6]".
    w.parallel.virtual_stages = 4;
    CHECK(layer_counts(training::partition_stages(w.model, 2048, w.parallel)) == std::vector<int>(8, 1));
}

TEST_CASE("even split with the ends counted: BLOOM's 70 layers + 2 embeddings over PP12") {
    // tr11-176B-ml.slurm --pp-partition-method 'type:transformer|embedding': 72 units / 12 = 6 per
    // stage; stage 0 = embedding + 5 layers, stages 1-10 = 6 layers, stage 11 = 5 layers + head.
    auto w = uniform_dense(70, 12, 1, workload::PipelineSchedule::one_f_one_b);
    w.parallel.pipeline_split = workload::PipelineSplit::even;
    w.parallel.split_embedding_and_loss = true;
    const auto stages = training::partition_stages(w.model, 2048, w.parallel);
    check_contiguous(stages, 70);
    std::vector<int> expected(12, 6);
    expected.front() = 5;
    expected.back() = 5;
    CHECK(layer_counts(stages) == expected);
    CHECK(stages[11].first_layer == 65);
    // Without the ends counted, 70 layers do not divide by 12: the plan says so, as Megatron asserts.
    w.parallel.split_embedding_and_loss = false;
    std::string problems;
    try {
        workload::check_layout(w);
    } catch (const workload::PlanError& e) {
        for (const auto& p : e.problems()) problems += p + "\n";
    }
    CHECK(problems.find("the even pipeline split needs the 70 layers to divide by PP 12") != std::string::npos);
    CHECK_THROWS_AS(training::partition_stages(w.model, 2048, w.parallel), workload::PlanError);
}

TEST_CASE("even split, one unit per chunk: Llama 3's embedding and head on chunks of their own") {
    // 14 layers + 2 ends = 16 units over PP4 x V4: chunk 0 only the embedding, chunk 15 only the
    // head (arXiv:2407.21783 sec. 3.3.2), every other chunk one layer.
    auto w = uniform_dense(14, 4, 1, workload::PipelineSchedule::interleaved_1f1b);
    w.parallel.virtual_stages = 4;
    w.parallel.split_embedding_and_loss = true;
    w.parallel.pipeline_split = workload::PipelineSplit::even;
    const auto stages = training::partition_stages(w.model, 2048, w.parallel);
    check_contiguous(stages, 14);
    std::vector<int> expected(16, 1);
    expected.front() = 0;
    expected.back() = 0;
    CHECK(layer_counts(stages) == expected);
}

TEST_CASE("even split with explicit first and last stages (Megatron-Core uneven PP)") {
    // 94 layers, PP8, VPP2, first 10 and last 12: the six middle ranks hold 72 / 6 = 12 each, 6
    // per chunk; rank 0's chunks 5 each, rank 7's 6. transformer_layer.py
    // get_transformer_layer_offset puts rank 3's second chunk at 1 x (5 + 36 + 6) + 5 + 2 x 6 = 64.
    auto w = uniform_dense(94, 8, 1, workload::PipelineSchedule::interleaved_1f1b);
    w.parallel.virtual_stages = 2;
    w.parallel.pipeline_split = workload::PipelineSplit::even;
    w.parallel.first_stage_layers = 10;
    w.parallel.last_stage_layers = 12;
    const auto stages = training::partition_stages(w.model, 2048, w.parallel);
    REQUIRE(stages.size() == 16);
    check_contiguous(stages, 94);
    const std::vector<int> chunk{5, 6, 6, 6, 6, 6, 6, 6};
    std::vector<int> expected = chunk;
    expected.insert(expected.end(), chunk.begin(), chunk.end());
    CHECK(layer_counts(stages) == expected);
    CHECK(stages[8 + 3].first_layer == 64);
    // Only the last set: the seven other ranks share 84 layers, 12 each (Qwen3's PP8 without VPP).
    w.parallel.schedule = workload::PipelineSchedule::one_f_one_b;
    w.parallel.virtual_stages = 1;
    w.parallel.first_stage_layers = 0;
    w.parallel.last_stage_layers = 10;
    CHECK(layer_counts(training::partition_stages(w.model, 2048, w.parallel)) ==
          std::vector<int>{12, 12, 12, 12, 12, 12, 12, 10});
    // Layer counts the rule cannot place are refused with their numbers.
    w.parallel.last_stage_layers = 11;
    const auto split = workload::even_split(94, w.parallel);
    REQUIRE(split.problems.size() == 1);
    CHECK(split.problems[0] == "the 83 layers between the first and last stages do not divide evenly over the 7 "
                               "middle pipeline ranks");
}

TEST_CASE("the even split keeps the head's cost on the last stage; the balanced split moves layers off it") {
    // A layer's forward is 2 x (4 h^2 + 2 h x 16384) = 0.40 GFLOP per token of GEMMs plus 0.02 of
    // causal attention (h = 4096, s = 2048); a head of 2 x 131,072 x 4096 = 1.07 GFLOP weighs 2.6
    // layers. Even: 4 layers per stage, the last 6.6 layers' worth. Balanced: 5, 5, 5 and 1 + head
    // (or another order of the same largest 5): the head's stage holds fewer layers.
    auto w = uniform_dense(16, 4, 1, workload::PipelineSchedule::one_f_one_b);
    w.model.vocab = 131072;
    w.parallel.pipeline_split = workload::PipelineSplit::even;
    const auto even = training::partition_stages(w.model, 2048, w.parallel);
    CHECK(layer_counts(even) == std::vector<int>{4, 4, 4, 4});
    w.parallel.pipeline_split = workload::PipelineSplit::balanced;
    const auto balanced = training::partition_stages(w.model, 2048, w.parallel);
    CHECK(balanced.back().layers() < 4);
    const auto largest = [&](const std::vector<training::StageLayers>& s) {
        double m = 0;
        for (const auto& st : s) m = std::max(m, training::stage_forward_flops_per_token(w.model, 2048, st));
        return m;
    };
    CHECK(largest(balanced) < largest(even));
}

TEST_CASE("a batch the layout cannot split is refused") {
    const auto cluster = free_network_cluster(1);
    auto w = uniform_dense(8, 2, 4, workload::PipelineSchedule::one_f_one_b);
    CHECK_THROWS_AS(training::simulate_step(cluster, w, 2048, 30), workload::PlanError);
}

TEST_CASE("a run's phases: ramp phases at their mean batch, then the steady state") {
    const auto cluster = free_network_cluster(1);
    auto w = uniform_dense(8, 2, 4, workload::PipelineSchedule::one_f_one_b);
    w.training.tokens = 100e9;
    w.training.ramp = {16, 20e9};
    const auto run = run::simulate_run(cluster, w, {.ramp_phases = 2, .include_extension = true});
    REQUIRE(run.phases.size() == 3);
    CHECK(run.phases[0].global_batch_sequences == 28); // 16 + 48 * 1/4
    CHECK(run.phases[0].simulated_batch_sequences == 28);
    CHECK(run.phases[1].global_batch_sequences == 52); // 16 + 48 * 3/4
    CHECK(run.phases[2].tokens == doctest::Approx(80e9));
    double tokens = 0, seconds = 0;
    for (const auto& ph : run.phases) {
        tokens += ph.tokens;
        seconds += ph.seconds;
        CHECK(ph.seconds == doctest::Approx(ph.tokens / ph.step.tokens_per_step * ph.step.step_seconds));
    }
    CHECK(tokens == doctest::Approx(100e9));
    CHECK(run.pretrain_seconds == doctest::Approx(seconds));
    CHECK(run.pretrain_gpu_hours() == doctest::Approx(seconds / 3600 * 8));
}

namespace {

/// F, B (full backward) and W of one chunk, measured from the trace of a zero-bubble step
/// (micro-batch 0 on rank 0).
struct ChunkTimes {
    double f = 0, b = 0, w = 0;
};

ChunkTimes chunk_times(const topology::ClusterSpec& cluster, workload::Workload w, int batch) {
    w.parallel.schedule = workload::PipelineSchedule::zero_bubble;
    training::StepTrace trace;
    training::simulate_step(cluster, w, 2048, batch, &trace);
    ChunkTimes t;
    for (const auto& span : trace.spans) {
        const auto& op = trace.program.ops[span.op];
        if (op.rank != 0 || op.micro_batch != 0 || !op.is_compute()) continue;
        const double d = span.end_s - span.start_s;
        if (op.phase == training::Phase::forward) t.f += d;
        if (op.phase == training::Phase::backward) t.b += d;
        if (op.phase == training::Phase::weight_grad) t.w += d;
    }
    t.b += t.w;
    return t;
}

} // namespace

TEST_CASE("zero-bubble and DualPipe bubbles match their published formulas") {
    // github.com/deepseek-ai/DualPipe README (DeepSeek-V3 report Table 2): with F a forward chunk,
    // B a full backward chunk, W its weight-gradient part, the bubble per device is
    //   1F1B (PP-1)(F+B),  ZB1P (PP-1)(F+B-2W),  DualPipe (PP/2-1)(F&B+B-3W),
    // F&B an overlapped forward-backward pair (F+B when communication is free).
    const auto cluster = free_network_cluster(1);
    const int p = 4, m = 16;
    auto w = uniform_dense(16, p, 1, workload::PipelineSchedule::zero_bubble);
    w.parallel.dp = 1;
    const ChunkTimes t = chunk_times(cluster, w, m);
    REQUIRE(t.w > 0);
    REQUIRE(t.b > t.w);

    const auto zb = training::simulate_step(cluster, w, 2048, m);
    const double zb_bubble = zb.step_seconds - zb.breakdown.compute_s;
    CHECK(zb_bubble == doctest::Approx((p - 1) * (t.f + t.b - 2 * t.w)).epsilon(0.02));

    w.parallel.schedule = workload::PipelineSchedule::one_f_one_b;
    const auto ofob = training::simulate_step(cluster, w, 2048, m);
    CHECK(ofob.step_seconds - ofob.breakdown.compute_s == doctest::Approx((p - 1) * (t.f + t.b)).epsilon(0.02));

    w.parallel.schedule = workload::PipelineSchedule::dualpipe;
    const auto dual = training::simulate_step(cluster, w, 2048, m);
    const double dual_bubble = dual.step_seconds - dual.breakdown.compute_s;
    CHECK(dual_bubble == doctest::Approx((p / 2 - 1) * ((t.f + t.b) + t.b - 3 * t.w)).epsilon(0.02));
    // Every rank does the same work: m forward and m backward chunks.
    CHECK(dual.breakdown.compute_s == doctest::Approx(m * (t.f + t.b)).epsilon(0.01));
}

TEST_CASE("tensor-parallel communication overlap needs sequence parallelism") {
    const auto cluster = free_network_cluster(1);
    auto w = uniform_dense(4, 1, 2, workload::PipelineSchedule::one_f_one_b);
    w.parallel.tp = 4; // TP4 x DP2 = the 8 GPUs
    w.parallel.tp_comm_overlap = true;
    w.parallel.sequence_parallel = false;
    CHECK(sole_plan_problem(cluster, w).find("tp_comm_overlap needs sequence_parallel = true") != std::string::npos);
    w.parallel.sequence_parallel = true;
    CHECK_NOTHROW(workload::check_plan(cluster, w));
}

TEST_CASE("context parallelism needs fused attention: the unfused path is refused, not silently run without a ring") {
    const auto cluster = free_network_cluster(1);
    auto w = uniform_dense(4, 1, 4, workload::PipelineSchedule::one_f_one_b); // CP2 x DP4 = the 8 GPUs
    w.parallel.cp = 2;
    w.training.flash_attention = false;
    CHECK(sole_plan_problem(cluster, w).find("needs flash_attention = true") != std::string::npos);
    w.training.flash_attention = true;
    CHECK_NOTHROW(workload::check_plan(cluster, w));
}

TEST_CASE("context parallelism: ring attention halves the per-GPU work and sends K/V around the ring") {
    const auto cluster = free_network_cluster(1);
    auto w = uniform_dense(4, 1, 1, workload::PipelineSchedule::one_f_one_b);
    const auto one = training::simulate_step(cluster, w, 2048, 4);
    w.parallel.cp = 2;
    const auto two = training::simulate_step(cluster, w, 2048, 4);
    // Free network, no launch or memory cost: each of the two ranks does exactly half the FLOPs.
    CHECK(two.step_seconds == doctest::Approx(one.step_seconds / 2).epsilon(1e-6));

    const auto program = training::build_program(cluster, w, 2048, 4);
    int ring = 0;
    double forward_bytes = 0, backward_bytes = 0;
    for (const auto& op : program.ops) {
        if (op.is_compute() || op.dim != layout::Dim::cp) continue;
        ++ring;
        (op.phase == training::Phase::forward ? forward_bytes : backward_bytes) += program.comm(op).bytes.value();
    }
    // (cp - 1) transfers per layer, forward and backward, per micro-batch.
    CHECK(ring == 4 * 1 * 2 * 4);
    // Forward: K and V of 1,024 tokens x 32 heads x (128 + 128) x 2 B per transfer; the backward
    // carries each block's dK/dV with it: twice the bytes.
    CHECK(forward_bytes == doctest::Approx(16 * 1024.0 * 32 * 256 * 2));
    CHECK(backward_bytes == doctest::Approx(2 * forward_bytes));

    // On a slow link the ring is exposed: K/V of 1,024 tokens x 32 heads x 256 x 2 B per step.
    auto slow = free_network_cluster(1);
    slow.nvlink_per_direction = units::Bandwidth(1e9);
    const auto exposed = training::simulate_step(slow, w, 2048, 4);
    CHECK(exposed.breakdown.exposed_comm_s > 0.5 * exposed.step_seconds);
}

TEST_CASE("data parallelism: per-layer gradient buckets overlap the backward; ZeRO-3 gathers each layer") {
    const auto cluster = data_parallel_cluster();
    auto w = data_parallel_workload(1);
    const auto program = training::build_program(cluster, w, 2048, 16);
    int buckets = 0;
    for (const auto& op : program.ops)
        if (!op.is_compute() && program.comm(op).kind == collective::CollectiveKind::reduce_scatter) ++buckets;
    CHECK(buckets == 8 + 1); // one per layer, plus the embedding and head tables

    training::StepTrace trace;
    const auto step = training::simulate_step(cluster, w, 2048, 16, &trace);
    // The first bucket is reduced while later layers' backward still runs.
    const auto reduces = span_bounds(trace, comm_of(collective::CollectiveKind::reduce_scatter));
    const auto backward = span_bounds(trace, compute_in(training::Phase::backward));
    CHECK(reduces.first < backward.second);
    CHECK(step.breakdown.exposed_comm_s > 0);

    w.parallel.zero_stage = 3;
    const auto zero3 = training::build_program(cluster, w, 2048, 16);
    int gathers = 0;
    for (const auto& op : zero3.ops)
        if (!op.is_compute() && zero3.comm(op).kind == collective::CollectiveKind::all_gather) ++gathers;
    // Per micro-batch: each layer, the embedding and the head gathered for the forward and for
    // the backward; plus the final gather of the updated shard.
    CHECK(gathers == 1 * 2 * (8 + 2) + 1);
    CHECK(training::simulate_step(cluster, w, 2048, 16).step_seconds > step.step_seconds);
}

TEST_CASE("a rank's parameters count every layer it holds (equal layers share a compute block)") {
    // The optimizer's shard and the sharded optimizer's all-gather are sized by these counts.
    const auto cluster = free_network_cluster(2);
    auto w = uniform_dense(8, 4, 4, workload::PipelineSchedule::one_f_one_b);
    const auto program = training::build_program(cluster, w, 2048, 16);
    double per_rank_weights = 0;
    for (double d : program.dense_parameters) per_rank_weights += d;
    // GEMM weights: QKV and output projection 4 h^2, MLP 2 x h x 16384 = 8 h^2, per layer; the
    // 8 x 4096 embedding table on the first stage and the output head's on the last (each
    // pipeline end holds its own copy, tied or not).
    const double h = 4096;
    CHECK(per_rank_weights == doctest::Approx(8 * 12 * h * h + 2 * 8 * h));
    CHECK(program.dense_parameters[1] == doctest::Approx(2 * 12 * h * h));
    // One stage holding both ends of a tied model holds the table once.
    w = uniform_dense(8, 1, 16, workload::PipelineSchedule::one_f_one_b);
    w.model.tied_embeddings = true;
    const auto single = training::build_program(cluster, w, 2048, 16);
    CHECK(single.dense_parameters[0] == doctest::Approx(8 * 12 * h * h + 8 * h));
    w.model.tied_embeddings = false;
    CHECK(training::build_program(cluster, w, 2048, 16).dense_parameters[0] ==
          doctest::Approx(8 * 12 * h * h + 2 * 8 * h));
}

TEST_CASE("overlap_param_gather: the sharded optimizer's all-gather moves per layer beside the next forward") {
    const auto cluster = data_parallel_cluster();
    auto w = data_parallel_workload(1);
    const auto after_optimizer = training::simulate_step(cluster, w, 2048, 16);
    w.parallel.overlap_param_gather = true;
    const auto program = training::build_program(cluster, w, 2048, 16);
    int gathers = 0;
    for (const auto& op : program.ops) {
        if (op.is_compute() || program.comm(op).kind != collective::CollectiveKind::all_gather) continue;
        ++gathers;
        CHECK(op.deps.empty()); // issued at the start of the step, waiting for nothing
        CHECK(op.phase == training::Phase::optimizer);
    }
    CHECK(gathers == 8 + 1); // one per layer, plus the embedding/head tables
    training::StepTrace trace;
    const auto overlapped = training::simulate_step(cluster, w, 2048, 16, &trace);
    // With two stages, the last rank gathers its head table last: the forward uses it last.
    {
        auto two = data_parallel_workload(1);
        two.parallel.pp = 2;
        two.parallel.dp = 8;
        two.parallel.overlap_param_gather = true;
        const auto pipelined = training::build_program(cluster, two, 2048, 16);
        std::vector<double> rank1_gathers;
        for (const auto& op : pipelined.ops)
            if (!op.is_compute() && op.rank == 1 && pipelined.comm(op).kind == collective::CollectiveKind::all_gather)
                rank1_gathers.push_back(pipelined.comm(op).bytes.value());
        REQUIRE(rank1_gathers.size() == 4 + 1);
        CHECK(rank1_gathers.back() == doctest::Approx(8 * 4096 * 2.0)); // vocab 8 x hidden, BF16
        // a layer: 12 h^2 weights (plus its norms and biases, 1e-4 of it), BF16
        CHECK(rank1_gathers.front() == doctest::Approx(12 * 4096.0 * 4096 * 2.0).epsilon(1e-3));
    }
    // The forward starts while later layers' gathers still run.
    const auto gathered = span_bounds(trace, comm_of(collective::CollectiveKind::all_gather));
    const auto forward = span_bounds(trace, compute_in(training::Phase::forward));
    CHECK(forward.first < gathered.second);
    CHECK(overlapped.step_seconds < after_optimizer.step_seconds);
    CHECK(overlapped.breakdown.exposed_comm_s < after_optimizer.breakdown.exposed_comm_s);
    CHECK(overlapped.breakdown.compute_s == doctest::Approx(after_optimizer.breakdown.compute_s).epsilon(1e-9));
    // Without a sharded optimizer there is nothing to gather: refused.
    w.parallel.zero_stage = 0;
    CHECK(sole_plan_problem(cluster, w).find("overlap_param_gather needs zero_stage = 1 or 2") != std::string::npos);
}

TEST_CASE("overlap_grad_reduce = false: every gradient bucket waits for the whole backward (Megatron-LM 2021)") {
    const auto cluster = data_parallel_cluster();
    auto w = data_parallel_workload(0);
    const auto overlapped = training::simulate_step(cluster, w, 2048, 16);
    w.parallel.overlap_grad_reduce = false;
    training::StepTrace trace;
    const auto after = training::simulate_step(cluster, w, 2048, 16, &trace);
    double first_reduce_start = 1e30, last_backward_end = 0, reduce_busy = 0;
    for (const auto& span : trace.spans) {
        const auto& op = trace.program.ops[span.op];
        if (!op.is_compute() && trace.program.comm(op).kind == collective::CollectiveKind::all_reduce) {
            first_reduce_start = std::min(first_reduce_start, span.start_s);
            reduce_busy += span.end_s - span.start_s;
        }
        if (op.is_compute() && op.phase == training::Phase::backward)
            last_backward_end = std::max(last_backward_end, span.end_s);
    }
    REQUIRE(reduce_busy > 0);
    CHECK(first_reduce_start >= last_backward_end);
    // The same compute; the reduction the overlap hid now adds to the step.
    CHECK(after.breakdown.compute_s == doctest::Approx(overlapped.breakdown.compute_s));
    CHECK(after.step_seconds > overlapped.step_seconds);
    CHECK(after.breakdown.exposed_comm_s > overlapped.breakdown.exposed_comm_s);
}

TEST_CASE("grad_reduce_dtype: 2-byte gradients (FP16 or BF16, one Dtype) put half the FP32 bytes on the wire") {
    const auto cluster = data_parallel_cluster();
    auto w = data_parallel_workload(0);
    auto reduced_bytes = [&](const workload::Workload& wl) {
        double bytes = 0;
        const auto program = training::build_program(cluster, wl, 2048, 16);
        for (const auto& op : program.ops)
            if (!op.is_compute() && program.comm(op).kind == collective::CollectiveKind::all_reduce)
                bytes += program.comm(op).bytes.value();
        return bytes;
    };
    const double fp32 = reduced_bytes(w);
    w.training.grad_reduce_dtype = hardware::Dtype::bf16;
    REQUIRE(fp32 > 0);
    CHECK(reduced_bytes(w) == doctest::Approx(fp32 / 2));
}

TEST_CASE("full mode: every GPU runs its stage's ops; with alpha-beta pricing it matches symmetric mode") {
    const auto cluster = free_network_cluster(1);
    auto w = uniform_dense(8, 2, 2, workload::PipelineSchedule::one_f_one_b);
    w.parallel.tp = 2;
    const auto sym = training::build_program(cluster, w, 2048, 8);
    const auto full = training::expand_to_full(sym);
    CHECK(full.ranks == 8);
    CHECK(full.ops.size() == sym.ops.size() * 4);
    for (const auto& op : full.ops) {
        CHECK(op.rank >= 0);
        CHECK(op.rank < 8);
        for (auto d : op.deps) {
            // Dependencies stay within a GPU or go to the same position of another stage.
            const int other = full.ops[d].rank;
            CHECK((other == op.rank || other % 4 == op.rank % 4));
        }
        if (!op.is_compute()) CHECK(full.comm(op).member == op.rank);
    }
    // The alpha-beta network prices every collective alone, so each member's call takes what the
    // representative's took: the full program must give the symmetric step time exactly.
    auto slow = cluster;
    slow.nvlink_per_direction = units::Bandwidth(50e9);
    const compute::ComputeModel compute(slow.gpu, slow.efficiency.compute, 0);
    auto run = [&](const training::Program& program) {
        engine::Simulation sim;
        network::AlphaBetaNetwork net(sim, slow);
        training::StepReplay replay(program, compute, net, sim);
        double finish = 0;
        for (const auto& r : replay.run()) finish = std::max(finish, r.finish_s);
        return finish;
    };
    const auto sym_slow = training::build_program(slow, w, 2048, 8);
    CHECK(run(training::expand_to_full(sym_slow)) == run(sym_slow));
}

TEST_CASE("flow network: symmetric and full mode agree within 1% on a 32-GPU cluster") {
    // Issue 3: one representative per pipeline stage (the network carrying every symmetric copy
    // of its flows) must give the step time of simulating every GPU.
    auto cluster = free_network_cluster(4);
    cluster.nvlink_per_direction = units::Bandwidth(200e9);
    cluster.nic_bandwidth = units::Bandwidth(25e9);
    cluster.nvlink_latency = units::Seconds(3e-6);
    cluster.fabric.latency = units::Seconds(5e-6);
    cluster.fabric.switch_radix = 64;
    auto w = uniform_dense(8, 2, 4, workload::PipelineSchedule::one_f_one_b);
    w.parallel.tp = 4;
    w.parallel.sequence_parallel = true;
    w.parallel.zero_stage = 1;
    training::StepOptions sym_options;
    training::StepOptions full_options;
    full_options.full = true;
    const auto sym = training::simulate_step(cluster, w, 2048, 32, nullptr, sym_options);
    const auto full = training::simulate_step(cluster, w, 2048, 32, nullptr, full_options);
    CHECK(full.ops == sym.ops * 16);
    CHECK(full.step_seconds == doctest::Approx(sym.step_seconds).epsilon(0.01));
    // Communication matters here: the comparison is not between two compute-only runs.
    CHECK(sym.breakdown.exposed_comm_s > 0.01 * sym.step_seconds);
}

TEST_CASE("tensor-parallel communication: exposed by default, hidden beside the GEMMs with tp_comm_overlap") {
    auto cluster = free_network_cluster(1);
    cluster.nvlink_per_direction = units::Bandwidth(20e9); // slow enough to matter
    auto w = uniform_dense(4, 1, 2, workload::PipelineSchedule::one_f_one_b);
    w.parallel.tp = 4;
    w.parallel.sequence_parallel = true;
    training::StepOptions alpha_beta;
    alpha_beta.network = network::NetworkKind::alpha_beta;
    const auto exposed = training::simulate_step(cluster, w, 2048, 4, nullptr, alpha_beta);
    w.parallel.tp_comm_overlap = true;
    const auto overlapped = training::simulate_step(cluster, w, 2048, 4, nullptr, alpha_beta);
    CHECK(overlapped.step_seconds < exposed.step_seconds);
    CHECK(overlapped.breakdown.exposed_comm_s < exposed.breakdown.exposed_comm_s);
    // Compute is the same work either way.
    CHECK(overlapped.breakdown.compute_s == doctest::Approx(exposed.breakdown.compute_s).epsilon(1e-9));
}

namespace {
/// The kernels of program block `name` (fails the test when there is none).
const std::vector<compute::Kernel>& block_kernels(const training::Program& program, const std::string& name) {
    for (const auto& b : program.blocks)
        if (b.name == name) return b.kernels;
    FAIL("no block named " << name);
    static const std::vector<compute::Kernel> none;
    return none;
}

bool has_elementwise_of(const std::vector<compute::Kernel>& kernels, double bytes) {
    for (const auto& k : kernels)
        if (k.cls == compute::OpClass::elementwise && k.bytes.value() == doctest::Approx(bytes)) return true;
    return false;
}

/// The TP collectives of the embedding and the output layer (layer -1) in `phase`, as
/// (kind, bytes) in program order.
std::vector<std::pair<collective::CollectiveKind, double>> end_collectives(const training::Program& program,
                                                                           training::Phase phase) {
    std::vector<std::pair<collective::CollectiveKind, double>> out;
    for (const auto& op : program.ops)
        if (!op.is_compute() && op.layer == -1 && op.dim == layout::Dim::tp && op.phase == phase &&
            op.stream == training::Stream::comm)
            out.emplace_back(program.comm(op).kind, program.comm(op).bytes.value());
    return out;
}
} // namespace

TEST_CASE("the loss: Megatron-Core's vocabulary-parallel cross entropy makes 38 bytes of passes per logit, 14 back") {
    // megatron/core/tensor_parallel/cross_entropy.py (unfused, the default) over the T x V/tp
    // logits: cast to FP32 (2 + 4), max (4), subtract in place (4 + 4), exp in place (4 + 4),
    // sum (4), divide in place (4 + 4) = 38 bytes; backward: multiply in place (4 + 4) and the
    // cast back to BF16 (4 + 2) = 14. T = 2,048 tokens of one micro-batch, V = 32,000.
    const auto cluster = free_network_cluster(1);
    auto w = uniform_dense(2, 1, 1, workload::PipelineSchedule::one_f_one_b);
    w.model.vocab = 32000;
    auto program = training::build_program(cluster, w, 2048, 1);
    CHECK(has_elementwise_of(block_kernels(program, "head.fwd"), 2048.0 * 32000 * 38));
    CHECK(has_elementwise_of(block_kernels(program, "head.bwd"), 2048.0 * 32000 * 14));
    // Under TP8 each rank holds 4,000 of the vocabulary.
    w.parallel.tp = 8;
    w.parallel.dp = 1;
    program = training::build_program(cluster, w, 2048, 1);
    CHECK(has_elementwise_of(block_kernels(program, "head.fwd"), 2048.0 * 4000 * 38));
    CHECK(has_elementwise_of(block_kernels(program, "head.bwd"), 2048.0 * 4000 * 14));
}

TEST_CASE(
    "embedding and output layer under TP: one T x h collective each way, as Megatron-Core's vocab-parallel layers") {
    // The embedding's partial lookups are summed over TP (reduce-scatter to the sequence-parallel
    // slices, or all-reduce); the column-parallel output layer all-gathers its input under
    // sequence parallelism, and its input gradient comes back the opposite way. T x h x 2 B =
    // 2,048 x 4,096 x 2.
    using collective::CollectiveKind;
    const double bytes = 2048.0 * 4096 * 2;
    const auto cluster = free_network_cluster(1);
    auto w = uniform_dense(2, 1, 1, workload::PipelineSchedule::one_f_one_b);
    w.parallel.tp = 2;
    w.parallel.dp = 1;
    w.parallel.sequence_parallel = true;
    auto program = training::build_program(cluster, w, 2048, 1);
    using Row = std::vector<std::pair<CollectiveKind, double>>;
    CHECK(end_collectives(program, training::Phase::forward) ==
          Row{{CollectiveKind::reduce_scatter, bytes}, {CollectiveKind::all_gather, bytes}});
    CHECK(end_collectives(program, training::Phase::backward) ==
          Row{{CollectiveKind::reduce_scatter, bytes}, {CollectiveKind::all_gather, bytes}});
    w.parallel.sequence_parallel = false;
    program = training::build_program(cluster, w, 2048, 1);
    CHECK(end_collectives(program, training::Phase::forward) == Row{{CollectiveKind::all_reduce, bytes}});
    CHECK(end_collectives(program, training::Phase::backward) == Row{{CollectiveKind::all_reduce, bytes}});
    // Without TP there is nothing to sum.
    w.parallel.tp = 1;
    w.parallel.dp = 2;
    program = training::build_program(cluster, w, 2048, 2);
    CHECK(end_collectives(program, training::Phase::forward).empty());
    CHECK(end_collectives(program, training::Phase::backward).empty());
}

TEST_CASE("pipeline sends under TP: 1/TP per rank, gathered over NVLink on arrival without sequence parallelism") {
    // SC'21 sec. 4.1 (scatter/gather): each of the TP ranks sends T x h x 2 B / TP across the
    // stage boundary; without sequence parallelism the receiving TP group all-gathers the
    // T x h x 2 B tensor. PP2 with 4 micro-batches: 4 forward sends from stage 0 and 4 backward
    // sends from stage 1.
    using collective::CollectiveKind;
    const auto cluster = free_network_cluster(2);
    auto w = uniform_dense(4, 2, 1, workload::PipelineSchedule::one_f_one_b);
    w.parallel.tp = 2;
    const double tensor = 2048.0 * 4096 * 2;
    auto count = [](const training::Program& program, CollectiveKind kind, double bytes) {
        int n = 0;
        for (const auto& op : program.ops)
            if (!op.is_compute() && op.stream == training::Stream::pp && program.comm(op).kind == kind &&
                program.comm(op).bytes.value() == doctest::Approx(bytes))
                ++n;
        return n;
    };
    auto program = training::build_program(cluster, w, 2048, 4);
    CHECK(count(program, CollectiveKind::send_recv, tensor / 2) == 8);
    CHECK(count(program, CollectiveKind::all_gather, tensor) == 8);
    w.parallel.sequence_parallel = true;
    program = training::build_program(cluster, w, 2048, 4);
    CHECK(count(program, CollectiveKind::send_recv, tensor / 2) == 8);
    CHECK(count(program, CollectiveKind::all_gather, tensor) == 0);
    // The simulated step runs (the gathers wired into the receiving stages) in both modes.
    w.parallel.sequence_parallel = false;
    const auto symmetric = training::simulate_step(cluster, w, 2048, 4);
    training::StepOptions full;
    full.full = true;
    CHECK(training::simulate_step(cluster, w, 2048, 4, nullptr, full).step_seconds ==
          doctest::Approx(symmetric.step_seconds));
}

TEST_CASE("a program stores each collective once per segment and rank, not once per micro-batch (issue 18)") {
    const auto cluster = free_network_cluster(1);
    auto w = uniform_dense(8, 2, 2, workload::PipelineSchedule::one_f_one_b);
    w.parallel.tp = 2;
    w.parallel.sequence_parallel = true;
    auto check = [&](int batch) {
        const auto program = training::build_program(cluster, w, 2048, batch);
        std::size_t comm_ops = 0;
        for (const auto& op : program.ops) {
            if (op.is_compute()) {
                CHECK(op.comm == training::kNoComm);
                continue;
            }
            ++comm_ops;
            REQUIRE(op.comm < program.comms.size());
            CHECK(program.comm(op).groups < program.groups.size());
        }
        CHECK(program.comms.size() < comm_ops);
        return program.comms.size();
    };
    // Twice the micro-batches, twice the collectives run, the same table.
    CHECK(check(16) == check(8));
}
