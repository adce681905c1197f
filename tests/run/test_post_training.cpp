// Post-training stages (run/post_training.hpp): SFT priced like a pre-training phase; an RL step
// as rollout + weight sync + scoring forwards + update, GRPO against PPO, colocated against
// separate rollouts; the workload file's [[post_training]] keys checked strictly.
#include "config/builtin_files.hpp"
#include "config/config_error.hpp"
#include "config/config_files.hpp"
#include "config/load_cluster.hpp"
#include "config/load_workload.hpp"
#include "run/post_training.hpp"
#include "run/run_model.hpp"
#include "serve/forward_step.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <string>

using namespace tcsim;

namespace {

// A small dense model on H800 nodes: PP2 x DP4 (8 GPUs) for pre-training and every stage.
const std::string kBase = R"(
name = "small"
source = "test"
[model]
layers = 8
hidden = 1024
vocab = 32000
[model.attention]
kind = "gqa"
heads = 16
kv_heads = 4
head_dim = 64
[model.ffn]
dense_intermediate = 4096
[training]
tokens = 1.0e9
seq_len = 2048
global_batch_sequences = 64
[parallel]
tp = 1
pp = 2
dp = 4
)";

std::string rl_stage(const std::string& name, const std::string& algorithm, const std::string& reward,
                     const std::string& placement, double sigma) {
    return "[[post_training]]\nname = \"" + name + "\"\nkind = \"rl\"\nalgorithm = \"" + algorithm +
           "\"\nsteps = 100\nprompts_per_step = 16\ngroup_size = 8\nupdates_per_rollout = 2\nprompt_tokens = 256\n"
           "response_median_tokens = 1000\nresponse_sigma = " +
           std::to_string(sigma) + "\nmax_response_tokens = 4096\nreward = \"" + reward + "\"\nplacement = \"" +
           placement + "\"\n" + (placement == "separate" ? "rollout_gpus = 8\n" : "") +
           "[post_training.rollout]\ntp = 1\ndp = 1\n";
}

const std::string kStages = R"(
[[post_training]]
name = "sft"
kind = "sft"
tokens = 2.0e8
seq_len = 4096
global_batch_sequences = 32
)" + rl_stage("grpo", "grpo", "rule", "colocated", 0.0) +
                            rl_stage("grpo model reward", "grpo", "model", "colocated", 0.0) +
                            rl_stage("ppo", "ppo", "rule", "colocated", 0.0) +
                            rl_stage("grpo separate", "grpo", "rule", "separate", 0.0) +
                            rl_stage("grpo long tail", "grpo", "rule", "colocated", 0.8);

struct Fixture {
    topology::ClusterSpec cluster;
    workload::Workload workload;
};

Fixture load(const std::string& text) {
    config::EmbeddedFiles files = config::builtin_files();
    files.add("workloads/post.toml", text);
    Fixture f{config::load_cluster(files, std::string(config::kBuiltinCluster)),
              config::load_workload(files, "workloads/post.toml")};
    f.cluster.nodes = 2; // 16 GPUs: 8 trainers + 8 separate rollout GPUs
    return f;
}

std::string refusal(const std::string& text) {
    try {
        (void)load(text);
    } catch (const config::ConfigError& e) {
        return e.what();
    }
    return "";
}

} // namespace

TEST_CASE("post-training stages are read in order, each layout defaulting to pre-training's") {
    const Fixture f = load(kBase + kStages);
    REQUIRE(f.workload.post_training.size() == 6);
    const auto& sft = f.workload.post_training[0];
    CHECK(sft.kind == workload::PostTrainingKind::sft);
    CHECK(sft.parallel.gpus() == 8);
    CHECK(sft.sft.seq_len == 4096);
    const auto& ppo = f.workload.post_training[3];
    CHECK(ppo.kind == workload::PostTrainingKind::rl);
    CHECK(ppo.rl.algorithm == workload::RlAlgorithm::ppo);
    CHECK(ppo.rl.prompts_per_step == 16);
    CHECK(ppo.rl.group_size == 8);
    CHECK(ppo.rl.updates_per_rollout == 2);
    CHECK(f.workload.post_training[4].rl.placement == workload::RolloutPlacement::separate);
    CHECK(f.workload.post_training[4].rl.rollout_gpus == 8);
}

