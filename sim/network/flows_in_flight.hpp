// The fluid state of the flow network: flow classes moving bytes now, their max-min rates, and
// the one engine event at the next completion.
//
// Contract
// - start(template, payload, done) starts every class of the template with payload x its bytes
//   per payload byte per flow (classes with nothing to move are skipped) and runs `done` on the
//   simulation once all have finished and the template's latency has passed; never
//   synchronously. A template with nothing to move completes after its latency.
// - Rates are re-solved when a class starts or ends, only for the classes that share links,
//   directly or through others, with the one that changed; bytes are first advanced at the old
//   rates. Exactly one engine event is pending while classes are in flight, at the earliest
//   projected finish rounded up to whole nanoseconds (cancelled and rescheduled as rates
//   change); none when idle. The destructor cancels it. Collectives whose last classes end in
//   one event complete in the order they started.
// - Finding the classes that share links: with fewer than `index_from` classes in flight, by
//   asking each pair once (memoised per pair of classes), when the later of the two starts, and
//   keeping each class's list of the classes in flight it shares links with; from there on (until the count falls to a
//   quarter of it), as `beyond` says (rate_update.hpp): components, through the index of each
//   link's users (link_users.hpp), kept as classes start and end, the components, and so every
//   rate and time, the same as by pairs; or incremental, the rates kept by IncrementalMaxMin
//   (incremental_max_min.hpp), the same max-min rates to the solvers' precision.
// - Throws std::logic_error if a class gets no bandwidth.
#pragma once

#include "engine/simulation.hpp"
#include "network/collective_templates.hpp"
#include "network/link_sharing.hpp"
#include "network/incremental_max_min.hpp"
#include "network/link_users.hpp"
#include "network/rate_update.hpp"

#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <span>
#include <vector>

namespace tcsim::network {

class FlowsInFlight {
public:
    /// `index_from`: classes in flight from which link sharing is found through the link index
    /// and rates re-solved as `beyond` says; `capacities`: every link's (Fabric::capacities),
    /// outliving this object.
    FlowsInFlight(engine::Simulation& sim, const CollectiveTemplates& templates, LinkSharing& sharing,
                  std::span<const double> capacities, std::size_t index_from, RateUpdate beyond);
    ~FlowsInFlight();
    FlowsInFlight(const FlowsInFlight&) = delete;
    FlowsInFlight& operator=(const FlowsInFlight&) = delete;

    void start(std::uint32_t collective, double payload, std::function<void()> done);
    [[nodiscard]] std::size_t classes() const { return live_.size(); }
    [[nodiscard]] std::uint64_t collectives_started() const { return collectives_; }
    [[nodiscard]] std::uint64_t classes_started() const { return class_events_; }
    /// Max-min problems solved by the incremental solver (regions).
    [[nodiscard]] std::uint64_t region_solves() const { return incremental_ ? incremental_->solves() : 0; }

private:
    static constexpr double kInfinity = std::numeric_limits<double>::infinity();
    using Slot = std::uint32_t; ///< a class in flight: its index in slots_ (reused once it ends)
    struct Active {
        std::uint32_t cls = 0;
        std::uint32_t instance = 0;
        std::uint32_t live_at = 0; ///< its index in live_
        std::uint32_t version = 0; ///< bumped at each new finish (older heap entries are stale)
        std::uint64_t started = 0; ///< start order: classes end in it when they end together
        double remaining = 0;      ///< bytes per flow
        double rate = 0;           ///< bytes/s per flow
        double updated = 0;        ///< seconds
        double finish = kInfinity;
    };
    /// A projected finish; stale once its slot's version has moved on.
    struct Finish {
        double at = kInfinity;
        Slot slot = 0;
        std::uint32_t version = 0;
    };
    struct Instance {
        int pending = 0;
        double latency = 0;
        std::function<void()> done;
    };

    [[nodiscard]] double now() const;
    [[nodiscard]] const RoutedClass& routed(Slot s) const { return templates_.cls(slots_[s].cls); }
    /// Brings class `s` up to `t` and gives it `rate` (its finish re-projected).
    void apply_rate(Slot s, double rate, double t);
    void apply_rates(std::vector<Slot>& members, double t);
    /// Drops stale heap entries once they outnumber the classes in flight.
    void trim_finishes();
    /// Marks (in `mark_`, this search's stamp) every class in flight not finished (`finished_`
    /// stamp) that shares a link with `s`, adding it to `marked` (not for incremental rates).
    void mark_sharing(Slot s, std::vector<Slot>& marked);
    /// The classes in flight sharing links with `seed`, directly or through others, that this
    /// search has not yet marked (marking them), into `component` (not for incremental rates).
    void component_of(Slot seed, std::vector<Slot>& component);
    /// Whether the incremental solver keeps the rates now.
    [[nodiscard]] bool incremental() const { return indexed_ && beyond_ == RateUpdate::incremental; }
    void set_indexed(bool on);
    /// Enters class `s` in the link index or the incremental solver.
    void add_to_index(Slot s);
    /// Pairs class `s` with every other class in flight sharing a link with it (not indexed).
    void link_neighbours(Slot s);
    /// Takes class `s` out of its neighbours' lists, and empties its own.
    void unlink_neighbours(Slot s);
    void new_search();
    /// Re-solves: the components of `seeds` (pairwise), or the incremental solver's region.
    void resolve(const std::vector<Slot>& seeds);
    void push_finish(Slot s);
    /// The earliest projected finish (stale entries dropped), or nullptr when none.
    const Finish* earliest();
    void reschedule();
    void finish_instance(std::uint32_t id);
    void on_completion();
    std::uint32_t new_instance(double latency, std::function<void()> done);

    engine::Simulation& sim_;
    const CollectiveTemplates& templates_;
    LinkSharing& sharing_;
    std::vector<Active> slots_;
    std::vector<Slot> live_;       ///< the classes in flight, in no particular order
    std::vector<Slot> free_slots_; ///< slots not in flight
    std::vector<Finish> finishes_; ///< min-heap on `at`, stale entries included
    std::uint64_t started_ = 0;
    std::span<const double> capacities_;
    std::size_t index_from_;
    RateUpdate beyond_;
    bool indexed_ = false;
    LinkUsers users_; ///< while indexed, with components
    /// While not indexed, by slot: the classes in flight sharing a link with it (in no order).
    std::vector<std::vector<Slot>> neighbours_;
    /// The rates while indexed, incremental, by slot (made the first time the index turns on).
    std::optional<IncrementalMaxMin> incremental_;
    // Marks by stamp (a search marks with a new number; no clearing per event).
    std::vector<std::uint32_t> mark_;      ///< by slot: the search that last reached it
    std::vector<std::uint32_t> finished_;  ///< by slot: the event that finished it
    std::vector<std::uint32_t> link_mark_; ///< by link: the search that last walked it
    std::uint32_t search_ = 0, event_ = 0;
    std::vector<Instance> instances_;
    std::vector<std::uint32_t> free_instances_;
    engine::EventId next_event_{};
    std::int64_t next_event_ns_ = -1;
    // Scratch lists reused by every event (an event allocates nothing once they have grown);
    // nothing here is reentrant: completions reach callers through the engine, never directly.
    std::vector<std::uint32_t> scratch_ids_, scratch_done_;
    std::vector<Slot> scratch_component_, scratch_seeds_, scratch_finished_, scratch_changed_;
    std::uint64_t collectives_ = 0;
    std::uint64_t class_events_ = 0;
};

} // namespace tcsim::network
