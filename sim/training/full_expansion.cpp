#include "training/full_expansion.hpp"

#include <stdexcept>
#include <string>

namespace tcsim::training {

namespace {
constexpr std::size_t kDims = static_cast<std::size_t>(Dim::pp) + 1;
} // namespace

FullExpansion::FullExpansion(const Program& sym) : sym_(sym), per_stage_(sym.gpus_per_rank) {
    gpus_ = sym.ranks * per_stage_;
    if (sym.grid.gpus() != gpus_)
        throw std::invalid_argument("expand_to_full: the program's rank grid has " + std::to_string(sym.grid.gpus()) +
                                    " GPUs, its ranks stand for " + std::to_string(gpus_));
    of_rank_.resize(static_cast<std::size_t>(sym.ranks));
    position_.resize(sym.ops.size());
    for (OpIndex i = 0; i < sym.ops.size(); ++i) {
        auto& list = of_rank_[static_cast<std::size_t>(sym.ops[i].rank)];
        position_[i] = static_cast<OpIndex>(list.size());
        list.push_back(i);
    }
    base_.resize(static_cast<std::size_t>(gpus_));
    std::size_t next = 0;
    for (int g = 0; g < gpus_; ++g) {
        base_[static_cast<std::size_t>(g)] = static_cast<OpIndex>(next);
        next += of_rank_[static_cast<std::size_t>(g / per_stage_)].size();
    }
    if (next > 0xffffffffULL)
        throw std::invalid_argument("full mode: " + std::to_string(next) + " ops exceed the 4G an op id can count");
    total_ = next;
    for (const Op& op : sym.ops) {
        comm_total_ += op.is_compute() ? 0 : static_cast<std::size_t>(per_stage_);
        deps_total_ += op.deps.size() * static_cast<std::size_t>(per_stage_);
    }
    own_.assign(static_cast<std::size_t>(gpus_) * kDims, -1);
    ring_.assign(static_cast<std::size_t>(gpus_) * kDims, -1);
}

collective::GroupSetId FullExpansion::set_of(int g, const Op& op) {
    auto get = [&](int kind, Dim dim, int a, int b, auto make) {
        const auto key = std::tuple<int, int, int, int>{kind, static_cast<int>(dim), a, b};
        if (const auto it = ids_.find(key); it != ids_.end()) return it->second;
        return ids_.emplace(key, groups_.add(make())).first->second;
    };
    const layout::RankGrid& grid = sym_.grid;
    const std::size_t at = static_cast<std::size_t>(g) * kDims + static_cast<std::size_t>(op.dim);
    if (op.comm.kind == CollectiveKind::send_recv && op.peer >= 0) {
        const int peer = op.peer;
        return get(2, Dim::pp, g, peer, [&] { return std::vector<collective::Group>{{g, peer}}; });
    }
    if (op.comm.kind == CollectiveKind::send_recv) {
        if (ring_[at] < 0) ring_[at] = get(1, op.dim, g, 0, [&] { return grid.ring_pair(op.dim, g); });
        return static_cast<collective::GroupSetId>(ring_[at]);
    }
    if (own_[at] < 0) {
        const collective::Group own = grid.group_of(op.dim, g);
        own_[at] = get(0, op.dim, own.front(), 0, [&] { return std::vector<collective::Group>{own}; });
    }
    return static_cast<collective::GroupSetId>(own_[at]);
}

void FullExpansion::make(int g, std::size_t k, Op& op, std::vector<OpIndex>& deps) {
    const int q = g % per_stage_;
    const Op& s = sym_.ops[stage_ops(g)[k]];
    op.rank = g;
    op.stream = s.stream;
    op.phase = s.phase;
    op.micro_batch = s.micro_batch;
    op.layer = s.layer;
    op.slot = s.slot;
    op.block = s.block;
    op.comm = s.comm;
    op.dim = s.dim;
    op.peer = s.peer;
    op.issue = s.issue;
    op.deps.clear();
    deps.clear();
    for (OpIndex d : s.deps) {
        const int dep_gpu = sym_.ops[d].rank * per_stage_ + q;
        deps.push_back(base_[static_cast<std::size_t>(dep_gpu)] + position_[d]);
    }
    if (!op.is_compute()) {
        op.comm.member = g;
        if (op.comm.kind == CollectiveKind::send_recv && op.peer >= 0) op.peer = op.peer * per_stage_ + q;
        op.comm.groups = set_of(g, op);
    }
}

} // namespace tcsim::training
