// Routed collectives and max-min rates shared by every flow network on one fabric (issue 18).
//
// The steps of a run (batch-ramp phases, steady state) and the layouts of a search simulate
// the same collectives on the same groups over and over; each step has its own FlowNetwork
// and GroupTable, so what is keyed by a step's group-set ids cannot be kept. This memo keys a
// routed collective by what determines it: the collective kind, the algorithm, the ECMP mode,
// the expert shape and the groups' GPU lists themselves; and the max-min rates of a component
// by the exact sequence of its classes' serial numbers (the same variables in the same order
// make the same problem, so a reused answer is bit-for-bit the answer a fresh solve gives).
//
// Contract
// - routed(key, make): the memoised collective for `key`, made by `make` (a plan) on first
//   use; the same object for every later call with an equal key. Each of its classes carries a
//   serial number unique within this memo. A key is planned once: a thread asking for a key
//   another thread is planning waits for that plan (the threads of a run start on the same
//   collectives); if `make` throws, the key stays unplanned and the waiters plan it themselves
//   (so each sees the planner's own exception).
// - rates(serials) / remember(serials, rates): a lookup and a store; results never depend on
//   whether the memo held them.
// - overlap(a, b, share): whether two classes share a link, memoised by their serials.
// - Thread safe (one fabric may serve the steps of a search on several threads); objects
//   handed out stay valid and unchanged while the memo lives or a caller holds them.
#pragma once

#include "collective/collective_kind.hpp"
#include "network/collective_plan.hpp"
#include "topology/cluster_graph.hpp"

#include <cstdint>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

namespace tcsim::network {

struct RoutedClass {
    std::vector<LinkUse> usage; ///< sorted by link
    double bytes_per_payload = 0;
    std::uint64_t serial = 0; ///< unique within the PlanMemo that made it
};

/// A collective routed once for every network on the fabric.
struct SharedRoute {
    Algorithm algorithm = Algorithm::ring;
    std::vector<RoutedClass> classes;
    double latency = 0; ///< seconds
};

/// What determines a collective's routes (the payload only scales them).
struct RouteKey {
    collective::CollectiveKind kind = collective::CollectiveKind::all_reduce;
    Algorithm algorithm = Algorithm::ring;
    topology::Ecmp ecmp = topology::Ecmp::hashed;
    int top_k = 0;
    int max_nodes = 0;
    std::vector<std::vector<int>> groups;
    auto operator<=>(const RouteKey&) const = default;
};

class PlanMemo {
public:
    std::shared_ptr<const SharedRoute> routed(const RouteKey& key, const std::function<CollectivePlan()>& make);
    [[nodiscard]] std::optional<std::vector<double>> rates(const std::vector<std::uint64_t>& serials) const;
    void remember(const std::vector<std::uint64_t>& serials, const std::vector<double>& rates);
    /// Whether the classes of serials `a` and `b` share a link, computed by `share` on first use
    /// (a merge of their link lists: at 100K GPUs each holds tens of thousands of links).
    bool overlap(std::uint64_t a, std::uint64_t b, const std::function<bool()>& share);

private:
    struct SerialsHash {
        std::size_t operator()(const std::vector<std::uint64_t>& v) const;
    };
    mutable std::mutex mutex_;
    using Routed = std::shared_ptr<const SharedRoute>;
    /// Made or being made (the future is ready once its maker has stored it).
    std::map<RouteKey, std::shared_future<Routed>> routes_;
    std::unordered_map<std::vector<std::uint64_t>, std::vector<double>, SerialsHash> rates_;
    std::unordered_map<std::uint64_t, bool> overlaps_; ///< by (lower serial << 32 | higher)
    std::uint64_t next_serial_ = 1;
};

} // namespace tcsim::network
