// Fluid state per class in flight: bytes left per flow, the current per-flow rate, when those
// were last brought up to date, and the projected finish. An event costs a breadth-first search
// for the component of the classes that changed plus a memo lookup (or a solve) of its rates.
// The search asks each pair of classes in flight while they are few (symmetric mode: tens, and
// the pair memo answers at once); with many (full mode: each GPU's sends and each group's
// collectives are classes of their own, hundreds to thousands in flight) it walks the links of
// the classes it reaches and their users in the link index, which costs the component's links
// instead of every pair in flight. The index turns off again below a quarter of its threshold,
// so that a count hovering at the threshold does not rebuild it at every event.
#include "network/flows_in_flight.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace tcsim::network {

FlowsInFlight::FlowsInFlight(engine::Simulation& sim, const CollectiveTemplates& templates, LinkSharing& sharing,
                             std::size_t index_from)
    : sim_(sim), templates_(templates), sharing_(sharing), index_from_(index_from) {}

FlowsInFlight::~FlowsInFlight() {
    if (next_event_ns_ >= 0) sim_.cancel(next_event_);
}

double FlowsInFlight::now() const { return engine::to_seconds(sim_.now().time_since_epoch()); }

/// Brings the classes at `members` (indices into active_) up to `t` and gives them their rates
/// as one component.
void FlowsInFlight::apply_rates(std::vector<std::size_t>& members, double t) {
    std::sort(members.begin(), members.end(),
              [&](std::size_t a, std::size_t b) { return active_[a].cls < active_[b].cls; });
    std::vector<std::uint32_t>& ids = scratch_ids_;
    ids.clear();
    for (std::size_t i : members) ids.push_back(active_[i].cls);
    const std::vector<double>& rates = sharing_.rates(ids);
    for (std::size_t k = 0; k < members.size(); ++k) {
        Active& a = active_[members[k]];
        if (a.rate > 0 && std::isfinite(a.rate)) a.remaining = std::max(0.0, a.remaining - a.rate * (t - a.updated));
        a.updated = t;
        a.rate = rates[k];
        if (!(a.rate > 0)) throw std::logic_error("network: a flow class got no bandwidth");
        a.finish = std::isinf(a.rate) ? t : t + a.remaining / a.rate;
    }
}

/// Sets mark[j] for every class j in flight, not skip[j], that shares a link with class i.
void FlowsInFlight::mark_sharing(std::size_t i, std::vector<char>& mark, const std::vector<char>& skip) {
    if (!indexed_) {
        for (std::size_t j = 0; j < active_.size(); ++j)
            if (!skip[j] && !mark[j] && sharing_.overlaps(active_[i].cls, active_[j].cls)) mark[j] = 1;
        return;
    }
    for (const LinkUse& u : routed(active_[i]).usage)
        for (const LinkUsers::User& user : users_.users(u.link)) {
            const std::size_t j = position_of_slot_[user.slot];
            if (!skip[j]) mark[j] = 1;
        }
}

/// The classes in flight that share links with class `seed`, directly or through others, not yet
/// `seen` (marked as they are found), into `component`.
void FlowsInFlight::component_of(std::size_t seed, std::vector<char>& seen, std::vector<std::size_t>& component) {
    component.assign(1, seed);
    seen[seed] = 1;
    for (std::size_t k = 0; k < component.size(); ++k) {
        const Active& a = active_[component[k]];
        if (!indexed_) {
            for (std::size_t j = 0; j < active_.size(); ++j)
                if (!seen[j] && sharing_.overlaps(a.cls, active_[j].cls)) {
                    seen[j] = 1;
                    component.push_back(j);
                }
            continue;
        }
        // A link already walked in this search has given all its users.
        for (const LinkUse& u : routed(a).usage) {
            if (link_stamp_[u.link] == stamp_) continue;
            link_stamp_[u.link] = stamp_;
            for (const LinkUsers::User& user : users_.users(u.link)) {
                const std::size_t j = position_of_slot_[user.slot];
                if (!seen[j]) {
                    seen[j] = 1;
                    component.push_back(j);
                }
            }
        }
    }
}

/// Re-solves the components containing the classes at `seeds`.
void FlowsInFlight::resolve(const std::vector<std::size_t>& seeds) {
    const double t = now();
    std::vector<char>& seen = scratch_seen_;
    seen.assign(active_.size(), 0);
    std::vector<std::size_t>& component = scratch_component_;
    if (indexed_ && ++stamp_ == 0) { // the stamps wrapped: forget them all
        std::fill(link_stamp_.begin(), link_stamp_.end(), 0U);
        stamp_ = 1;
    }
    for (std::size_t s : seeds) {
        if (seen[s]) continue;
        component_of(s, seen, component);
        apply_rates(component, t);
    }
}

/// Turns the link index on (entering every class in flight) or off.
void FlowsInFlight::set_indexed(bool on) {
    if (on == indexed_) return;
    indexed_ = on;
    if (!on) {
        users_.clear();
        return;
    }
    for (const Active& a : active_) {
        const auto& usage = routed(a).usage;
        users_.add(a.slot, usage);
        for (const LinkUse& u : usage)
            if (u.link >= link_stamp_.size()) link_stamp_.resize(static_cast<std::size_t>(u.link) + 1, 0U);
    }
}

