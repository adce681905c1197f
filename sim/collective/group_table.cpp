#include "collective/group_table.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace tcsim::collective {

GroupSetId GroupTable::add(std::vector<Group> groups) {
    for (const Group& g : groups) {
        if (g.empty()) throw std::invalid_argument("group table: an empty group");
        Group sorted = g;
        std::sort(sorted.begin(), sorted.end());
        if (sorted.front() < 0)
            throw std::invalid_argument("group table: negative device id " + std::to_string(sorted.front()));
        if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end())
            throw std::invalid_argument("group table: device " +
                                        std::to_string(*std::adjacent_find(sorted.begin(), sorted.end())) +
                                        " appears twice in one group");
        devices_ = std::max(devices_, sorted.back() + 1);
    }
    sets_.push_back(std::move(groups));
    return static_cast<GroupSetId>(sets_.size() - 1);
}

const std::vector<Group>& GroupTable::groups(GroupSetId id) const {
    if (id >= sets_.size())
        throw std::invalid_argument("group table: no group set " + std::to_string(id) + " (" +
                                    std::to_string(sets_.size()) + " sets)");
    return sets_[id];
}

} // namespace tcsim::collective
