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
      successors_(tables.successors), edges_(tables.edges), places_(tables.places), free_(tables.free) {
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

void Executor::declare(OpSource& source) {
    if (started_ || !ops_.empty() || source_ != nullptr)
        throw std::logic_error("declare: only an executor without ops, before it starts, takes declared ops");
    const std::size_t n = source.ops();
    if (n >= kDone) throw std::logic_error("declare: " + std::to_string(n) + " ops exceed what an op id can name");
    source_ = &source;
    declared_ = n;
    places_.assign(n, kUnmade);
    for (int l = 0; l < lanes(); ++l) {
        auto& lane = lanes_[static_cast<std::size_t>(l)];
        for (int st = 0; st < static_cast<int>(lane.streams.size()); ++st) {
            auto& s = lane.streams[static_cast<std::size_t>(st)];
            if (!s.slotted) continue;
            s.declared = source.slots(l, st);
            s.declared_unstarted = s.declared.empty() ? 0 : s.declared.front().ops;
        }
    }
}

Executor::Op Executor::record_of(OpId id, const OpSpec& spec) const {
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
    return op;
}

void Executor::make_declared(OpId id, OpId finishing) {
    OpSpec spec;
    OpWork work;
    source_->make(id, spec, work);
    Op op = record_of(id, spec);
    for (OpId d : spec.deps) {
        if (d >= declared_)
            throw std::invalid_argument("op " + std::to_string(id) + " depends on a missing op");
        // As add() before start(): one count per dependency, less one per finish since; the
        // finishing op's own edge is taken below, as finish() takes it for a made op.
        if (d == finishing || places_[d] != kDone) ++op.waiting;
    }
    if (finishing != kNoOp) --op.waiting;
    if (op.waiting < 0)
        throw std::logic_error("op " + std::to_string(id) + " is a successor of op " + std::to_string(finishing) +
                               ", which it does not depend on");
    op.duration = work.comm != nullptr ? engine::Duration{0}
                  : work.rounded   ? *work.rounded
                                   : engine::to_duration(work.compute, engine::Rounding::up);
    std::uint32_t at = 0;
    if (!free_.empty()) {
        at = free_.back();
        free_.pop_back();
    } else {
        at = static_cast<std::uint32_t>(ops_.size());
        ops_.emplace_back();
        comms_.emplace_back();
    }
    if (work.comm != nullptr) {
        op.comm = static_cast<std::int32_t>(at);
        comms_[at] = *work.comm;
    }
    ops_[at] = op;
    places_[id] = at;
}

bool Executor::advance_slot(StreamState& s) const {
    if (source_ == nullptr) {
        while (s.current < s.slots.size() && s.slots[s.current].unstarted == 0) ++s.current;
        return s.current < s.slots.size();
    }
    while (s.current < s.declared.size() && s.declared_unstarted == 0)
        if (++s.current < s.declared.size()) s.declared_unstarted = s.declared[s.current].ops;
    return s.current < s.declared.size();
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
    if (source_ != nullptr) throw std::logic_error("add: the executor's ops are declared by a source");
    const auto id = static_cast<OpId>(ops_.size());
    Op op = record_of(id, spec);
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
    if (source_ != nullptr) {
        // The ops without dependencies, in id order, as the loop below makes them ready.
        source_->roots(scratch_);
        const std::vector<OpId> roots = std::move(scratch_);
        scratch_.clear();
        for (OpId i : roots) {
            if (i >= declared_) throw std::invalid_argument("a root outside the declared ops");
            if (places_[i] != kUnmade) continue;
            make_declared(i, kNoOp);
            if (record(i).waiting == 0) make_ready(i);
        }
        return;
    }
    // Ops added from here on (by ops made ready below, through observers) are made ready by
    // add(); this loop reaches only the ones already there.
    const auto n = static_cast<OpId>(ops_.size());
    for (OpId i = 0; i < n; ++i)
        if (ops_[i].waiting == 0) make_ready(i);
}

void Executor::make_ready(OpId i) {
    const int lane = record(i).lane;
    const int stream = record(i).stream;
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
        if (!advance_slot(s) || record(next).slot != current_slot(s)) return;
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
    // Its record's place travels with the completion: finish() reads the record without first
    // reading places_ (a cache miss per op in full mode).
    const std::uint32_t at = source_ != nullptr ? places_[i] : i;
    Op& op = ops_[at];
    auto& lane = lanes_[static_cast<std::size_t>(op.lane)];
    auto& s = lane.streams[static_cast<std::size_t>(op.stream)];
    const double t = now();
    mark_idle(lane, t);
    s.busy = true;
    op.start_s = t;
    if (s.slotted) {
        // try_start checked that the op is of the current slot
        if (source_ != nullptr)
            --s.declared_unstarted;
        else
            --s.slots[s.current].unstarted;
        s.started_slot = std::max(s.started_slot.value_or(op.slot), op.slot);
    }
    if (op.stream != shape_.primary_stream) ++lane.other_in_flight;
    if (source_ != nullptr) source_->prefetch(i);
    if (op.comm < 0) {
        sim_.schedule_after(op.duration, [this, i, at] { finish(i, at); });
    } else {
        network_.transfer(comms_[static_cast<std::size_t>(op.comm)], [this, i, at] { finish(i, at); });
    }
    if (observer_.started) observer_.started(i, t);
}

void Executor::finish(OpId i, std::uint32_t at) {
    // Observers may add ops (growing ops_ and successors_), so nothing here holds a reference
    // into them across a call out.
    const Op& op = ops_[at];
    const int lane_index = op.lane;
    const int stream = op.stream;
    const double started = op.start_s;
    const auto category = static_cast<std::size_t>(op.category);
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
    if (account.category_busy_s.size() <= category) account.category_busy_s.resize(category + 1, 0.0);
    account.category_busy_s[category] += t - started;
    account.finish_s = std::max(account.finish_s, t);
    ++done_;
    if (source_ != nullptr) {
        // Its record is free for the next op made; its successors are made as they matter.
        free_.push_back(at);
        places_[i] = kDone;
        if (observer_.finished) observer_.finished(OpSpan{i, started, t});
        // make_ready does not reach finish() (completions are events), so the list stays put.
        for (const OpId s : source_->successors(i, scratch_)) {
            if (s >= declared_) throw std::invalid_argument("a successor outside the declared ops");
            if (places_[s] == kUnmade) {
                make_declared(s, i);
                if (record(s).waiting == 0) make_ready(s);
            } else if (--record(s).waiting == 0) {
                make_ready(s);
            }
        }
    } else {
        ops_[i].done = true;
        if (observer_.finished) observer_.finished(OpSpan{i, started, t});
        // (No successor of op i is added from here on: it is done.)
        for (std::uint32_t e = successors_[i].first; e != kNoEdge; e = edges_[e].next) {
            const OpId s = edges_[e].to;
            if (--ops_[s].waiting == 0) make_ready(s);
        }
    }
    // The stream that just freed, and the slotted streams (a slot may have opened).
    try_start(lane_index, stream);
    for (int s = 0; s < static_cast<int>(shape_.streams.size()); ++s)
        if (s != stream && lane.streams[static_cast<std::size_t>(s)].slotted) try_start(lane_index, s);
}

void Executor::complete() const {
    if (done_ == ops()) return;
    const std::size_t left = ops() - done_;
    if (source_ != nullptr) {
        // An op never made has dependencies (roots are made at start) none of which finished.
        auto lane_of = [&](OpId i) {
            if (places_[i] != kUnmade) return record(i).lane;
            OpSpec spec;
            OpWork work;
            source_->make(i, spec, work);
            return spec.lane;
        };
        for (OpId i = 0; i < declared_; ++i)
            if (places_[i] == kUnmade || (places_[i] != kDone && record(i).waiting > 0))
                throw DeadlockError("ops deadlocked: op " + std::to_string(i) + " on lane " +
                                        std::to_string(lane_of(i)) + " never became ready (" + std::to_string(left) +
                                        " ops left)",
                                    {.never_ready = true, .op = i, .lane = lane_of(i), .ops_left = left});
        for (OpId i = 0; i < declared_; ++i)
            if (places_[i] != kDone)
                throw DeadlockError("ops deadlocked: ready ops never started (slot order violates dependencies)",
                                    {.never_ready = false, .op = i, .lane = record(i).lane, .ops_left = left});
        return;
    }
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