void FlowsInFlight::reschedule() {
    double first = kInfinity;
    for (const Active& a : active_) first = std::min(first, a.finish);
    if (!std::isfinite(first)) {
        if (next_event_ns_ >= 0) sim_.cancel(next_event_);
        next_event_ns_ = -1;
        return;
    }
    const engine::Duration at = engine::to_duration(units::Seconds(first), engine::Rounding::up);
    const std::int64_t when = std::max(at.count(), sim_.now().time_since_epoch().count());
    if (when == next_event_ns_) return;
    if (next_event_ns_ >= 0) sim_.cancel(next_event_);
    next_event_ns_ = when;
    next_event_ = sim_.schedule_at(engine::SimTime(engine::Duration(when)), [this] { on_completion(); });
}

void FlowsInFlight::finish_instance(std::uint32_t id) {
    Instance& inst = instances_[id];
    auto done = std::move(inst.done);
    sim_.schedule_after(engine::to_duration(units::Seconds(inst.latency), engine::Rounding::up), std::move(done));
    inst = Instance{};
    free_instances_.push_back(id);
}

void FlowsInFlight::on_completion() {
    next_event_ns_ = -1;
    next_event_ = {};
    const double t = now();
    std::vector<char>& finished = scratch_finished_;
    finished.assign(active_.size(), 0);
    bool any = false;
    // Completion times were rounded up to whole nanoseconds, with a few ulps of slack (see
    // engine::Rounding::up), so allow the same here.
    const double horizon = t * (1 + 1e-13) + 1e-12;
    for (std::size_t i = 0; i < active_.size(); ++i)
        if (active_[i].finish <= horizon) finished[i] = 1, any = true;
    if (any) {
        std::vector<char>& seed = scratch_seen_;
        seed.assign(active_.size(), 0);
        for (std::size_t i = 0; i < active_.size(); ++i)
            if (finished[i]) mark_sharing(i, seed, finished);
        std::vector<Active>& kept = scratch_kept_;
        kept.clear();
        std::vector<std::size_t>& seeds = scratch_seeds_;
        seeds.clear();
        std::vector<std::uint32_t>& done_instances = scratch_done_;
        done_instances.clear();
        for (std::size_t i = 0; i < active_.size(); ++i) {
            const Active& a = active_[i];
            if (finished[i]) {
                if (--instances_[a.instance].pending == 0) done_instances.push_back(a.instance);
                if (indexed_) users_.remove(a.slot, routed(a).usage);
                free_slots_.push_back(a.slot);
                continue;
            }
            if (seed[i]) seeds.push_back(kept.size());
            position_of_slot_[a.slot] = static_cast<std::uint32_t>(kept.size());
            kept.push_back(a);
        }
        active_.swap(kept);
        if (indexed_ && active_.size() < index_from_ / 4) set_indexed(false);
        for (std::uint32_t id : done_instances) finish_instance(id);
        resolve(seeds);
    }
    reschedule();
}

std::uint32_t FlowsInFlight::new_instance(double latency, std::function<void()> done) {
    std::uint32_t id;
    if (!free_instances_.empty()) {
        id = free_instances_.back();
        free_instances_.pop_back();
    } else {
        id = static_cast<std::uint32_t>(instances_.size());
        instances_.emplace_back();
    }
    instances_[id] = Instance{0, latency, std::move(done)};
    return id;
}

void FlowsInFlight::start(std::uint32_t collective, double payload, std::function<void()> done) {
    ++collectives_;
    const RoutedCollective& rc = templates_.collective(collective);
    const std::uint32_t inst = new_instance(rc.latency, std::move(done));
    const double t = now();
    std::vector<std::size_t>& seeds = scratch_seeds_;
    seeds.clear();
    for (std::uint32_t c : rc.classes) {
        const double bytes = templates_.cls(c).bytes_per_payload * payload;
        if (!(bytes > 0)) continue;
        std::uint32_t slot = slots_;
        if (!free_slots_.empty()) {
            slot = free_slots_.back();
            free_slots_.pop_back();
        } else {
            ++slots_;
            position_of_slot_.push_back(0);
        }
        position_of_slot_[slot] = static_cast<std::uint32_t>(active_.size());
        seeds.push_back(active_.size());
        active_.push_back(Active{c, inst, slot, bytes, 0.0, t, kInfinity});
        if (indexed_) {
            const auto& usage = templates_.cls(c).usage;
            users_.add(slot, usage);
            for (const LinkUse& u : usage)
                if (u.link >= link_stamp_.size()) link_stamp_.resize(static_cast<std::size_t>(u.link) + 1, 0U);
        }
        ++instances_[inst].pending;
        ++class_events_;
    }
    if (instances_[inst].pending == 0) {
        finish_instance(inst);
        return;
    }
    if (!indexed_ && active_.size() >= index_from_) set_indexed(true);
    resolve(seeds);
    reschedule();
}

} // namespace tcsim::network
