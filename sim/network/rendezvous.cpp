#include "network/rendezvous.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace tcsim::network {

std::optional<ReadyCollective> Rendezvous::arrive(const collective::CommWork& w, std::function<void()> done) {
    const auto& set = groups_.groups(w.groups);
    if (set.size() != 1)
        throw std::logic_error("network (full mode): GPU " + std::to_string(w.member) +
                               " called a collective on a set of " + std::to_string(set.size()) +
                               " groups; a member calls on its own group");
    const std::vector<int>& members = set.front();
    Group& r = by_set_[w.groups];
    if (r.next_seq.empty()) r.next_seq.assign(members.size(), 0);
    const auto pos = static_cast<std::size_t>(std::find(members.begin(), members.end(), w.member) - members.begin());
    if (pos == members.size())
        throw std::logic_error("network (full mode): GPU " + std::to_string(w.member) +
                               " is not a member of group set " + std::to_string(w.groups));
    const long seq = r.next_seq[pos]++;
    const auto index = static_cast<std::size_t>(seq - r.front_seq);
    if (r.pending.size() <= index) r.pending.resize(index + 1);
    Pending& p = r.pending[index];
    if (p.arrived == 0) {
        p.work = w;
    } else if (p.work.kind != w.kind || p.work.bytes.value() != w.bytes.value()) {
        throw std::logic_error(std::string("network (full mode): rank ") + std::to_string(w.member) + " issued " +
                               collective::to_string(w.kind) + " where its group's collective #" + std::to_string(seq) +
                               " is " + collective::to_string(p.work.kind));
    }
    p.dones.push_back(std::move(done));
    if (++p.arrived < static_cast<int>(members.size())) return std::nullopt;
    if (index != 0) throw std::logic_error("network (full mode): collectives of one group completed out of order");
    ReadyCollective ready{std::move(r.pending.front().work), std::move(r.pending.front().dones)};
    r.pending.pop_front();
    ++r.front_seq;
    return ready;
}

} // namespace tcsim::network
