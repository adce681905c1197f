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
//   change); none when idle. The destructor cancels it.
// - Finding the classes that share links: with fewer than `index_from` classes in flight, by
//   asking each pair (memoised per pair of classes); from there on (until the count falls to a
//   quarter of it), through the index of each link's users (link_users.hpp), kept as classes
//   start and end. The components, and so every rate and time, are the same either way.
// - Throws std::logic_error if a class gets no bandwidth.
#pragma once

#include "engine/simulation.hpp"
#include "network/collective_templates.hpp"
#include "network/link_sharing.hpp"
#include "network/link_users.hpp"

#include <cstdint>
#include <functional>
#include <limits>
#include <vector>

namespace tcsim::network {

class FlowsInFlight {
public:
    /// `index_from`: classes in flight from which link sharing is found through the link index.
    FlowsInFlight(engine::Simulation& sim, const CollectiveTemplates& templates, LinkSharing& sharing,
                  std::size_t index_from);
    ~FlowsInFlight();
    FlowsInFlight(const FlowsInFlight&) = delete;
    FlowsInFlight& operator=(const FlowsInFlight&) = delete;

    void start(std::uint32_t collective, double payload, std::function<void()> done);
    [[nodiscard]] std::size_t classes() const { return active_.size(); }
    [[nodiscard]] std::uint64_t collectives_started() const { return collectives_; }
    [[nodiscard]] std::uint64_t classes_started() const { return class_events_; }

private:
    static constexpr double kInfinity = std::numeric_limits<double>::infinity();
    struct Active {
        std::uint32_t cls = 0;
        std::uint32_t instance = 0;
        std::uint32_t slot = 0; ///< its name in the link index while in flight
        double remaining = 0;   ///< bytes per flow
        double rate = 0;        ///< bytes/s per flow
        double updated = 0;     ///< seconds
        double finish = kInfinity;
    };
    struct Instance {
        int pending = 0;
        double latency = 0;
        std::function<void()> done;
    };

    [[nodiscard]] double now() const;
    void apply_rates(std::vector<std::size_t>& members, double t);
    /// Marks `mark[j] = 1` for every class j in flight (j not `skip[j]`) sharing a link with class i.
    void mark_sharing(std::size_t i, std::vector<char>& mark, const std::vector<char>& skip);
    void component_of(std::size_t seed, std::vector<char>& seen, std::vector<std::size_t>& component);
    const RoutedClass& routed(const Active& a) const { return templates_.cls(a.cls); }
    void set_indexed(bool on);
    void resolve(const std::vector<std::size_t>& seeds);
    void reschedule();
    void finish_instance(std::uint32_t id);
    void on_completion();
    std::uint32_t new_instance(double latency, std::function<void()> done);

    engine::Simulation& sim_;
    const CollectiveTemplates& templates_;
    LinkSharing& sharing_;
    std::vector<Active> active_;
    std::size_t index_from_;
    bool indexed_ = false;
    LinkUsers users_;
    std::vector<std::uint32_t> position_of_slot_; ///< slot -> index in active_
    std::vector<std::uint32_t> free_slots_;
    std::uint32_t slots_ = 0;
    std::vector<std::uint32_t> link_stamp_; ///< by link: the search that last visited it
    std::uint32_t stamp_ = 0;
    std::vector<Instance> instances_;
    std::vector<std::uint32_t> free_instances_;
    engine::EventId next_event_{};
    std::int64_t next_event_ns_ = -1;
    // Scratch lists reused by every event (an event allocates nothing once they have grown);
    // nothing here is reentrant: completions reach callers through the engine, never directly.
    std::vector<std::uint32_t> scratch_ids_, scratch_done_;
    std::vector<std::size_t> scratch_component_, scratch_seeds_;
    std::vector<char> scratch_seen_, scratch_finished_;
    std::vector<Active> scratch_kept_;
    std::uint64_t collectives_ = 0;
    std::uint64_t class_events_ = 0;
};

} // namespace tcsim::network
