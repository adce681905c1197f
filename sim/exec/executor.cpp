// The event order here is the step replay's since the first version of tcsim: outputs of every
// scenario depend on it bit for bit, so each step below keeps its place (make ready in id order,
// compute completions rounded up, successors in the order they were added, then the freed
// stream and the slotted streams retried).
#include "exec/executor.hpp"

#include <algorithm>
#include <limits>
#include <string>

namespace tcsim::exec {

Executor::Executor(engine::Simulation& sim, network::NetworkModel& network, ExecutorShape shape)
    : Executor(sim, network, std::move(shape), own_tables_) {}

// Given own_tables_, the reference binds to that member before it is constructed; it is
// constructed (declared before ops_) before anything below reads it.
Executor::Executor(engine::Simulation& sim, network::NetworkModel& network, ExecutorShape shape,
                   ExecutorTables& tables)
    : sim_(sim), network_(network), shape_(std::move(shape)), ops_(tables.ops), comms_(tables.comms),
      successors_(tables.successors), edges_(tables.edges) {
    tables.clear();
    if (shape_.lanes < 1) throw std::invalid_argument("an executor needs at least one lane");
    if (shape_.streams.empty()) throw std::invalid_argument("an executor needs at least one stream");
    if (shape_.primary_stream < 0 || shape_.primary_stream >= static_cast<int>(shape_.streams.size()))
        throw std::invalid_argument("the primary stream " + std::to_string(shape_.primary_stream) +
                                    " is not one of the " + std::to_string(shape_.streams.size()) + " streams");
    LaneState lane;
    lane.streams.resize(shape_.streams.size());
    for (std::size_t s = 0; s < shape_.streams.size(); ++s)
        lane.streams[s].slotted = shape_.streams[s].order == StreamOrder::slot_by_slot;
    lane.account.stream_busy_s.assign(shape_.streams.size(), 0.0);
    if (shape_.streams.size() > 0xffffU) throw std::invalid_argument("an executor has at most 65,535 streams");
    lanes_.assign(static_cast<std::size_t>(shape_.lanes), lane);
}

void Executor::reserve(std::size_t ops, std::size_t comm_ops, std::size_t dependencies) {
    ops_.reserve(ops);
    successors_.reserve(ops);
    comms_.reserve(comm_ops);
    edges_.reserve(dependencies);
}

void Executor::add_successor(OpId of, OpId to) {
    if (edges_.size() >= kNoEdge) throw std::length_error("executor: more than 4G dependencies");
    const auto e = static_cast<std::uint32_t>(edges_.size());
    edges_.push_back(Edge{to, kNoEdge});
    EdgeList& list = successors_[of];
    if (list.last == kNoEdge)
        list.first = e;
    else
        edges_[list.last].next = e;
    list.last = e;
}

OpId Executor::add(const OpSpec& op, units::Seconds compute) {
    return add(op, engine::to_duration(compute, engine::Rounding::up), nullptr);
}

OpId Executor::add(const OpSpec& op, const collective::CommWork& comm) { return add(op, engine::Duration{0}, &comm); }

OpId Executor::add(const OpSpec& spec, engine::Duration compute, const collective::CommWork* comm) {
    const auto id = static_cast<OpId>(ops_.size());
    if (spec.lane < 0 || spec.lane >= lanes())
        throw std::invalid_argument("op " + std::to_string(id) + " on a lane outside the executor");
    if (spec.stream < 0 || spec.stream >= static_cast<int>(shape_.streams.size()))
        throw std::invalid_argument("op " + std::to_string(id) + " on a stream outside the executor");
    if (spec.category < 0) throw std::invalid_argument("op " + std::to_string(id) + " has a negative category");
    Op op;
    op.lane = spec.lane;
    op.stream = static_cast<std::uint16_t>(spec.stream);
    op.slot = spec.slot;
    op.category = spec.category;
    for (OpId d : spec.deps) {
        if (d < id) {
            if (!ops_[d].done) ++op.waiting;
            continue;
        }
        // An op not added yet: allowed until start(), which checks that it was added.
        if (started_)
            throw std::invalid_argument("op " + std::to_string(id) + " depends on op " + std::to_string(d) +
                                        ", which is not there: once started, ops depend only on ops already added");
        ++op.waiting;
        if (!latest_dep_ || d > latest_dep_->second) latest_dep_ = std::pair<OpId, OpId>{id, d};
    }
    op.duration = compute;
    auto& stream = lanes_[static_cast<std::size_t>(op.lane)].streams[static_cast<std::size_t>(op.stream)];
    if (stream.slotted) {
        if (stream.started_slot && op.slot < *stream.started_slot)
            throw std::logic_error("op " + std::to_string(id) + " is in slot " + std::to_string(op.slot) +
                                   " of a stream that has started slot " + std::to_string(*stream.started_slot));
        auto at = std::lower_bound(stream.slots.begin(), stream.slots.end(), op.slot,
                                   [](const StreamState::SlotCount& c, int slot) { return c.slot < slot; });
        if (at == stream.slots.end() || at->slot != op.slot) at = stream.slots.insert(at, {op.slot, 0});
        ++at->unstarted;
        // No later slot has started, so the stream may step back to this one (it had moved past
        // it only because its ops had all started).
        stream.current = std::min(stream.current, static_cast<std::size_t>(at - stream.slots.begin()));
    }
    // Every check has passed: the op exists from here on (once started, add() may start it).
    if (comm != nullptr) {
        op.comm = static_cast<std::int32_t>(comms_.size());
        comms_.push_back(*comm);
    }
    if (successors_.size() <= id) successors_.resize(id + 1);
    for (OpId d : spec.deps) {
        if (d >= successors_.size()) successors_.resize(d + 1);
        if (d >= id || !ops_[d].done) add_successor(d, id);
    }
    ops_.push_back(op);
    if (started_ && op.waiting == 0) make_ready(id);
    return id;
}

double Executor::now() const { return engine::to_seconds(sim_.now().time_since_epoch()); }

void Executor::start() {
    if (started_) return;
    if (latest_dep_ && latest_dep_->second >= ops_.size())
        throw std::invalid_argument("op " + std::to_string(latest_dep_->first) + " depends on a missing op");
    started_ = true;
    // Ops added from here on (by ops made ready below, through observers) are made ready by
    // add(); this loop reaches only the ones already there.
    const auto n = static_cast<OpId>(ops_.size());
    for (OpId i = 0; i < n; ++i)
        if (ops_[i].waiting == 0) make_ready(i);
}

void Executor::make_ready(OpId i) {
    const int lane = ops_[i].lane;
    const int stream = ops_[i].stream;
    auto& s = lanes_[static_cast<std::size_t>(lane)].streams[static_cast<std::size_t>(stream)];
    s.ready.push_back(i);
    std::push_heap(s.ready.begin(), s.ready.end(), ready_after(s));
    try_start(lane, stream);
}

void Executor::try_start(int lane, int stream) {
    auto& s = lanes_[static_cast<std::size_t>(lane)].streams[static_cast<std::size_t>(stream)];
    if (s.busy || s.ready.empty()) return;
    const OpId next = s.ready.front();
    if (s.slotted) {
        // Advance past fully started slots; only the current slot may run.
        while (s.current < s.slots.size() && s.slots[s.current].unstarted == 0) ++s.current;
        if (s.current >= s.slots.size() || ops_[next].slot != s.slots[s.current].slot) return;
    }
    std::pop_heap(s.ready.begin(), s.ready.end(), ready_after(s));
    s.ready.pop_back();
    begin(next);
}

void Executor::mark_idle(LaneState& lane, double t) {
    // Closes the primary stream's idle interval so far, classified by whether other work of
    // the lane was in flight; called whenever that state is about to change.
    if (lane.streams[static_cast<std::size_t>(shape_.primary_stream)].busy) return;
    const double idle = t - lane.idle_since;
    if (idle > 0)
        (lane.other_in_flight > 0 ? lane.account.idle_other_in_flight_s : lane.account.idle_nothing_in_flight_s) +=
            idle;
    lane.idle_since = t;
}

void Executor::begin(OpId i) {
    Op& op = ops_[i];
    auto& lane = lanes_[static_cast<std::size_t>(op.lane)];
    auto& s = lane.streams[static_cast<std::size_t>(op.stream)];
    const double t = now();
    mark_idle(lane, t);
    s.busy = true;
    op.start_s = t;
    if (s.slotted) {
        --s.slots[s.current].unstarted; // try_start checked that the op is of the current slot
        s.started_slot = std::max(s.started_slot.value_or(op.slot), op.slot);
    }
    if (op.stream != shape_.primary_stream) ++lane.other_in_flight;
    if (op.comm < 0) {
        sim_.schedule_after(op.duration, [this, i] { finish(i); });
    } else {
        network_.transfer(comms_[static_cast<std::size_t>(op.comm)], [this, i] { finish(i); });
    }
    if (observer_.started) observer_.started(i, t);
}

void Executor::finish(OpId i) {
    // Observers may add ops (growing ops_ and successors_), so nothing here holds a reference
    // into them across a call out.
    const int lane_index = ops_[i].lane;
    const int stream = ops_[i].stream;
    const double started = ops_[i].start_s;
    auto& lane = lanes_[static_cast<std::size_t>(lane_index)];
    const double t = now();
    lane.streams[static_cast<std::size_t>(stream)].busy = false;
    if (stream == shape_.primary_stream) {
        lane.idle_since = t;
    } else {
        mark_idle(lane, t);
        --lane.other_in_flight;
    }
    LaneAccount& account = lane.account;
    account.stream_busy_s[static_cast<std::size_t>(stream)] += t - started;
    const auto category = static_cast<std::size_t>(ops_[i].category);
    if (account.category_busy_s.size() <= category) account.category_busy_s.resize(category + 1, 0.0);
    account.category_busy_s[category] += t - started;
    account.finish_s = std::max(account.finish_s, t);
    ops_[i].done = true;
    ++done_;
    if (observer_.finished) observer_.finished(OpSpan{i, started, t});
    // (No successor of op i is added from here on: it is done.)
    for (std::uint32_t e = successors_[i].first; e != kNoEdge; e = edges_[e].next) {
        const OpId s = edges_[e].to;
        if (--ops_[s].waiting == 0) make_ready(s);
    }
    // The stream that just freed, and the slotted streams (a slot may have opened).
    try_start(lane_index, stream);
    for (int s = 0; s < static_cast<int>(shape_.streams.size()); ++s)
        if (s != stream && lane.streams[static_cast<std::size_t>(s)].slotted) try_start(lane_index, s);
}

void Executor::complete() const {
    if (done_ == ops_.size()) return;
    const std::size_t left = ops_.size() - done_;
    for (OpId i = 0; i < ops_.size(); ++i)
        if (ops_[i].waiting > 0)
            throw DeadlockError("ops deadlocked: op " + std::to_string(i) + " on lane " + std::to_string(ops_[i].lane) +
                                    " never became ready (" + std::to_string(left) + " ops left)",
                                {.never_ready = true, .op = i, .lane = ops_[i].lane, .ops_left = left});
    for (OpId i = 0; i < ops_.size(); ++i)
        if (!ops_[i].done)
            throw DeadlockError("ops deadlocked: ready ops never started (slot order violates dependencies)",
                                {.never_ready = false, .op = i, .lane = ops_[i].lane, .ops_left = left});
}

std::vector<LaneAccount> Executor::run() {
    start();
    sim_.run();
    complete();
    std::vector<LaneAccount> out;
    out.reserve(lanes_.size());
    for (int l = 0; l < lanes(); ++l) out.push_back(account(l));
    return out;
}

LaneAccount Executor::account(int lane_index) const {
    const auto& lane = lanes_.at(static_cast<std::size_t>(lane_index));
    LaneAccount out = lane.account;
    // The idle interval still open, closed at the lane's last op end (as mark_idle would).
    if (!lane.streams[static_cast<std::size_t>(shape_.primary_stream)].busy) {
        const double idle = out.finish_s - lane.idle_since;
        if (idle > 0) (lane.other_in_flight > 0 ? out.idle_other_in_flight_s : out.idle_nothing_in_flight_s) += idle;
    }
    return out;
}

} // namespace tcsim::exec
