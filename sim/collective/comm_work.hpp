// One collective (or point-to-point transfer) to run: the hand-off from whoever issues
// communication to the network model that prices it.
#pragma once

#include "collective/collective_kind.hpp"
#include "collective/expert_routing.hpp"
#include "collective/group_table.hpp"
#include "units/quantity.hpp"

namespace tcsim::collective {

struct CommWork {
    CollectiveKind kind = CollectiveKind::all_reduce;
    /// The groups that run it, in the GroupTable the network was given.
    GroupSetId groups = 0;
    /// The shape of each of those groups, for closed-form pricing (the flow network routes the
    /// groups themselves).
    GroupPlacement placement;
    units::Bytes bytes;         ///< see CollectiveKind for what it measures
    ExpertRouting routing;      ///< ep_dispatch / ep_combine only
    bool crosses_nodes = false; ///< send_recv only: the peer is in another node
    /// -1: the whole set runs at once (symmetric mode). Otherwise the device making this call,
    /// a member of the set's only group: a collective starts when every member has called
    /// (full mode); a send_recv starts at once.
    int member = -1;
};

} // namespace tcsim::collective
