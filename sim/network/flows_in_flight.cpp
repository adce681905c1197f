// Fluid state per class in flight: bytes left per flow, the current per-flow rate, when those
// were last brought up to date, and the projected finish. An event costs the rates it changes
// and a heap operation per class whose finish moved; nothing in it walks every class in flight
// once the index is on.
//
// While few classes are in flight (symmetric mode: tens) each event finds the component of the
// classes that changed through each class's list of the classes in flight sharing a link with
// it (made when a class starts, asking the pair memo about each class in flight; kept as classes
// end) and takes its rates from the memo of components (link_sharing.hpp). With many, either (RateUpdate::components)
// the same components are found walking the links of the classes reached and their users in
// the link index, or (RateUpdate::incremental, full mode: each GPU's sends and each group's
// collectives are classes of their own, hundreds to thousands in flight, and they meet on the
// fabric's spine links, so that one component holds most of them) the rates are kept by the
// incremental solver, which re-solves a region around the classes that start or end and checks
// that the whole stays max-min fair: an event then costs its neighbourhood instead of the
// component (Llama 3.1 405B on 16,384 H100 in full mode did not finish in 900 s of CPU walking
// components; 85 s with the solver). The index (or solver) turns off again below a quarter of
// its threshold, so that a count hovering at the threshold does not rebuild it at every event.
//
// Classes live in slots that never move while in flight. The projected finishes are a min-heap
// with lazy deletion: a class whose finish moves pushes a new entry and bumps its version, and
// entries of an older version (or of a slot since reused) are dropped when they reach the top.
#include "network/flows_in_flight.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace tcsim::network {

namespace {
/// Min-heap order on the projected finish (std::push_heap builds a max-heap on `less`).
constexpr auto later = [](const auto& a, const auto& b) { return a.at > b.at; };
} // namespace

FlowsInFlight::FlowsInFlight(engine::Simulation& sim, const CollectiveTemplates& templates, LinkSharing& sharing,
                             std::span<const double> capacities, std::size_t index_from, RateUpdate beyond)
    : sim_(sim), templates_(templates), sharing_(sharing), capacities_(capacities), index_from_(index_from),
      beyond_(beyond) {}

FlowsInFlight::~FlowsInFlight() {
    if (next_event_ns_ >= 0) sim_.cancel(next_event_);
}

double FlowsInFlight::now() const { return engine::to_seconds(sim_.now().time_since_epoch()); }

void FlowsInFlight::push_finish(Slot s) {
    const Active& a = slots_[s];
    if (!std::isfinite(a.finish)) return;
    finishes_.push_back(Finish{a.finish, s, a.version});
    std::push_heap(finishes_.begin(), finishes_.end(), later);
}

const FlowsInFlight::Finish* FlowsInFlight::earliest() {
    while (!finishes_.empty()) {
        // A slot's version moves on at each new finish, at its end and at its reuse.
        const Finish& top = finishes_.front();
        if (slots_[top.slot].version == top.version) return &top;
        std::pop_heap(finishes_.begin(), finishes_.end(), later);
        finishes_.pop_back();
    }
    return nullptr;
}

void FlowsInFlight::apply_rate(Slot s, double rate, double t) {
    Active& a = slots_[s];
    if (a.rate > 0 && std::isfinite(a.rate)) a.remaining = std::max(0.0, a.remaining - a.rate * (t - a.updated));
    a.updated = t;
    a.rate = rate;
    if (!(a.rate > 0)) throw std::logic_error("network: a flow class got no bandwidth");
    const double finish = std::isinf(a.rate) ? t : t + a.remaining / a.rate;
    if (finish == a.finish) return;
    a.finish = finish;
    ++a.version;
    push_finish(s);
}

void FlowsInFlight::trim_finishes() {
    // Stale entries pile up under a long-lived top: rebuild from the classes in flight when they
    // outnumber them.
    if (finishes_.size() > 4 * live_.size() + 1024) {
        finishes_.clear();
        for (Slot s : live_) push_finish(s);
    }
}

/// Brings the classes `members` up to `t` and gives them their rates as one component.
void FlowsInFlight::apply_rates(std::vector<Slot>& members, double t) {
    std::sort(members.begin(), members.end(), [&](Slot a, Slot b) { return slots_[a].cls < slots_[b].cls; });
    std::vector<std::uint32_t>& ids = scratch_ids_;
    ids.clear();
    for (Slot s : members) ids.push_back(slots_[s].cls);
    const std::span<const double> rates = sharing_.rates(ids);
    for (std::size_t k = 0; k < members.size(); ++k) apply_rate(members[k], rates[k], t);
    trim_finishes();
}

