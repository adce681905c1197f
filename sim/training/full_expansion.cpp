#include "training/full_expansion.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>
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
    for (int r = 0; r < sym.ranks; ++r) stage_first_.push_back(base_[static_cast<std::size_t>(r * per_stage_)]);
    if (next > 0xffffffffULL)
        throw std::invalid_argument("full mode: " + std::to_string(next) + " ops exceed the 4G an op id can count");
    total_ = next;
    for (const Op& op : sym.ops) {
        comm_total_ += op.is_compute() ? 0 : static_cast<std::size_t>(per_stage_);
        deps_total_ += op.deps.size() * static_cast<std::size_t>(per_stage_);
    }
    own_.assign(static_cast<std::size_t>(gpus_) * kDims, -1);
    ring_.assign(static_cast<std::size_t>(gpus_) * kDims, -1);
    // Successors, each op's ordered by (rank, index): full-id order on every GPU of a stage.
    successors_.build(sym);
    successors_.sort_each(
        [&](OpIndex a, OpIndex b) { return std::pair{sym.ops[a].rank, a} < std::pair{sym.ops[b].rank, b}; });
}

FullExpansion::Place FullExpansion::locate(OpIndex id) const {
    if (id >= total_) throw std::out_of_range("full mode: op " + std::to_string(id) + " is not in the expansion");
    // The stage (the last whose first id is at most `id`: one with no ops is never it), then the
    // GPU within it: its GPUs hold equal runs of ids.
    const auto stage = std::upper_bound(stage_first_.begin(), stage_first_.end(), id) - stage_first_.begin() - 1;
    const auto s = static_cast<std::size_t>(stage);
    const OpIndex offset = id - stage_first_[s];
    const auto length = static_cast<OpIndex>(of_rank_[s].size());
    return {static_cast<int>(stage) * per_stage_ + static_cast<int>(offset / length), offset % length};
}

void FullExpansion::successors(OpIndex id, std::vector<OpIndex>& out) const {
    const Place p = locate(id);
    const int q = p.gpu % per_stage_;
    const OpIndex d = stage_ops(p.gpu)[p.position];
    out.clear();
    for (const OpIndex s : successors_.of(d)) {
        out.push_back(base_[static_cast<std::size_t>(sym_.ops[s].rank * per_stage_ + q)] + position_[s]);
    }
}

void FullExpansion::roots(std::vector<OpIndex>& out) const {
    out.clear();
    for (int g = 0; g < gpus_; ++g) {
        const auto& list = stage_ops(g);
        for (std::size_t k = 0; k < list.size(); ++k)
            if (sym_.ops[list[k]].deps.empty()) out.push_back(base(g) + static_cast<OpIndex>(k));
    }
}

void FullExpansion::make_groups() {
    for (int g = 0; g < gpus_; ++g)
        for (const OpIndex i : stage_ops(g)) {
            const Op& s = sym_.ops[i];
            if (s.is_compute()) continue;
            const CollectiveKind kind = sym_.comm(s).kind;
            const int peer =
                kind == CollectiveKind::send_recv && s.peer >= 0 ? s.peer * per_stage_ + g % per_stage_ : s.peer;
            set_of(g, kind, s.dim, peer);
        }
}

collective::GroupSetId FullExpansion::set_of(int g, CollectiveKind kind, Dim dim, int peer) {
    auto get = [&](int key_kind, Dim key_dim, int a, int b, auto make) {
        const auto key = std::tuple<int, int, int, int>{key_kind, static_cast<int>(key_dim), a, b};
        if (const auto it = ids_.find(key); it != ids_.end()) return it->second;
        return ids_.emplace(key, groups_.add(make())).first->second;
    };
    const layout::RankGrid& grid = sym_.grid;
    const std::size_t at = static_cast<std::size_t>(g) * kDims + static_cast<std::size_t>(dim);
    if (kind == CollectiveKind::send_recv && peer >= 0)
        return get(2, Dim::pp, g, peer, [&] { return std::vector<collective::Group>{{g, peer}}; });
    if (kind == CollectiveKind::send_recv) {
        if (ring_[at] < 0) ring_[at] = get(1, dim, g, 0, [&] { return grid.ring_pair(dim, g); });
        return static_cast<collective::GroupSetId>(ring_[at]);
    }
    if (own_[at] < 0) {
        const collective::Group own = grid.group_of(dim, g);
        own_[at] = get(0, dim, own.front(), 0, [&] { return std::vector<collective::Group>{own}; });
    }
    return static_cast<collective::GroupSetId>(own_[at]);
}

void FullExpansion::make(int g, std::size_t k, Op& op, CommWork& comm, std::vector<OpIndex>& deps) {
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
        comm = sym_.comm(s);
        comm.member = g;
        if (comm.kind == CollectiveKind::send_recv && op.peer >= 0) op.peer = op.peer * per_stage_ + q;
        comm.groups = set_of(g, comm.kind, op.dim, op.peer);
    }
}

} // namespace tcsim::training
