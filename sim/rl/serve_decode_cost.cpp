#include "rl/serve_decode_cost.hpp"

#include "compute/compute_model.hpp"
#include "serve/forward_step.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <utility>

namespace tcsim::rl {

DecodeStepCost serve_decode_cost(const workload::ModelSpec& model, const serve::ServeSpec& spec,
                                 const topology::ClusterSpec& cluster, int context_bucket) {
    struct State {
        workload::ModelSpec model;
        serve::ServeSpec spec;
        topology::ClusterSpec cluster;
        compute::ComputeModel compute;
        double bucket;
        std::map<std::pair<int, long long>, units::Seconds> cache;
        /// The last key asked for and its cost: a rollout asks for the same bucket about
        /// `bucket` steps in a row.
        std::pair<int, long long> last_key{-1, 0};
        units::Seconds last{0.0};
    };
    auto state = std::make_shared<State>(
        State{model,
              spec,
              cluster,
              compute::ComputeModel(cluster.gpu, cluster.efficiency.compute.for_fp8_library(spec.fp8_gemm_library), 0,
                                    compute::Conditions::training),
              static_cast<double>(std::max(1, context_bucket)),
              {},
              {-1, 0},
              units::Seconds{0.0}});
    return [state](int batch, double mean_context) {
        const long long k = std::llround(mean_context / state->bucket);
        const auto key = std::make_pair(batch, k);
        if (key == state->last_key) return state->last;
        state->last_key = key;
        const auto found = state->cache.find(key);
        if (found != state->cache.end()) return state->last = found->second;
        const double context = std::max(1.0, static_cast<double>(k) * state->bucket);
        const units::Seconds t = serve::forward_step(state->model, state->spec, state->spec.decode, state->cluster,
                                                     state->compute, serve::Phase::decode, batch, context)
                                     .slowest.time;
        state->cache.emplace(key, t);
        return state->last = t;
    };
}

} // namespace tcsim::rl
