// Expert-parallel routing of one micro-batch, as a dispatch or combine carries it.
#pragma once

#include "units/quantity.hpp"

#include <cstdint>

namespace tcsim::collective {

/// How a token's copies travel to their experts.
enum class ExpertExchange : std::uint8_t {
    /// Once per node a token needs across the network, then once per GPU inside the node
    /// (DeepEP's normal kernels; DeepSeek-V3 Sec. 3.2.2).
    deduplicated,
    /// Every copy to its expert's GPU, as many times as the token has experts there (an NCCL
    /// all-to-all of the permuted tokens: Megatron-Core's alltoall dispatcher).
    every_copy,
};

/// `tokens` per rank, each to `top_k` experts on at most `max_nodes` nodes, `token_bytes` per
/// token copy on the wire, exchanged as `exchange` says.
struct ExpertRouting {
    double tokens = 0;
    int top_k = 0;
    int max_nodes = 0; ///< 0 = unlimited
    units::Bytes token_bytes;
    ExpertExchange exchange = ExpertExchange::deduplicated;
};

} // namespace tcsim::collective
