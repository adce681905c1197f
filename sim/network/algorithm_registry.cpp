// The standard registry lists each algorithm's definition explicitly (no self-registration at
// static-initialisation time: nothing global, and nothing a static library could drop).
#include "network/algorithm_registry.hpp"

#include <stdexcept>
#include <string>

namespace tcsim::network {

AlgorithmRegistry::AlgorithmRegistry(std::vector<CollectiveAlgorithm> algorithms) : algorithms_(std::move(algorithms)) {
    for (std::size_t i = 0; i < algorithms_.size(); ++i) {
        const CollectiveAlgorithm& a = algorithms_[i];
        const std::string name(to_string(a.algorithm));
        if (a.algorithm == Algorithm::automatic)
            throw std::invalid_argument("algorithm registry: 'auto' is a choice, not an algorithm to register");
        if (a.applicable == nullptr || a.plan == nullptr)
            throw std::invalid_argument("algorithm registry: algorithm " + name + " lacks its applicable or plan");
        for (std::size_t j = 0; j < i; ++j)
            if (algorithms_[j].algorithm == a.algorithm)
                throw std::invalid_argument("algorithm registry: algorithm " + name + " registered twice");
    }
}

AlgorithmRegistry AlgorithmRegistry::standard() {
    return AlgorithmRegistry({
        ring_algorithm(),
        tree_algorithm(),
        nvls_algorithm(),
        hierarchical_algorithm(),
        pairwise_algorithm(),
        deepep_normal_algorithm(),
        deepep_low_latency_algorithm(),
        direct_algorithm(),
        torus_ring_algorithm(),
        mesh_direct_algorithm(),
    });
}

const CollectiveAlgorithm* AlgorithmRegistry::find(Algorithm a) const {
    for (const CollectiveAlgorithm& x : algorithms_)
        if (x.algorithm == a) return &x;
    return nullptr;
}

} // namespace tcsim::network
