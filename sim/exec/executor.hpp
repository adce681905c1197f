// Runs op graphs on named streams on the event engine: compute ops take a given time,
// communication ops are handed to the network model; an op starts when the ops it depends on
// are done and its stream is free. Ops may be added before the run and while it runs.
//
// Contract
// - Lanes and streams. The executor has a fixed number of lanes (a lane is one device, or one
//   representative of symmetric devices); every lane has the same streams, named by the client
//   (StreamSpec). A stream runs one op at a time. One stream is the lane's primary stream (the
//   compute stream), whose idle time is accounted below.
// - Order on a stream. A stream runs its ready ops lowest id first. A slotted stream
//   (StreamOrder::slot_by_slot) runs its ready ops lowest (slot, id) first and never starts an
//   op of a later slot before every op of its current slot (the lowest slot with an op not yet
//   started) has started: a framework issues one schedule action after another on one CUDA
//   stream. An op added while the run is in progress must not be in a slot below one the
//   stream has started an op of (std::logic_error); that slot, or any later one, is fine.
// - Ops. An op names its lane, stream, slot (slotted streams only), the ops it depends on (by
//   id, on any lane: before start() any id, even of an op added later; after it, only ops
//   already added), a client category for accounting, and its work: a compute time (rounded
//   up to whole nanoseconds once, when the op is added) or a collective::CommWork that the
//   network model prices and completes. Ids are dense, in the order ops are added.
// - Running. start() makes every op added so far whose dependencies are done ready, in id
//   order; from then on an op added (from an observer, or from any event) whose dependencies
//   are all done is ready at once and starts at the simulated time it was added if its stream
//   is free. run() is start(), the engine's run() and complete(). The `started` observer runs
//   once an op has started (its compute scheduled, or its collective handed to the network).
// - Completion of an op: its stream frees, its lane's accounts are updated, the `finished`
//   observer runs, its successors whose dependencies are now all done become ready (in the
//   order they were added), then the freed stream and then the lane's slotted streams are
//   retried.
// - Determinism. Nothing but op ids and the engine's event order (time, then scheduling order)
//   decides what runs when; the same ops added at the same simulated times give the same run.
// - Accounts per lane: busy seconds per stream and per category (the sum of end - start of
//   its finished ops), the time of its last op end, and the primary stream's idle time up to
//   then, split into time while other work of this lane (an op on another stream) was in
//   flight and time with nothing of this lane in flight.
// - Tables. The ops, collectives and edges live in an ExecutorTables (exec/executor_tables.hpp):
//   the executor's own, or one the caller keeps between executors so that the next one reuses
//   its memory; which, changes nothing in a run.
// - Declared ops. declare(source) gives the executor the ops of an OpSource (exec/op_source.hpp)
//   instead of add(): the run is the one add() would give for each of them, in id order, before
//   start() (the same events in the same order, the same accounts), but an op is made only when
//   it first matters (at start() if it has no dependencies, else when one of them finishes) and
//   forgotten once it has finished, so the executor holds the ops in flight (a record each) and
//   4 bytes per declared op. Only on an executor without ops; add() is then refused
//   (std::logic_error), and observers may not add ops.
// - Deadlock. complete() throws DeadlockError if ops are left that never ran: one whose
//   dependencies never finished, or ready ops a slotted stream never started (its slot order
//   contradicts the dependencies).
#pragma once

#include "collective/comm_work.hpp"
#include "engine/huge_page_allocator.hpp"
#include "engine/simulation.hpp"
#include "exec/executor_tables.hpp"
#include "exec/op_source.hpp"
#include "network/network_model.hpp"
#include "units/quantity.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace tcsim::exec {

enum class StreamOrder : std::uint8_t {
    ready_by_id,  ///< ready ops, lowest id first
    slot_by_slot, ///< ready ops of the current slot, lowest id first; see the contract
};

struct StreamSpec {
    std::string name;
    StreamOrder order = StreamOrder::ready_by_id;
};

/// The lanes, the streams every lane has, and which of them is the primary (compute) stream.
struct ExecutorShape {
    int lanes = 1;
    std::vector<StreamSpec> streams;
    int primary_stream = 0;
};

/// Where an op runs and what it waits for (see the contract for which ids `deps` may name); its
/// work is given to Executor::add. The executor copies what it needs.
struct OpSpec {
    int lane = 0;
    int stream = 0;
    int slot = 0;     ///< slotted streams only
    int category = 0; ///< the client's accounting category (>= 0)
    std::span<const OpId> deps = {};
};

