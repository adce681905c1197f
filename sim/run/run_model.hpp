// From step to run: the phases of a training run, each priced by a simulated step.
//
// Contract: simulate_run() splits the workload's training into phases (batch ramp cut into
// `ramp_phases` equal-token phases, each run at its mean batch rounded to what the layout can
// run; the steady state; then the context-extension stages, each at its own layout when the
// workload gives one, else at the pre-training layout), simulates one step per distinct
// (layout, sequence length, batch) and prices each phase's tokens at that step's tokens per
// second. A batch the layout cannot run exactly (too few or indivisible micro-batches) is
// simulated at the nearest batch it can run: the phase records both. Deterministic. No
// failures or checkpoints (run/failure_simulation.hpp adds them). PlannedRun is simulate_run in
// two halves, so that the steps of several runs (a report's) share one WorkPool: its
// constructor plans the phases and adds each distinct step to the pool; once the pool has run,
// price() gives the same RunResult simulate_run gives.
#pragma once

#include "network/fabric.hpp"
#include "run/run_result.hpp"
#include "run/step_buffer_pool.hpp"
#include "run/work_pool.hpp"
#include "topology/cluster.hpp"
#include "training/step_result.hpp"
#include "workload/workload.hpp"

#include <memory>
#include <string>
#include <vector>

namespace tcsim::run {

struct RunOptions {
    int ramp_phases = 4;
    bool include_extension = true;
    /// Simulate every GPU of each step instead of one representative per pipeline stage
    /// (training::StepOptions::full): slower, the same figures within 1 % where both run.
    bool full = false;
    /// Threads for the run's distinct steps (each simulated once) in simulate_run; any count
    /// gives the same result, bit for bit. A PlannedRun's steps run on its pool's threads.
    int threads = 1;
    /// The fabric to simulate on, built for exactly the run's cluster (null: built here); the
    /// load that checked the cluster keeps the graph it built (scenario::Inputs::fabric).
    std::shared_ptr<const network::Fabric> fabric = nullptr;
    /// Where the run's threads take their step buffers from and give them back (null: the run
    /// makes its own): the runs of one report share the memory mapped for the first.
    StepBufferPool* buffers = nullptr;
};

/// The batch nearest to `batch` that `parallel` can run: a multiple of DP x micro-batch (times 2
/// for DualPipe's even micro-batch count, times PP for interleaved 1F1B), and at least 2 x PP
/// micro-batches per replica for DualPipe.
int runnable_batch(const workload::ParallelSpec& parallel, double batch);

/// The workload as extension stage `stage` runs it: the stage's layout (or the pre-training
/// one), its sequence length and `batch` as the global batch; no ramp and no further stages.
workload::Workload stage_workload(const workload::Workload& workload, const workload::ExtensionStage& stage, int batch);

/// Checks every layout the run will use before anything is simulated: the pre-training plan
/// and its memory at the batch the steady phase will be simulated at, and each extension
/// stage's plan and memory at the batch it will be simulated at. Throws workload::PlanError
/// naming the stage.
void check_run(const topology::ClusterSpec& cluster, const workload::Workload& workload,
               const RunOptions& options = {});

RunResult simulate_run(const topology::ClusterSpec& cluster, const workload::Workload& workload,
                       const RunOptions& options = {});

/// A run whose distinct steps wait in a WorkPool (its own copies of what they need: the plan
/// may be moved or outlive its arguments).
class PlannedRun {
public:
    PlannedRun(const topology::ClusterSpec& cluster, const workload::Workload& workload, const RunOptions& options,
               WorkPool& pool);
    /// The run priced from its steps; `pool` is the one given, run since.
    [[nodiscard]] RunResult price(const WorkPool& pool) const;

private:
    struct Phase {
        std::string name;
        workload::ParallelSpec parallel;
        bool extension = false;
        bool own_layout = false;
        int seq_len = 0;
        double batch = 0;
        double tokens = 0;
        std::size_t step = 0; ///< index into steps_
    };
    std::vector<Phase> phases_;
    std::vector<WorkPool::Ticket<training::StepResult>> steps_; ///< one per distinct step
    int gpus_ = 0;
};

} // namespace tcsim::run
