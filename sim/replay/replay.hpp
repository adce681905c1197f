// Runs a Program on the event engine: compute and communication streams per rank, ops started
// when their dependencies are done, priced by the compute and network models.
//
// Contract
// - Each rank has one compute stream and three communication streams (comm, pp, dp). A stream
//   runs one op at a time. The compute stream runs the ops of its lowest unfinished slot, in
//   the order they become ready (program order among simultaneous ones) and never starts an op
//   of a later slot early: a framework issues one schedule action after another on one CUDA
//   stream. Communication streams run ready ops in program order of readiness.
// - Compute blocks are priced once per block; each op completion is one engine event.
// - Compute-stream idle time is classified: exposed communication while any communication op
//   of the same rank is in flight, pipeline bubble otherwise.
// - Throws std::logic_error if the program deadlocks (ops left that can never start), naming
//   the first stuck op.
// - Optional observer: called for every op with its start and end, for timelines.
#pragma once

#include "compute/compute_model.hpp"
#include "engine/simulation.hpp"
#include "network/network_model.hpp"
#include "replay/step_result.hpp"
#include "workload/program.hpp"

#include <functional>
#include <vector>

namespace tcsim::replay {

struct OpSpan {
    workload::OpIndex op = 0;
    double start_s = 0;
    double end_s = 0;
};

class Replay {
public:
    using Observer = std::function<void(const OpSpan&)>;

    Replay(const workload::Program& program, const compute::ComputeModel& compute, network::NetworkModel& network,
           engine::Simulation& sim);

    void set_observer(Observer observer) { observer_ = std::move(observer); }

    /// Runs the whole program; returns per-rank finish times and breakdowns.
    std::vector<RankTimes> run();

private:
    struct StreamState {
        bool busy = false;
        std::vector<workload::OpIndex> ready; ///< min-heap on op index (greater<>)
    };
    struct RankState {
        StreamState streams[workload::kStreamCount];
        std::vector<int> unstarted_compute;   ///< per slot index (dense), compute ops not yet started
        std::vector<int> slot_ids;            ///< distinct slots of this rank, ascending
        std::size_t current_slot = 0;         ///< index into slot_ids
        int comm_in_flight = 0;
        double idle_since = 0;
        double finish = 0;
        double expert_comm = 0;
        StepBreakdown breakdown;
    };

    void mark_idle(RankState& r, double t);
    void make_ready(workload::OpIndex op);
    void try_start(int rank, workload::Stream stream);
    void start(workload::OpIndex op);
    void finish(workload::OpIndex op, double started);
    double now() const;
    std::size_t slot_index(int rank, int slot) const;

    const workload::Program& program_;
    const compute::ComputeModel& compute_;
    network::NetworkModel& network_;
    engine::Simulation& sim_;
    Observer observer_;
    std::vector<double> block_seconds_;
    std::vector<int> waiting_;                          ///< unfinished deps per op
    std::vector<std::vector<workload::OpIndex>> successors_;
    std::vector<RankState> ranks_;
    std::size_t done_ = 0;
};

} // namespace tcsim::replay