/// When one op ran, in seconds since the engine's time zero.
struct OpSpan {
    OpId op = 0;
    double start_s = 0;
    double end_s = 0;
};

/// What a lane did, up to the end of its last op.
struct LaneAccount {
    double finish_s = 0;                 ///< end of the lane's last op
    std::vector<double> stream_busy_s;   ///< per stream
    std::vector<double> category_busy_s; ///< per category (as many as the highest one used + 1)
    double idle_other_in_flight_s = 0;   ///< primary stream idle, another stream of the lane busy
    double idle_nothing_in_flight_s = 0; ///< primary stream idle, nothing of the lane in flight
};

/// Ops left that can never run; the first such op names the lane it is on.
class DeadlockError : public std::logic_error {
public:
    struct Stuck {
        bool never_ready = false; ///< true: `op`'s dependencies never finished; false: ready ops never started
        OpId op = 0;              ///< never_ready: the first op that never became ready; else the first unfinished
        int lane = 0;             ///< `op`'s lane
        std::size_t ops_left = 0; ///< ops that never finished
    };
    DeadlockError(const std::string& what, const Stuck& stuck) : std::logic_error(what), stuck_(stuck) {}
    [[nodiscard]] const Stuck& stuck() const { return stuck_; }

private:
    Stuck stuck_;
};

class Executor {
public:
    /// Optional hooks, called on the engine as ops start and finish; they may add ops.
    struct Observer {
        std::function<void(OpId, double start_s)> started;
        std::function<void(const OpSpan&)> finished;
    };

    /// Throws std::invalid_argument for a shape without lanes or streams, or a primary stream
    /// outside it.
    Executor(engine::Simulation& sim, network::NetworkModel& network, ExecutorShape shape);
    /// The same, its ops and edges kept in `tables` (cleared here, capacity kept; see
    /// exec/executor_tables.hpp), which must outlive the executor: the next executor given them
    /// reuses their memory. The run is the same as on fresh tables.
    Executor(engine::Simulation& sim, network::NetworkModel& network, ExecutorShape shape, ExecutorTables& tables);
    Executor(const Executor&) = delete;
    Executor& operator=(const Executor&) = delete;

    void set_observer(Observer observer) { observer_ = std::move(observer); }
    /// Declares the source's ops (see the contract); the source must outlive the run. Throws
    /// std::logic_error on an executor that has ops or has started, or when the source has more
    /// ops than an id can name; std::invalid_argument (when the op is made) for an op on a lane
    /// or stream outside the shape, a negative category or a dependency outside the source.
    void declare(OpSource& source);
    /// Makes room for `ops` ops, `comm_ops` of them collectives, with `dependencies` in all.
    void reserve(std::size_t ops, std::size_t comm_ops = 0, std::size_t dependencies = 0);

    /// Adds an op and returns its id. Throws std::invalid_argument for a lane or stream outside
    /// the shape, a negative category or (once started) a dependency on an op not yet added,
    /// and std::logic_error for a slot the stream has already moved past.
    OpId add(const OpSpec& op, units::Seconds compute);
    /// The same for a collective, which the network model runs when the op starts.
    OpId add(const OpSpec& op, const collective::CommWork& comm);

    /// Makes ready every op whose dependencies are done, in id order; ops added from now on are
    /// ready as soon as their dependencies are done. Throws std::invalid_argument, naming the
    /// op, if an op depends on one that was never added.
    void start();
    /// Throws DeadlockError if any op has not finished (call once the engine has run dry).
    void complete() const;
    /// start(), the engine's run(), complete(); returns every lane's account.
    std::vector<LaneAccount> run();

