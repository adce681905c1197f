// What a collective does: the vocabulary shared by the parts that issue collectives (training,
// serving, benchmarks) and the parts that price them (network). It knows no models, schedules
// or layouts.
#pragma once

namespace tcsim::collective {

enum class CollectiveKind {
    all_reduce,
    all_gather,     ///< bytes = the gathered (output) size
    reduce_scatter, ///< bytes = the input (full) size
    all_to_all,     ///< bytes = what each rank sends in total
    ep_dispatch,    ///< tokens to their top-k experts (node-limited, deduplicated per node)
    ep_combine,     ///< expert outputs back to the tokens' ranks
    send_recv,      ///< point-to-point: the first member of each group sends to the second
};

constexpr const char* to_string(CollectiveKind k) {
    switch (k) {
    case CollectiveKind::all_reduce: return "all_reduce";
    case CollectiveKind::all_gather: return "all_gather";
    case CollectiveKind::reduce_scatter: return "reduce_scatter";
    case CollectiveKind::all_to_all: return "all_to_all";
    case CollectiveKind::ep_dispatch: return "ep_dispatch";
    case CollectiveKind::ep_combine: return "ep_combine";
    case CollectiveKind::send_recv: return "send_recv";
    }
    return "?";
}

} // namespace tcsim::collective
