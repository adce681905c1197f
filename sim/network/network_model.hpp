// The network as the replay sees it: start a collective or transfer, be called back when done.
//
// Contract: transfer() schedules `done` on the simulation when the work completes and never
// calls it synchronously. Implementations may share bandwidth between concurrent transfers
// (the flow-level model) or price each alone (AlphaBetaNetwork). `estimate()` prices one
// transfer on an otherwise idle network, for reports and tests.
#pragma once

#include "collective/comm_work.hpp"
#include "engine/simulation.hpp"
#include "units/quantity.hpp"

#include <functional>

namespace tcsim::network {

class NetworkModel {
public:
    virtual ~NetworkModel() = default;
    /// Starts `work` now; `done` runs on the simulation when it completes.
    virtual void transfer(const collective::CommWork& work, std::function<void()> done) = 0;
    /// Time of `work` alone on an idle network.
    [[nodiscard]] virtual units::Seconds estimate(const collective::CommWork& work) const = 0;
};

} // namespace tcsim::network
