// Expert-parallel routing of one micro-batch, as a dispatch or combine carries it.
#pragma once

#include "units/quantity.hpp"

namespace tcsim::collective {

/// `tokens` per rank, each to `top_k` experts on at most `max_nodes` nodes, `token_bytes` per
/// token copy on the wire.
struct ExpertRouting {
    double tokens = 0;
    int top_k = 0;
    int max_nodes = 0; ///< 0 = unlimited
    units::Bytes token_bytes;
};

} // namespace tcsim::collective
