// A route: the links one flow crosses between two accelerators, with the share of the flow on
// each, and how routers may use equal-cost paths.
#pragma once

#include "units/quantity.hpp"

#include <cstdint>
#include <vector>

namespace tcsim::topology {

using VertexId = std::uint32_t;
using LinkId = std::uint32_t;

/// How flows use equal-cost paths: `hashed` picks one by a deterministic hash of (source,
/// destination, the vertex choosing); `spread` splits the flow evenly over all of them
/// (adaptive routing or many queue pairs per connection).
enum class Ecmp : std::uint8_t { hashed, spread };

struct LinkShare {
    LinkId link = 0;
    double share = 1.0; ///< fraction of the flow that crosses this link
};

/// Each link used appears once, sorted by id where paths were merged; latency is the sum of link
/// latencies along the path (the longest one when spread).
struct Route {
    std::vector<LinkShare> links;
    units::Seconds latency{0.0};
};

} // namespace tcsim::topology
