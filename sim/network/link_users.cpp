// Each link keeps its users in a plain vector; a slot remembers its position in each of its
// links' vectors, so removal swaps the last user into the hole and updates that user's entry.
#include "network/link_users.hpp"

#include <stdexcept>

namespace tcsim::network {

void LinkUsers::add(std::uint32_t slot, std::span<const LinkUse> usage) {
    if (slot >= where_.size()) where_.resize(static_cast<std::size_t>(slot) + 1);
    std::vector<std::uint32_t>& where = where_[slot];
    if (!where.empty()) throw std::logic_error("link users: a slot added twice");
    where.reserve(usage.size());
    for (std::uint32_t k = 0; k < usage.size(); ++k) {
        const topology::LinkId link = usage[k].link;
        if (link >= by_link_.size()) by_link_.resize(static_cast<std::size_t>(link) + 1);
        std::vector<User>& list = by_link_[link];
        if (list.empty() && list.capacity() == 0) touched_.push_back(link);
        where.push_back(static_cast<std::uint32_t>(list.size()));
        list.push_back(User{slot, k});
    }
}

void LinkUsers::remove(std::uint32_t slot, std::span<const LinkUse> usage) {
    std::vector<std::uint32_t>& where = where_.at(slot);
    if (where.size() != usage.size()) throw std::logic_error("link users: a slot removed with another usage");
    for (std::size_t k = 0; k < usage.size(); ++k) {
        std::vector<User>& list = by_link_[usage[k].link];
        const std::uint32_t at = where[k];
        const User last = list.back();
        list[at] = last;
        where_[last.slot][last.use] = at;
        list.pop_back();
    }
    where.clear();
}

void LinkUsers::clear() {
    for (const topology::LinkId link : touched_) by_link_[link].clear();
    for (std::vector<std::uint32_t>& where : where_) where.clear();
}

} // namespace tcsim::network