TEST_CASE("SFT and RL stages priced by simulated steps; GRPO, PPO and the placements differ for stated reasons") {
    const Fixture f = load(kBase + kStages);
    CHECK_NOTHROW(run::check_post_training(f.cluster, f.workload));
    const auto stages = run::simulate_post_training(f.cluster, f.workload);
    REQUIRE(stages.size() == 6);

    // SFT: a phase like pre-training's, its tokens at the simulated step's tokens per second.
    const run::RunPhase& sft = stages[0].run.phases.front();
    CHECK(stages[0].run.gpus == 8);
    CHECK(sft.steps == doctest::Approx(2.0e8 / (32.0 * 4096)));
    CHECK(sft.seconds == doctest::Approx(2.0e8 / (sft.step.tokens_per_step / sft.step.step_seconds)));
    CHECK(stages[0].run.pretrain_seconds == doctest::Approx(sft.seconds));
    CHECK_FALSE(stages[0].rl.has_value());

    // GRPO, rule reward, lengths all equal (sigma 0): every response is the median.
    REQUIRE(stages[1].rl.has_value());
    const run::RlStepDetail& g = *stages[1].rl;
    CHECK(g.samples == 16 * 8);
    CHECK(g.mean_response == doctest::Approx(1000));
    CHECK(g.longest_response == 1000);
    CHECK(g.update_seq_len == 256 + 1000);
    // Scoring: the reference and old-policy forwards, each a third of the update (2 of 6 FLOPs).
    CHECK(g.forward_passes == 2);
    CHECK(g.scoring_s == doctest::Approx(2.0 / 3.0 * g.update_s));
    // One update is a U-th of one rollout, its weight sync and U x (scoring + update).
    CHECK(g.step_s == doctest::Approx(g.rollout_s + g.weight_sync_s + g.scoring_s + g.update_s));
    CHECK(stages[1].run.phases.front().seconds == doctest::Approx(100 * g.step_s));
    CHECK(stages[1].run.gpus == 8);
    // With equal lengths every slot stays busy to the end (one engine per GPU, 16 samples each).
    CHECK(g.engines == 8);

    // A model-based reward adds a forward pass of a policy-sized reward model.
    const run::RlStepDetail& m = *stages[2].rl;
    CHECK(m.forward_passes == 3);
    CHECK(m.scoring_s == doctest::Approx(1.5 * g.scoring_s));
    CHECK(m.rollout_s == doctest::Approx(g.rollout_s));

    // PPO: its critic is scored (3 forwards) and updated (twice the update); same rollout.
    const run::RlStepDetail& p = *stages[3].rl;
    CHECK(p.forward_passes == 3);
    CHECK(p.update_s == doctest::Approx(2.0 * g.update_s));
    CHECK(p.scoring_s == doctest::Approx(1.5 * g.scoring_s));
    CHECK(p.rollout_s == doctest::Approx(g.rollout_s));
    CHECK(p.step_s > g.step_s);

    // Separate: the weights cross the NICs instead of NVLink, and both pools are held all step.
    const run::RlStepDetail& s = *stages[4].rl;
    CHECK(stages[4].run.gpus == 16);
    CHECK(s.rollout_gpus == 8);
    const units::Bytes weights =
        serve::weight_bytes_per_gpu(f.workload.model, {1, 1, 1, 1, 0}, hardware::Dtype::bf16, 0);
    const double nvlink = (f.cluster.nvlink_per_direction * f.cluster.efficiency.links.fraction("nvlink")).value();
    const double nic = (f.cluster.network_per_gpu() * f.cluster.efficiency.links.fraction("network")).value();
    CHECK(g.weight_sync_s == doctest::Approx(weights.value() / nvlink / 2)); // a sync per rollout of 2 updates
    CHECK(s.weight_sync_s == doctest::Approx(weights.value() / nic / 2));
    CHECK(s.weight_sync_s > g.weight_sync_s);
    CHECK(s.rollout_s == doctest::Approx(g.rollout_s)); // the same engines on as many GPUs
    const double colocated_gpu_hours = stages[1].run.gpus * stages[1].run.pretrain_seconds;
    const double separate_gpu_hours = stages[4].run.gpus * stages[4].run.pretrain_seconds;
    CHECK(separate_gpu_hours > 1.9 * colocated_gpu_hours);

    // A long tail (sigma 0.8, the same median): the step waits for its longest responses.
    const run::RlStepDetail& t = *stages[5].rl;
    CHECK(t.longest_response > 2 * 1000);
    CHECK(t.rollout_s > g.rollout_s);
    CHECK(t.slot_utilisation < 0.9);
}

