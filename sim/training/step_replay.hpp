// Runs a training step's Program on the executor (exec/executor.hpp): one lane per rank with a
// compute stream and three communication streams (comm, pp, dp), compute blocks priced by the
// compute model, collectives by the network model.
//
// Contract
// - Each rank has one compute stream and three communication streams (comm, pp, dp). A stream
//   runs one op at a time. The compute stream runs the ops of its lowest unfinished slot, in
//   id order among the ready ones, and never starts an op of a later slot early: a framework
//   issues one schedule action after another on one CUDA stream. Communication streams run
//   their ops as Program::comm_order says: ready ops in program order, or (agreed) strictly in
//   the order of Op::issue, each once it is ready.
// - Compute blocks are priced once per block; each op completion is one engine event.
// - Compute-stream idle time is classified: exposed communication while any communication op
//   of the same rank is in flight, pipeline bubble otherwise.
// - Throws exec::DeadlockError (a std::logic_error) if the program deadlocks (ops left that can
//   never start), naming the first stuck op; std::logic_error if a compute op is on a
//   communication stream or the reverse, or a communication op without an issue position in
//   an agreed order; std::invalid_argument (from the executor) for an op on
//   a rank outside the program or a dependency on an op it does not have.
// - Optional observer: called for every op with its start and end, for timelines.
#pragma once

#include "compute/compute_model.hpp"
#include "engine/simulation.hpp"
#include "exec/executor.hpp"
#include "network/network_model.hpp"
#include "training/full_expansion.hpp"
#include "training/program.hpp"
#include "training/step_buffers.hpp"
#include "training/step_result.hpp"

#include <cstdint>
#include <functional>
#include <vector>

namespace tcsim::training {

/// When one op of the program ran (its index in Program::ops), in seconds.
using exec::OpSpan;

/// Whether the executor holds every op from the start (each copied in before the run) or only
/// those in flight (made from the program, or full mode's expansion, as they first matter and
/// forgotten once finished, exec/op_source.hpp). The run is the same either way; the second
/// holds far less.
enum class HeldOps : std::uint8_t { in_flight, all };

class StepReplay {
public:
    using Observer = std::function<void(const OpSpan&)>;

    /// With `buffers`, the executor keeps its tables, and the replay its index of the program's
    /// successors, in an earlier step's buffers (training/step_buffers.hpp: their memory reused;
    /// the run is the same; their program ops are not touched). `held`: the program's ops
    /// declared to the executor (training/program_source.hpp), or every op copied into its tables.
    StepReplay(const Program& program, const compute::ComputeModel& compute, network::NetworkModel& network,
               engine::Simulation& sim, StepBuffers* buffers = nullptr, HeldOps held = HeldOps::in_flight);
    /// Full mode without the full Program: every GPU's ops made one at a time by `expansion`
    /// (training/full_expansion.hpp) from its symmetric program, with the same ids, the same
    /// order and so the same run as replaying expand_to_full's Program. `held`: every op added
    /// before the run, or (in_flight) each made when the executor first needs it and forgotten
    /// once finished. The network must run `expansion.groups()`; the sets are added to it in id
    /// order before the run either way.
    StepReplay(FullExpansion& expansion, const Program& symmetric, const compute::ComputeModel& compute,
               network::NetworkModel& network, engine::Simulation& sim, StepBuffers* buffers = nullptr,
               HeldOps held = HeldOps::in_flight);

    void set_observer(Observer observer) { observer_ = std::move(observer); }

    /// Runs the whole program; returns per-rank finish times and breakdowns.
    std::vector<RankTimes> run();
    /// After run(): the most op records the executor held at once (every op unless it held only
    /// those in flight).
    [[nodiscard]] std::size_t peak_ops_held() const { return peak_ops_held_; }

private:
    const Program& program_;
    FullExpansion* expansion_ = nullptr;
    const compute::ComputeModel& compute_;
    network::NetworkModel& network_;
    engine::Simulation& sim_;
    StepBuffers* buffers_ = nullptr;
    Observer observer_;
    HeldOps held_ = HeldOps::in_flight;
    std::size_t peak_ops_held_ = 0;
};

} // namespace tcsim::training
