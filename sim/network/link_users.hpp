// Which variables use each link: the index that finds the flow classes on a link without
// asking every class in flight (the incremental max-min solver's, incremental_max_min.hpp: the
// users of a link that a change touches, their load and largest rate).
//
// Why: full mode on thousands of GPUs has thousands of classes in flight (each GPU's pipeline
// sends and each group's collectives are classes of their own); through this index an event
// costs the links of the classes concerned and their users, not every pair in flight.
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
