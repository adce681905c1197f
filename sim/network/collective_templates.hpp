// Collectives routed once per signature: a "template" is a collective's flow classes (sparse
// link-coefficient vectors and bytes per payload byte) and its latency, for one (kind,
// algorithm, group set, expert shape). A training step repeats a few hundred signatures
// ~100K times, so it looks up a few hundred times; the routing itself is shared by every
// network on the fabric (Fabric::memo, keyed by the groups' GPUs), so the steps of a run route
// each collective once.
//
// Contract: ids count from 0 in the order templates were first asked for; a template and its
// classes never change once made. Throws what the planner throws for groups it cannot run,
// and std::invalid_argument for a group set naming GPUs the fabric does not have.
#pragma once

#include "collective/comm_work.hpp"
#include "network/collective_plan.hpp"
#include "network/fabric.hpp"
#include "network/plan_memo.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <utility>
#include <vector>

namespace tcsim::network {

/// What routes a collective, its algorithm aside: the kind, the group set and, for expert
/// dispatch and combine, the expert shape (the payload only scales the flows).
struct Signature {
    collective::CollectiveKind kind = collective::CollectiveKind::all_reduce;
    collective::GroupSetId groups = 0;
    int top_k = 0;
    int max_nodes = 0;
    collective::ExpertExchange exchange = collective::ExpertExchange::deduplicated;
    auto operator<=>(const Signature&) const = default;
};
[[nodiscard]] Signature signature_of(const collective::CommWork& work);

struct RoutedCollective {
    Algorithm algorithm = Algorithm::ring;
    std::vector<std::uint32_t> classes; ///< ids in CollectiveTemplates::cls
    double latency = 0;                 ///< seconds
};

class CollectiveTemplates {
public:
    CollectiveTemplates(const Fabric& fabric, const collective::GroupTable& groups, const CollectivePlanner& planner);

    /// The template of `work` run with `algorithm`, routed on first use.
    std::uint32_t get(const collective::CommWork& work, Algorithm algorithm);
    [[nodiscard]] const RoutedCollective& collective(std::uint32_t id) const { return collectives_[id]; }
    [[nodiscard]] const RoutedClass& cls(std::uint32_t id) const { return *classes_[id]; }
    [[nodiscard]] std::size_t class_count() const { return classes_.size(); }
    [[nodiscard]] std::uint64_t routed() const { return collectives_.size(); }
    [[nodiscard]] const std::vector<collective::Group>& groups_of(const collective::CommWork& work) const {
        return groups_.groups(work.groups);
    }
    [[nodiscard]] const CollectivePlanner& planner() const { return planner_; }

private:
    using Key = std::pair<Signature, Algorithm>;
    const Fabric& fabric_;
    const collective::GroupTable& groups_;
    const CollectivePlanner& planner_;
    std::vector<const RoutedClass*> classes_; ///< into routes_
    std::vector<RoutedCollective> collectives_;
    std::vector<std::shared_ptr<const SharedRoute>> routes_;
    std::map<Key, std::uint32_t> index_;
};

} // namespace tcsim::network