TEST_CASE("a workload with `base` takes the base file's model, recipe and layout and adds its stages") {
    config::EmbeddedFiles files = config::builtin_files();
    files.add("workloads/small.toml", kBase);
    files.add("workloads/post.toml", "name = \"small + RL\"\nsource = \"test\"\nbase = \"small.toml\"\n" +
                                         rl_stage("grpo", "grpo", "rule", "colocated", 0.0));
    const workload::Workload w = config::load_workload(files, "workloads/post.toml");
    CHECK(w.name == "small + RL");
    CHECK(w.model.layers == 8);
    CHECK(w.training.seq_len == 2048);
    CHECK(w.parallel.dp == 4);
    REQUIRE(w.post_training.size() == 1);
    CHECK(w.post_training[0].name == "grpo");
}

TEST_CASE("[[post_training]] keys are checked at their file, line and key") {
    // An RL key in an SFT stage.
    const std::string sft_with_group = kBase + R"(
[[post_training]]
name = "sft"
kind = "sft"
tokens = 2.0e8
seq_len = 4096
global_batch_sequences = 32
group_size = 16
)";
    std::string e = refusal(sft_with_group);
    CHECK(e.find("workloads/post.toml:") != std::string::npos);
    CHECK(e.find("group_size") != std::string::npos);
    CHECK(e.find("kind = \"rl\"") != std::string::npos);
    // A misspelt key.
    std::string misspelt = kBase + rl_stage("grpo", "grpo", "rule", "colocated", 0.0);
    misspelt.replace(misspelt.find("group_size"), 10, "groupsize");
    e = refusal(misspelt);
    CHECK(e.find("groupsize") != std::string::npos);
    // Out of range: a negative sigma, and a median above the maximum.
    e = refusal(kBase + rl_stage("grpo", "grpo", "rule", "colocated", -1.0));
    CHECK(e.find("response_sigma") != std::string::npos);
    std::string long_median = kBase + rl_stage("grpo", "grpo", "rule", "colocated", 0.0);
    long_median.replace(long_median.find("response_median_tokens = 1000"), 29, "response_median_tokens = 5000");
    e = refusal(long_median);
    CHECK(e.find("response_median_tokens") != std::string::npos);
    // An unknown algorithm, and rollout_gpus without a separate placement.
    std::string unknown = kBase + rl_stage("x", "grpo", "rule", "colocated", 0.0);
    unknown.replace(unknown.find("\"grpo\""), 6, "\"dpo\"");
    e = refusal(unknown);
    CHECK(e.find("algorithm") != std::string::npos);
    e = refusal(kBase + rl_stage("x", "grpo", "rule", "colocated", 0.0) + "rollout_gpus = 8\n");
    CHECK(e.find("rollout") != std::string::npos);
    // An asynchronous rollout on colocated GPUs, and an unknown mode.
    std::string async_colocated = kBase + rl_stage("x", "grpo", "rule", "colocated", 0.0);
    async_colocated.insert(async_colocated.find("[post_training.rollout]"), "rollout_mode = \"asynchronous\"\n");
    e = refusal(async_colocated);
    CHECK(e.find("rollout_mode") != std::string::npos);
    CHECK(e.find("placement = \"separate\"") != std::string::npos);
    std::string partial = kBase + rl_stage("x", "grpo", "rule", "separate", 0.0);
    partial.insert(partial.find("[post_training.rollout]"), "rollout_mode = \"partial\"\n");
    CHECK(refusal(partial).find("rollout_mode") != std::string::npos);
}