void FlowsInFlight::new_search() {
    if (++search_ == 0) { // the stamps wrapped: forget them all
        std::fill(mark_.begin(), mark_.end(), 0U);
        std::fill(link_mark_.begin(), link_mark_.end(), 0U);
        search_ = 1;
    }
}

void FlowsInFlight::mark_sharing(Slot s, std::vector<Slot>& marked) {
    auto reach = [&](Slot j) {
        if (finished_[j] == event_ || mark_[j] == search_) return;
        mark_[j] = search_;
        marked.push_back(j);
    };
    if (!indexed_) {
        for (Slot j : neighbours_[s]) reach(j);
        return;
    }
    // A link already walked in this search (by another class that ended in this event) has
    // given all its users.
    for (const LinkUse& u : routed(s).usage) {
        if (link_mark_[u.link] == search_) continue;
        link_mark_[u.link] = search_;
        for (const LinkUsers::User& user : users_.users(u.link)) reach(user.slot);
    }
}

void FlowsInFlight::component_of(Slot seed, std::vector<Slot>& component) {
    component.assign(1, seed);
    mark_[seed] = search_;
    for (std::size_t k = 0; k < component.size(); ++k) {
        const Slot s = component[k];
        if (!indexed_) {
            for (Slot j : neighbours_[s])
                if (mark_[j] != search_) {
                    mark_[j] = search_;
                    component.push_back(j);
                }
            continue;
        }
        // A link already walked in this search has given all its users.
        for (const LinkUse& u : routed(s).usage) {
            if (link_mark_[u.link] == search_) continue;
            link_mark_[u.link] = search_;
            for (const LinkUsers::User& user : users_.users(u.link))
                if (mark_[user.slot] != search_) {
                    mark_[user.slot] = search_;
                    component.push_back(user.slot);
                }
        }
    }
}

void FlowsInFlight::link_neighbours(Slot s) {
    const std::uint32_t cls = slots_[s].cls;
    for (Slot j : live_)
        if (j != s && sharing_.overlaps(cls, slots_[j].cls)) {
            neighbours_[s].push_back(j);
            neighbours_[j].push_back(s);
        }
}

void FlowsInFlight::unlink_neighbours(Slot s) {
    for (Slot j : neighbours_[s]) {
        std::vector<Slot>& theirs = neighbours_[j];
        const auto it = std::find(theirs.begin(), theirs.end(), s);
        *it = theirs.back();
        theirs.pop_back();
    }
    neighbours_[s].clear();
}

void FlowsInFlight::resolve(const std::vector<Slot>& seeds) {
    const double t = now();
    if (incremental()) {
        std::vector<Slot>& changed = scratch_changed_;
        changed.clear();
        incremental_->update(changed);
        for (Slot s : changed) apply_rate(s, incremental_->rate(s), t);
        trim_finishes();
        return;
    }
    // The components containing the classes `seeds`.
    new_search();
    std::vector<Slot>& component = scratch_component_;
    for (Slot s : seeds) {
        if (mark_[s] == search_) continue;
        component_of(s, component);
        apply_rates(component, t);
    }
}

/// Turns the link index (or the incremental solver) on, entering every class in flight, or off.
void FlowsInFlight::set_indexed(bool on) {
    if (on == indexed_) return;
    indexed_ = on;
    // The lists of neighbours serve only while not indexed: dropped when the index turns on,
    // made again, pair by pair, when it turns off.
    for (Slot s : live_) neighbours_[s].clear();
    if (!on)
        for (std::size_t k = 0; k < live_.size(); ++k)
            for (std::size_t m = 0; m < k; ++m)
                if (sharing_.overlaps(slots_[live_[k]].cls, slots_[live_[m]].cls)) {
                    neighbours_[live_[k]].push_back(live_[m]);
                    neighbours_[live_[m]].push_back(live_[k]);
                }
    if (beyond_ == RateUpdate::incremental) {
        if (!on) {
            incremental_->clear();
            return;
        }
        if (!incremental_) incremental_.emplace(capacities_);
    } else if (!on) {
        users_.clear();
        return;
    }
    for (Slot s : live_) add_to_index(s);
}

