// Communicating groups as the network sees them: lists of device ids, nothing about why.
//
// Contract
// - A group is a list of distinct device ids in rank order (ring order for ring algorithms;
//   for send_recv, {source, destination}).
// - A group set is the groups that run one collective at the same time: in symmetric mode every
//   copy of a representative's collective (all tensor-parallel groups of a pipeline stage, say),
//   so that copies contend for the links they share; in full mode one group. Each set is one
//   communicator: two sets never share a queue of collectives, even with equal groups.
// - add() validates (non-empty groups, ids >= 0, no device twice in one group) and returns the
//   new set's id; ids count from 0 in the order sets were added. The table only grows, so an id
//   (and a reference to the table) stays valid while the table lives.
// - Throws std::invalid_argument on an invalid set or an unknown id.
#pragma once

#include <cstdint>
#include <vector>

namespace tcsim::collective {

using Group = std::vector<int>;
using GroupSetId = std::uint32_t;

/// Where a group sits on the cluster: `size` ranks, `ranks_per_node` of them in each node it
/// occupies, hence `nodes()` nodes. Closed-form (alpha-beta) pricing needs only this.
struct GroupPlacement {
    int size = 1;
    int ranks_per_node = 1;
    [[nodiscard]] int nodes() const { return size / ranks_per_node; }
};

class GroupTable {
public:
    /// Adds the set of `groups`; returns its id.
    GroupSetId add(std::vector<Group> groups);
    [[nodiscard]] const std::vector<Group>& groups(GroupSetId id) const;
    [[nodiscard]] std::size_t size() const { return sets_.size(); }
    /// One more than the largest device id in any set (0 for an empty table).
    [[nodiscard]] int devices() const { return devices_; }

private:
    std::vector<std::vector<Group>> sets_;
    int devices_ = 0;
};

} // namespace tcsim::collective