// Asynchronous RLHF (Noukhovitch et al. arXiv:2410.18252): on separate GPUs the next rollout
// overlaps this step's scoring and update, so a step is the longer pool's work, never more than
// the synchronous step; the GPUs held are the same.
TEST_CASE("an asynchronous rollout on separate GPUs overlaps the update") {
    std::string async_stage = rl_stage("grpo async", "grpo", "rule", "separate", 0.0);
    async_stage.insert(async_stage.find("[post_training.rollout]"), "rollout_mode = \"asynchronous\"\n");
    const Fixture f = load(kBase + rl_stage("grpo separate", "grpo", "rule", "separate", 0.0) + async_stage);
    const auto stages = run::simulate_post_training(f.cluster, f.workload);
    REQUIRE(stages.size() == 2);
    const run::RlStepDetail& sync = *stages[0].rl;
    const run::RlStepDetail& async = *stages[1].rl;
    CHECK_FALSE(sync.asynchronous);
    CHECK(async.asynchronous);
    CHECK(async.rollout_s == doctest::Approx(sync.rollout_s));
    CHECK(async.step_s ==
          doctest::Approx(std::max(async.weight_sync_s + async.rollout_s, async.scoring_s + async.update_s)));
    CHECK(async.step_s < sync.step_s);
    CHECK(stages[1].run.gpus == stages[0].run.gpus);
}

TEST_CASE("post-training planned on one work pool with a run gives its results alone, for any thread count") {
    // run/post_training.hpp: "once the pool has run, price() gives what simulate_post_training
    // gives". The stages' steps and rollouts share a pool with the pre-training run's steps, at
    // 1, 2 and 3 threads: every stage's figures match the stages simulated alone, to the bit.
    const Fixture f = load(kBase + kStages);
    const auto alone = run::simulate_post_training(f.cluster, f.workload);
    const auto run_alone = run::simulate_run(f.cluster, f.workload);
    for (const int threads : {1, 2, 3}) {
        CAPTURE(threads);
        run::WorkPool pool;
        const run::PlannedRun planned_run(f.cluster, f.workload, {}, pool);
        const run::PlannedPostTraining planned(f.cluster, f.workload, false, pool);
        pool.run(threads);
        CHECK(planned_run.price(pool).pretrain_seconds == run_alone.pretrain_seconds);
        const auto shared = planned.price(pool);
        REQUIRE(shared.size() == alone.size());
        for (std::size_t i = 0; i < shared.size(); ++i) {
            CHECK(shared[i].name == alone[i].name);
            CHECK(shared[i].run.pretrain_seconds == alone[i].run.pretrain_seconds);
            CHECK(shared[i].run.pretrain_model_flops == alone[i].run.pretrain_model_flops);
            CHECK(shared[i].run.phases.front().step.step_seconds == alone[i].run.phases.front().step.step_seconds);
            CHECK(shared[i].rl.has_value() == alone[i].rl.has_value());
            if (shared[i].rl) CHECK(shared[i].rl->rollout_s == alone[i].rl->rollout_s);
        }
    }
}
