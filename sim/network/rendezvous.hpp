// Full mode's rendezvous: a collective starts when every member of its group has called it.
//
// Contract: arrive(work, done) records member `work.member`'s next call on the set
// `work.groups` (a set of one group). The k-th call of each member on one set is the same
// collective, as NCCL requires of a communicator. When the last member arrives it returns the
// collective and every member's `done`, in arrival order; until then nothing. Throws
// std::logic_error for a set of several groups, a caller outside the group, members
// disagreeing on the k-th collective (kind or bytes), or collectives completing out of order.
#pragma once

#include "collective/comm_work.hpp"

#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <vector>

namespace tcsim::network {

struct ReadyCollective {
    collective::CommWork work;
    std::vector<std::function<void()>> dones;
};

class Rendezvous {
public:
    explicit Rendezvous(const collective::GroupTable& groups) : groups_(groups) {}
    std::optional<ReadyCollective> arrive(const collective::CommWork& work, std::function<void()> done);

private:
    struct Pending {
        int arrived = 0;
        collective::CommWork work;
        std::vector<std::function<void()>> dones;
    };
    struct Group {
        std::vector<long> next_seq; ///< per member
        long front_seq = 0;         ///< sequence number of pending.front()
        std::deque<Pending> pending;
    };
    const collective::GroupTable& groups_;
    std::map<collective::GroupSetId, Group> by_set_;
};

} // namespace tcsim::network
