// The executor tests' stand-in network: a transfer of B bytes takes B seconds, alone or not, so
// that every start and end in them is an exact number.
#pragma once

#include "engine/simulation.hpp"
#include "network/network_model.hpp"

#include <functional>
#include <utility>

namespace tcsim::exec_test {

class SecondsPerByteNetwork : public network::NetworkModel {
public:
    explicit SecondsPerByteNetwork(engine::Simulation& sim) : sim_(sim) {}
    void transfer(const collective::CommWork& work, std::function<void()> done) override {
        sim_.schedule_after(engine::to_duration(estimate(work), engine::Rounding::up), std::move(done));
    }
    [[nodiscard]] units::Seconds estimate(const collective::CommWork& work) const override {
        return units::Seconds(work.bytes.value());
    }

private:
    engine::Simulation& sim_;
};

} // namespace tcsim::exec_test
