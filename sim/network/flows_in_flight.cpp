// Fluid state per class in flight: bytes left per flow, the current per-flow rate, when those
// were last brought up to date, and the projected finish. An event costs a breadth-first search
// over the classes in flight (tens) plus a memo lookup of the component's rates.
#include "network/flows_in_flight.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace tcsim::network {

FlowsInFlight::FlowsInFlight(engine::Simulation& sim, const CollectiveTemplates& templates, LinkSharing& sharing)
    : sim_(sim), templates_(templates), sharing_(sharing) {}

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

/// Re-solves the components containing the classes at `seeds`.
void FlowsInFlight::resolve(const std::vector<std::size_t>& seeds) {
    const double t = now();
    std::vector<char>& seen = scratch_seen_;
    seen.assign(active_.size(), 0);
    std::vector<std::size_t>& component = scratch_component_;
    for (std::size_t s : seeds) {
        if (seen[s]) continue;
        component.assign(1, s);
        seen[s] = 1;
        for (std::size_t k = 0; k < component.size(); ++k) {
            const std::uint32_t c = active_[component[k]].cls;
            for (std::size_t j = 0; j < active_.size(); ++j)
                if (!seen[j] && sharing_.overlaps(c, active_[j].cls)) {
                    seen[j] = 1;
                    component.push_back(j);
                }
        }
        apply_rates(component, t);
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
        for (std::size_t i = 0; i < active_.size(); ++i) {
            if (!finished[i]) continue;
            for (std::size_t j = 0; j < active_.size(); ++j)
                if (!finished[j] && !seed[j] && sharing_.overlaps(active_[i].cls, active_[j].cls)) seed[j] = 1;
        }
        std::vector<Active>& kept = scratch_kept_;
        kept.clear();
        std::vector<std::size_t>& seeds = scratch_seeds_;
        seeds.clear();
        std::vector<std::uint32_t>& done_instances = scratch_done_;
        done_instances.clear();
        for (std::size_t i = 0; i < active_.size(); ++i) {
            if (finished[i]) {
                if (--instances_[active_[i].instance].pending == 0) done_instances.push_back(active_[i].instance);
                continue;
            }
            if (seed[i]) seeds.push_back(kept.size());
            kept.push_back(active_[i]);
        }
        active_.swap(kept);
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
        seeds.push_back(active_.size());
        active_.push_back(Active{c, inst, bytes, 0.0, t, kInfinity});
        ++instances_[inst].pending;
        ++class_events_;
    }
    if (instances_[inst].pending == 0) {
        finish_instance(inst);
        return;
    }
    resolve(seeds);
    reschedule();
}

} // namespace tcsim::network
