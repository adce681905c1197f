// The registry of collective algorithms, by Algorithm value: how CollectivePlanner finds the
// one file that plans an algorithm (algorithms/*.cpp).
//
// Contract
// - A registry holds at most one CollectiveAlgorithm per Algorithm value; constructing one with
//   two for the same value, with a missing function, or with one for Algorithm::automatic (a
//   choice, not an algorithm) throws std::invalid_argument naming the algorithm.
// - `standard()` registers every algorithm tcsim has, each exactly once.
// - `find(a)` is the registered algorithm, or nullptr.
#pragma once

#include "network/algorithms/collective_algorithm.hpp"

#include <vector>

namespace tcsim::network {

class AlgorithmRegistry {
public:
    explicit AlgorithmRegistry(std::vector<CollectiveAlgorithm> algorithms);
    [[nodiscard]] static AlgorithmRegistry standard();

    [[nodiscard]] const CollectiveAlgorithm* find(Algorithm a) const;
    [[nodiscard]] const std::vector<CollectiveAlgorithm>& algorithms() const { return algorithms_; }

private:
    std::vector<CollectiveAlgorithm> algorithms_;
};

} // namespace tcsim::network
