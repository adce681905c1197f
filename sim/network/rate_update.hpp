// How the flow network re-solves rates once many flow classes are in flight
// (FlowNetworkOptions::link_index_from, flows_in_flight.hpp).
//
// - components: every component of classes sharing links that an event changes is solved whole
//   (found through an index of each link's users; rates memoised by component). Symmetric mode
//   uses it: its components are few and repeat, and its output stays the bytes it always was.
// - incremental: the max-min rates are kept by IncrementalMaxMin (incremental_max_min.hpp), a
//   region around each class that starts or ends re-solved with the rest held, grown until the
//   whole is max-min fair. Full mode uses it: thousands of GPUs' classes meet on spine links in
//   one component, which every event would otherwise walk and solve. The rates are the same
//   max-min fair rates to the solvers' precision (1e-9 relative in a solve, 1e-7 in the check),
//   not to the bit.
#pragma once

#include <cstdint>

namespace tcsim::network {

enum class RateUpdate : std::uint8_t { components, incremental };

} // namespace tcsim::network
