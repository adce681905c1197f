#include "rl/rollout.hpp"

#include "engine/event.hpp"
#include "engine/process.hpp"
#include "engine/sim_time.hpp"
#include "engine/simulation.hpp"

#include <cstddef>
#include <deque>
#include <stdexcept>

namespace tcsim::rl {

namespace {

struct Sequence {
    int length = 0;    ///< response tokens to generate
    int generated = 0; ///< so far
};

/// What the engines share: the queue of samples not yet admitted, and the accounts.
struct Shared {
    std::deque<Sequence> waiting;
    double generated_tokens = 0;
    double occupied_slot_steps = 0;
    long long longest_engine_steps = 0;
    double prompt_tokens = 0;
};

engine::Process run_engine(engine::Simulation& sim, Shared& shared, int slots, const DecodeStepCost& cost) {
    std::vector<Sequence> active;
    long long steps = 0;
    for (;;) {
        while (static_cast<int>(active.size()) < slots && !shared.waiting.empty()) {
            active.push_back(shared.waiting.front());
            shared.waiting.pop_front();
        }
        if (active.empty()) break;
        double context = 0;
        for (const Sequence& s : active) context += shared.prompt_tokens + s.generated;
        const int batch = static_cast<int>(active.size());
        const units::Seconds t = cost(batch, context / batch);
        if (!(t.count() > 0)) throw std::invalid_argument("rollout: a decode step must take a positive time");
        co_await engine::timeout(sim, engine::to_duration(t, engine::Rounding::up));
        ++steps;
        shared.occupied_slot_steps += batch;
        shared.generated_tokens += batch;
        std::vector<Sequence> still;
        still.reserve(active.size());
        for (Sequence s : active)
            if (++s.generated < s.length) still.push_back(s);
        active.swap(still);
    }
    if (steps > shared.longest_engine_steps) shared.longest_engine_steps = steps;
}

} // namespace

RolloutResult simulate_rollout(const std::vector<int>& response_lengths, const RolloutEngines& engines,
                               const DecodeStepCost& step_cost) {
    if (response_lengths.empty()) throw std::invalid_argument("rollout: no samples to generate");
    if (engines.engines < 1 || engines.slots < 1)
        throw std::invalid_argument("rollout: at least one engine with one slot is needed");
    Shared shared;
    shared.prompt_tokens = engines.prompt_tokens;
    for (int length : response_lengths) {
        if (length < 1) throw std::invalid_argument("rollout: a response length must be at least 1 token");
        shared.waiting.push_back({length, 0});
    }
    engine::Simulation sim;
    std::vector<engine::ProcessRef> refs;
    for (int e = 0; e < engines.engines; ++e)
        refs.push_back(engine::start(sim, run_engine(sim, shared, engines.slots, step_cost)));
    sim.run();
    RolloutResult r;
    r.time = units::Seconds(engine::to_seconds(sim.now().time_since_epoch()));
    r.longest_engine_steps = shared.longest_engine_steps;
    r.generated_tokens = shared.generated_tokens;
    // Every engine holds its slots until the rollout ends (a synchronous step).
    const double slot_steps =
        static_cast<double>(engines.engines) * engines.slots * static_cast<double>(shared.longest_engine_steps);
    r.slot_utilisation = slot_steps > 0 ? shared.occupied_slot_steps / slot_steps : 0.0;
    return r;
}

} // namespace tcsim::rl
