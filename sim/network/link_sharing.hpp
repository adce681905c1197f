// Max-min fair rates of routed flow classes that share links, memoised.
//
// A set of classes sharing links, directly or through others (a component), gets rates that
// depend only on which classes it holds (capacities and coefficients never change), so rates
// are memoised by the sorted list of class ids; a training step repeats the same few component
// shapes over and over; and behind that by the classes' serial numbers in the fabric's memo
// (plan_memo.hpp), which every network on the fabric shares, so the steps of a run solve each
// component once. Whether two classes share a link is computed once per pair (a merge of their
// sorted link lists).
//
// Contract: rates(ids) takes class ids sorted ascending and returns one per-flow rate (bytes/s)
// per id, in that order, as MaxMinProblem solves them on the fabric's capacities. Results do not
// depend on the memo. The returned span stays valid until the next call of rates().
//
// A class alone (no class in flight shares a link with it) is by far the commonest component:
// 98.5 % of the 1.76M lookups of the default `tcsim` run (DeepSeek-V3's stages, R1, the GPT-4
// estimate). Its rate is kept by class id in a flat table, looked up without hashing, and
// solved in closed form: the least capacity / coefficient over its links, the very quotient
// progressive filling takes in its one round (tested against MaxMinProblem).
#pragma once

#include "network/collective_templates.hpp"
#include "network/fabric.hpp"
#include "network/max_min_solver.hpp"

#include <cstdint>
#include <span>
#include <unordered_map>
#include <vector>

namespace tcsim::network {

class LinkSharing {
public:
    LinkSharing(const Fabric& fabric, const CollectiveTemplates& templates);

    /// Whether classes `a` and `b` use a common link (a class shares with itself). Inline for a
    /// pair already known among the first classes: flows in flight ask it of each class that
    /// starts against every class they hold.
    bool overlaps(std::uint32_t a, std::uint32_t b) {
        if (a == b) return true;
        if (a < capacity_ && b < capacity_) {
            const std::int8_t cell = dense_[a * capacity_ + b];
            if (cell >= 0) return cell != 0;
        }
        return overlaps_first_time(a, b);
    }
    /// Per-flow rates of the classes `ids` (sorted) sharing the network alone.
    std::span<const double> rates(const std::vector<std::uint32_t>& ids);

    [[nodiscard]] std::uint64_t solves() const { return solves_; }
    [[nodiscard]] std::uint64_t reuses() const { return reuses_; }

private:
    struct VectorHash {
        std::size_t operator()(const std::vector<std::uint32_t>& v) const;
    };
    const Fabric& fabric_;
    const CollectiveTemplates& templates_;
    std::unordered_map<std::vector<std::uint32_t>, std::vector<double>, VectorHash> memo_;
    static constexpr std::size_t kDense = 4096;
    bool compute_overlap(std::uint32_t a, std::uint32_t b);
    /// The rates of `ids` from the fabric's memo, or solved (and given to it).
    std::vector<double> shared_or_solved(const std::vector<std::uint32_t>& ids);
    std::vector<double> alone_; ///< by class id: its rate alone, NaN until known
    /// The max-min rate of one class alone on the network, as MaxMinProblem would solve it.
    [[nodiscard]] double alone_rate(const std::vector<LinkUse>& usage) const;
    /// overlaps() for a pair not yet in the dense matrix (or beyond it).
    bool overlaps_first_time(std::uint32_t a, std::uint32_t b);
    std::vector<std::int8_t> dense_; ///< capacity_^2 (at most kDense^2, 256 MiB), -1 unknown
    std::size_t capacity_ = 0;
    std::unordered_map<std::uint64_t, bool> overlap_; ///< the others, by (lower id << 32 | higher id)
    MaxMinProblem problem_;                           ///< reused by every solve (its memory kept)
    std::vector<std::uint64_t> link_stamp_;           ///< by link: the solve that last gave it a constraint
    std::vector<std::uint32_t> link_constraint_;      ///< by link: that constraint
    std::uint64_t stamp_ = 0;
    std::uint64_t solves_ = 0;
    std::uint64_t reuses_ = 0;
};

} // namespace tcsim::network
