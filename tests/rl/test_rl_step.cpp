// One RL step under either placement: priced differently for stated reasons.
#include "rl/rl_step.hpp"

#include <doctest/doctest.h>

#include <stdexcept>

using namespace tcsim;
using namespace tcsim::rl;

namespace {
// The same rollout (600 s), scoring (60 s) and update (120 s); 22 GB of FP8 weights per
// rollout GPU (DeepSeek-V3 under EP144 decode, tcsim serve); per-GPU bandwidths of an H800:
// NVLink 200 GB/s one way x 0.8, one 400 Gb/s NIC = 50 GB/s x 0.9.
RlStepInputs h800_step() {
    RlStepInputs in;
    in.rollout = units::Seconds(600);
    in.scoring = units::Seconds(60);
    in.update = units::Seconds(120);
    in.trainer_gpus = 512;
    in.rollout_gpus = 144;
    in.weights_per_rollout_gpu = units::gigabytes(22);
    in.nvlink = units::gigabytes_per_second(160);
    in.network = units::gigabytes_per_second(45);
    return in;
}
} // namespace

TEST_CASE("colocated and separate placements differ in the sync's link and the GPUs held") {
    RlStepInputs in = h800_step();

    in.placement = Placement::colocated;
    const RlStepResult colocated = price_rl_step(in);
    // Resharding inside the node: 22 GB / 160 GB/s = 0.1375 s; the trainer's 512 GPUs only.
    CHECK(colocated.weight_sync.count() == doctest::Approx(22.0 / 160));
    CHECK(colocated.time.count() == doctest::Approx(780 + 22.0 / 160));
    CHECK(colocated.gpus == 512);

    in.placement = Placement::separate;
    const RlStepResult separate = price_rl_step(in);
    // Broadcast over the NICs: 22 GB / 45 GB/s = 0.489 s; both pools held: 656 GPUs.
    CHECK(separate.weight_sync.count() == doctest::Approx(22.0 / 45));
    CHECK(separate.gpus == 656);
    CHECK(separate.gpu_hours() == doctest::Approx(656 * (780 + 22.0 / 45) / 3600));
    CHECK(separate.gpu_hours() > colocated.gpu_hours());
}

// Asynchronous RLHF (Noukhovitch et al. arXiv:2410.18252): the next rollout overlaps this step's
// scoring and update on separate GPUs, so the step is the longer of the two pools' work.
TEST_CASE("an asynchronous rollout overlaps the update: the step is the longer pool's work") {
    RlStepInputs in = h800_step();
    in.placement = Placement::separate;
    const RlStepResult sync = price_rl_step(in);
    in.asynchronous = true;
    const RlStepResult async = price_rl_step(in);
    // Generation is the longer: 22 / 45 s of sync + 600 s, against 60 + 120 s of training.
    CHECK(async.time.count() == doctest::Approx(600 + 22.0 / 45));
    CHECK(async.gpus == 656);
    CHECK(sync.time.count() - async.time.count() == doctest::Approx(180));
    // Training the longer: the trainers set the pace and generation hides behind them.
    in.rollout = units::Seconds(100);
    CHECK(price_rl_step(in).time.count() == doctest::Approx(180));
    // Colocated GPUs cannot generate and train at once.
    in.placement = Placement::colocated;
    CHECK_THROWS_AS((void)price_rl_step(in), std::invalid_argument);
}

TEST_CASE("a separate placement needs its rollout GPUs") {
    RlStepInputs in;
    in.placement = Placement::separate;
    in.trainer_gpus = 8;
    in.network = units::gigabytes_per_second(45);
    CHECK_THROWS_AS((void)price_rl_step(in), std::invalid_argument);
}