void FlowsInFlight::add_to_index(Slot s) {
    const auto& usage = routed(s).usage;
    if (beyond_ == RateUpdate::incremental) {
        incremental_->add(s, usage);
        return;
    }
    users_.add(s, usage);
    for (const LinkUse& u : usage)
        if (u.link >= link_mark_.size()) link_mark_.resize(static_cast<std::size_t>(u.link) + 1, 0U);
}

void FlowsInFlight::reschedule() {
    const Finish* first = earliest();
    if (first == nullptr) {
        if (next_event_ns_ >= 0) sim_.cancel(next_event_);
        next_event_ns_ = -1;
        return;
    }
    const engine::Duration at = engine::to_duration(units::Seconds(first->at), engine::Rounding::up);
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
    // Completion times were rounded up to whole nanoseconds, with a few ulps of slack (see
    // engine::Rounding::up), so allow the same here.
    const double horizon = t * (1 + 1e-13) + 1e-12;
    std::vector<Slot>& finished = scratch_finished_;
    finished.clear();
    if (++event_ == 0) { // the stamps wrapped: forget them all
        std::fill(finished_.begin(), finished_.end(), 0U);
        event_ = 1;
    }
    for (const Finish* f = earliest(); f != nullptr && f->at <= horizon; f = earliest()) {
        finished.push_back(f->slot);
        finished_[f->slot] = event_;
        std::pop_heap(finishes_.begin(), finishes_.end(), later);
        finishes_.pop_back();
    }
    if (!finished.empty()) {
        // Collectives ending together complete in the order their classes started.
        std::sort(finished.begin(), finished.end(),
                  [&](Slot a, Slot b) { return slots_[a].started < slots_[b].started; });
        std::vector<Slot>& seeds = scratch_seeds_;
        seeds.clear();
        if (!incremental()) {
            new_search();
            for (Slot s : finished) mark_sharing(s, seeds);
        }
        std::vector<std::uint32_t>& done_instances = scratch_done_;
        done_instances.clear();
        for (Slot s : finished) {
            Active& a = slots_[s];
            if (--instances_[a.instance].pending == 0) done_instances.push_back(a.instance);
            if (incremental())
                incremental_->remove(s);
            else if (indexed_)
                users_.remove(s, routed(s).usage);
            else
                unlink_neighbours(s);
            const Slot moved = live_.back();
            live_[a.live_at] = moved;
            slots_[moved].live_at = a.live_at;
            live_.pop_back();
            a.live_at = static_cast<std::uint32_t>(-1);
            ++a.version;
            free_slots_.push_back(s);
        }
        // The incremental solver turns off only once it has taken this event's ends (it marked
        // no seeds); the components found by pairs are the index's.
        const bool off = indexed_ && live_.size() < index_from_ / 4;
        if (off && !incremental()) set_indexed(false);
        for (std::uint32_t id : done_instances) finish_instance(id);
        resolve(seeds);
        if (off) set_indexed(false);
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
    std::vector<Slot>& seeds = scratch_seeds_;
    seeds.clear();
    for (std::uint32_t c : rc.classes) {
        const double bytes = templates_.cls(c).bytes_per_payload * payload;
        if (!(bytes > 0)) continue;
        Slot s;
        if (!free_slots_.empty()) {
            s = free_slots_.back();
            free_slots_.pop_back();
        } else {
            s = static_cast<Slot>(slots_.size());
            slots_.emplace_back();
            mark_.push_back(0);
            finished_.push_back(0);
            neighbours_.emplace_back();
        }
        Active& a = slots_[s];
        a.cls = c;
        a.instance = inst;
        a.live_at = static_cast<std::uint32_t>(live_.size());
        ++a.version;
        a.started = started_++;
        a.remaining = bytes;
        a.rate = 0.0;
        a.updated = t;
        a.finish = kInfinity;
        live_.push_back(s);
        seeds.push_back(s);
        if (indexed_)
            add_to_index(s);
        else
            link_neighbours(s);
        ++instances_[inst].pending;
        ++class_events_;
    }
    if (instances_[inst].pending == 0) {
        finish_instance(inst);
        return;
    }
    if (!indexed_ && live_.size() >= index_from_) set_indexed(true);
    resolve(seeds);
    reschedule();
}

} // namespace tcsim::network