    [[nodiscard]] std::size_t ops() const { return source_ != nullptr ? declared_ : ops_.size(); }
    /// Op records held now, and the most held at once (with add(), every op; with declared ops,
    /// those made and not yet finished).
    [[nodiscard]] std::size_t ops_held() const { return ops_.size() - free_.size(); }
    [[nodiscard]] std::size_t peak_ops_held() const { return ops_.size(); }
    [[nodiscard]] std::size_t finished_ops() const { return done_; }
    [[nodiscard]] int lanes() const { return static_cast<int>(lanes_.size()); }
    /// The lane's account, its primary stream's idle time counted up to its last op's end.
    [[nodiscard]] LaneAccount account(int lane) const;

private:
    using Op = ExecutorTables::Op;
    using Edge = ExecutorTables::Edge;
    using EdgeList = ExecutorTables::EdgeList;
    static constexpr std::uint32_t kNoEdge = ExecutorTables::kNoEdge;
    // places_ marks for declared ops: not made yet, and finished (its record reused).
    static constexpr std::uint32_t kUnmade = 0xffffffffU;
    static constexpr std::uint32_t kDone = 0xfffffffeU;
    static constexpr OpId kNoOp = 0xffffffffU;
    void add_successor(OpId of, OpId to);
    struct StreamState {
        bool busy = false;
        bool slotted = false;
        std::vector<OpId> ready; ///< min-heap on op id; slotted: on (slot, id)
        struct SlotCount {
            int slot = 0;
            int unstarted = 0; ///< ops added but not started
        };
        std::vector<SlotCount> slots;    ///< slotted: by slot, ascending
        std::size_t current = 0;         ///< slotted: index of the current slot (once advanced past zeros)
        std::optional<int> started_slot; ///< slotted: the highest slot an op has started in
        std::span<const exec::SlotCount> declared; ///< slotted, declared ops: the source's slots (not `slots`)
        int declared_unstarted = 0;          ///< slotted, declared ops: ops of declared[current] not started
    };
    struct LaneState {
        std::vector<StreamState> streams;
        int other_in_flight = 0; ///< ops in flight on non-primary streams
        double idle_since = 0;
        LaneAccount account;
    };

    OpId add(const OpSpec& op, engine::Duration compute, const collective::CommWork* comm);
    /// An op's record: at its id, or (declared ops) where places_ says.
    [[nodiscard]] Op& record(OpId i) { return source_ != nullptr ? ops_[places_[i]] : ops_[i]; }
    [[nodiscard]] const Op& record(OpId i) const { return source_ != nullptr ? ops_[places_[i]] : ops_[i]; }
    /// A new record for op `id` (no dependencies counted, no work); throws std::invalid_argument
    /// for a lane or stream outside the shape or a negative category.
    [[nodiscard]] Op record_of(OpId id, const OpSpec& spec) const;
    /// Declared ops: makes op `id`'s record, its dependencies counted as if every one finished so
    /// far had decremented it (`finishing`, whose edge to it is being followed, included).
    void make_declared(OpId id, OpId finishing);
    /// Slotted streams: moves `current` past slots whose ops have all started; false when none is left.
    bool advance_slot(StreamState& s) const;
    [[nodiscard]] int current_slot(const StreamState& s) const {
        return source_ != nullptr ? s.declared[s.current].slot : s.slots[s.current].slot;
    }
    /// The ready heap's order: "a runs after b" (std::greater on id; on (slot, id) when slotted).
    [[nodiscard]] auto ready_after(const StreamState& s) const {
        return [this, slotted = s.slotted](OpId a, OpId b) {
            if (slotted) {
                const int sa = record(a).slot, sb = record(b).slot;
                if (sa != sb) return sa > sb;
            }
            return a > b;
        };
    }
    void mark_idle(LaneState& lane, double t);
    void make_ready(OpId op);
    void try_start(int lane, int stream);
    void begin(OpId op);
    /// `at`: the op's record (its id, or for declared ops its place when it began).
    void finish(OpId op, std::uint32_t at);
    [[nodiscard]] double now() const;

    engine::Simulation& sim_;
    network::NetworkModel& network_;
    ExecutorShape shape_;
    Observer observer_;
    // The large tables: the caller's (kept for the next executor) or this executor's own.
    ExecutorTables own_tables_;
    engine::HugeVector<Op>& ops_;
    engine::HugeVector<collective::CommWork>& comms_;
    engine::HugeVector<EdgeList>& successors_; ///< by op id (and ids named before they were added)
    engine::HugeVector<Edge>& edges_;
    engine::HugeVector<std::uint32_t>& places_; ///< declared ops: by id, its record, kUnmade or kDone
    std::vector<std::uint32_t>& free_;          ///< declared ops: records not in use
    OpSource* source_ = nullptr;
    std::size_t declared_ = 0;
    std::vector<OpId> scratch_; ///< declared ops: successors or roots being followed
    std::vector<LaneState> lanes_;
    std::optional<std::pair<OpId, OpId>> latest_dep_; ///< (op, dependency) naming the highest id before start()
    std::size_t done_ = 0;
    bool started_ = false;
};

} // namespace tcsim::exec
