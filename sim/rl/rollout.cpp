#include "rl/rollout.hpp"

#include "engine/event.hpp"
#include "engine/process.hpp"
#include "engine/sim_time.hpp"
#include "engine/simulation.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <deque>
#include <limits>
#include <stdexcept>
#include <vector>

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

/// One engine: continuous batching from the shared queue. Between two completions the batch
/// holds the same sequences, so their decode steps are priced one by one (each rounded up to
/// the engine's nanoseconds, as a step of its own would be) and waited for at once: the same
/// times as one event per step, with one event per completion (issue 18).
engine::Process run_engine(engine::Simulation& sim, Shared& shared, int slots, const DecodeStepCost& cost) {
    std::vector<Sequence> active;
    std::vector<Sequence> still;
    long long steps = 0;
    // The context of a step is a sum of token counts; with a whole prompt every term is an
    // integer and the double sum is exact in any order, so it is formed from running totals.
    const bool whole_prompt = shared.prompt_tokens == std::floor(shared.prompt_tokens) && shared.prompt_tokens < 1e12;
    for (;;) {
        while (static_cast<int>(active.size()) < slots && !shared.waiting.empty()) {
            active.push_back(shared.waiting.front());
            shared.waiting.pop_front();
        }
        if (active.empty()) break;
        const int batch = static_cast<int>(active.size());
        long long generated = 0;
        int until_completion = std::numeric_limits<int>::max();
        for (const Sequence& s : active) {
            generated += s.generated;
            until_completion = std::min(until_completion, s.length - s.generated);
        }
        engine::Duration wait{0};
        units::Seconds last_cost{-1.0};
        engine::Duration last_step{0};
        for (int k = 0; k < until_completion; ++k) {
            double context = 0;
            if (whole_prompt) {
                context =
                    shared.prompt_tokens * batch + static_cast<double>(generated + static_cast<long long>(k) * batch);
            } else {
                for (const Sequence& s : active) context += shared.prompt_tokens + (s.generated + k);
            }
            const units::Seconds t = cost(batch, context / batch);
            if (!(t.count() > 0)) throw std::invalid_argument("rollout: a decode step must take a positive time");
            if (t != last_cost) { // consecutive steps mostly cost the same (one context bucket)
                last_cost = t;
                last_step = engine::to_duration(t, engine::Rounding::up);
            }
            wait += last_step;
        }
        co_await engine::timeout(sim, wait);
        steps += until_completion;
        shared.occupied_slot_steps += static_cast<double>(batch) * until_completion;
        shared.generated_tokens += static_cast<double>(batch) * until_completion;
        still.clear();
        for (Sequence s : active) {
            s.generated += until_completion;
            if (s.generated < s.length) still.push_back(s);
        }
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
