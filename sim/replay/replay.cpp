#include "replay/replay.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace tcsim::replay {

using workload::OpIndex;
using workload::Stream;

Replay::Replay(const workload::Program& program, const compute::ComputeModel& compute, network::NetworkModel& network,
               engine::Simulation& sim)
    : program_(program), compute_(compute), network_(network), sim_(sim) {
    block_seconds_.reserve(program.blocks.size());
    for (const auto& b : program.blocks) block_seconds_.push_back(compute.block_time(b).count());
    const std::size_t n = program.ops.size();
    waiting_.assign(n, 0);
    successors_.assign(n, {});
    ranks_.assign(static_cast<std::size_t>(program.ranks), RankState{});
    for (OpIndex i = 0; i < n; ++i) {
        const auto& op = program.ops[i];
        if (op.rank < 0 || op.rank >= program.ranks) throw std::logic_error("op " + std::to_string(i) + " on a rank outside the program");
        for (OpIndex d : op.deps) {
            if (d >= n) throw std::logic_error("op " + std::to_string(i) + " depends on a missing op");
            successors_[d].push_back(i);
        }
        waiting_[i] = static_cast<int>(op.deps.size());
        if (op.is_compute()) ranks_[static_cast<std::size_t>(op.rank)].slot_ids.push_back(op.slot);
    }
    for (auto& r : ranks_) {
        std::sort(r.slot_ids.begin(), r.slot_ids.end());
        r.slot_ids.erase(std::unique(r.slot_ids.begin(), r.slot_ids.end()), r.slot_ids.end());
        r.unstarted_compute.assign(r.slot_ids.size(), 0);
    }
    for (const auto& op : program.ops)
        if (op.is_compute()) ++ranks_[static_cast<std::size_t>(op.rank)].unstarted_compute[slot_index(op.rank, op.slot)];
}

std::size_t Replay::slot_index(int rank, int slot) const {
    const auto& ids = ranks_[static_cast<std::size_t>(rank)].slot_ids;
    return static_cast<std::size_t>(std::lower_bound(ids.begin(), ids.end(), slot) - ids.begin());
}

double Replay::now() const { return engine::to_seconds(sim_.now().time_since_epoch()); }

void Replay::make_ready(OpIndex i) {
    const auto& op = program_.ops[i];
    auto& q = ranks_[static_cast<std::size_t>(op.rank)].streams[static_cast<int>(op.stream)].ready;
    q.push_back(i);
    std::push_heap(q.begin(), q.end(), std::greater<>{});
    try_start(op.rank, op.stream);
}

void Replay::try_start(int rank, Stream stream) {
    auto& r = ranks_[static_cast<std::size_t>(rank)];
    auto& s = r.streams[static_cast<int>(stream)];
    if (s.busy || s.ready.empty()) return;
    const OpIndex next = s.ready.front();
    if (stream == Stream::compute) {
        // Advance past fully started slots; only the current slot may run.
        while (r.current_slot < r.slot_ids.size() && r.unstarted_compute[r.current_slot] == 0) ++r.current_slot;
        if (r.current_slot >= r.slot_ids.size() || program_.ops[next].slot != r.slot_ids[r.current_slot]) return;
    }
    std::pop_heap(s.ready.begin(), s.ready.end(), std::greater<>{});
    s.ready.pop_back();
    start(next);
}

void Replay::mark_idle(RankState& r, double t) {
    // Closes the compute stream's idle interval so far, classified by whether this rank was
    // waiting with communication in flight; called whenever that state is about to change.
    if (r.streams[static_cast<int>(Stream::compute)].busy) return;
    const double idle = t - r.idle_since;
    if (idle > 0) (r.comm_in_flight > 0 ? r.breakdown.exposed_comm_s : r.breakdown.bubble_s) += idle;
    r.idle_since = t;
}

void Replay::start(OpIndex i) {
    const auto& op = program_.ops[i];
    auto& r = ranks_[static_cast<std::size_t>(op.rank)];
    auto& s = r.streams[static_cast<int>(op.stream)];
    const double t = now();
    mark_idle(r, t);
    s.busy = true;
    if (op.is_compute()) {
        --r.unstarted_compute[slot_index(op.rank, op.slot)];
        const double seconds = block_seconds_[static_cast<std::size_t>(op.block)];
        sim_.schedule_after(engine::to_duration(units::Seconds(seconds), engine::Rounding::up),
                            [this, i, t] { finish(i, t); });
    } else {
        ++r.comm_in_flight;
        network_.transfer(op.comm, [this, i, t] { finish(i, t); });
    }
}

void Replay::finish(OpIndex i, double started) {
    const auto& op = program_.ops[i];
    auto& r = ranks_[static_cast<std::size_t>(op.rank)];
    const double t = now();
    r.streams[static_cast<int>(op.stream)].busy = false;
    if (op.is_compute()) {
        r.breakdown.compute_s += t - started;
        r.idle_since = t;
    } else {
        mark_idle(r, t);
        --r.comm_in_flight;
        if (op.dim == workload::Dim::ep) r.expert_comm += t - started;
    }
    r.finish = std::max(r.finish, t);
    ++done_;
    if (observer_) observer_(OpSpan{i, started, t});
    for (OpIndex s : successors_[i])
        if (--waiting_[s] == 0) make_ready(s);
    // The stream that just freed, and the compute stream (a slot may have opened).
    try_start(op.rank, op.stream);
    if (op.stream != Stream::compute) try_start(op.rank, Stream::compute);
}

std::vector<RankTimes> Replay::run() {
    for (OpIndex i = 0; i < program_.ops.size(); ++i)
        if (waiting_[i] == 0) make_ready(i);
    sim_.run();
    if (done_ != program_.ops.size()) {
        for (OpIndex i = 0; i < program_.ops.size(); ++i)
            if (waiting_[i] > 0)
                throw std::logic_error("program deadlocked: op " + std::to_string(i) + " on rank " +
                                       std::to_string(program_.ops[i].rank) + " never became ready (" +
                                       std::to_string(program_.ops.size() - done_) + " ops left)");
        throw std::logic_error("program deadlocked: ready ops never started (slot order violates dependencies)");
    }
    std::vector<RankTimes> out;
    for (std::size_t r = 0; r < ranks_.size(); ++r) {
        auto& rs = ranks_[r];
        mark_idle(rs, rs.finish);
        out.push_back(RankTimes{static_cast<int>(r), rs.finish, rs.breakdown, rs.expert_comm});
    }
    return out;
}

} // namespace tcsim::replay
