// Which flow classes in flight use each link: the index that finds the classes sharing links
// with a given one without asking every pair in flight.
//
// Why: full mode on 2,048 GPUs has hundreds to thousands of classes in flight (each GPU's
// pipeline sends and each expert group's dispatch are classes of their own), and an event that
// asks every pair whether they share a link costs O(in flight^2); through this index it costs
// the links of the classes concerned and their users.
//
// Contract
// - add(slot, usage) records that the class in slot `slot` uses every link of `usage`;
//   remove(slot, usage) forgets it (the same usage); each in O(|usage|), whatever the number of
//   users of a link. A slot is a small integer naming one class in flight (slots are reused),
//   added at most once until removed.
// - users(link): the slots using `link` now, in no particular order.
// - clear() forgets every slot.
#pragma once

#include "network/collective_plan.hpp"

#include <cstdint>
#include <span>
#include <vector>

namespace tcsim::network {

class LinkUsers {
public:
    void add(std::uint32_t slot, std::span<const LinkUse> usage);
    void remove(std::uint32_t slot, std::span<const LinkUse> usage);
    void clear();

    /// Slots using `link` now.
    struct User {
        std::uint32_t slot = 0;
        std::uint32_t use = 0; ///< the link's position in the slot's usage
    };
    [[nodiscard]] std::span<const User> users(topology::LinkId link) const {
        if (link >= by_link_.size()) return {};
        return by_link_[link];
    }

private:
    std::vector<std::vector<User>> by_link_;
    /// Per slot, where each link of its usage holds it in by_link_ (for O(1) removal).
    std::vector<std::vector<std::uint32_t>> where_;
    std::vector<topology::LinkId> touched_; ///< links that have had users, for clear()
};

} // namespace tcsim::network
