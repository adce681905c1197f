#include "layout/rank_grid.hpp"

#include <stdexcept>
#include <string>

namespace tcsim::layout {

using collective::Group;

RankGrid::RankGrid(const GridSpec& spec) : spec_(spec) {
    auto positive = [](int v, const char* name) {
        if (v < 1)
            throw std::invalid_argument(std::string("rank grid: ") + name + " must be at least 1, got " +
                                        std::to_string(v));
    };
    positive(spec.tp, "tp");
    positive(spec.cp, "cp");
    positive(spec.dp, "dp");
    positive(spec.pp, "pp");
    positive(spec.ep, "ep");
    positive(spec.etp, "etp");
    positive(spec.gpus_per_node, "gpus_per_node");
    if (stage_gpus() % (spec.ep * spec.etp) != 0)
        throw std::invalid_argument("rank grid: ep x etp = " + std::to_string(spec.ep) + " x " +
                                    std::to_string(spec.etp) +
                                    " does not divide tp x cp x dp = " + std::to_string(stage_gpus()));
}

RankGrid::Shape RankGrid::shape(Dim dim) const {
    const GridSpec& s = spec_;
    switch (dim) {
    case Dim::tp: return {1, s.tp};
    case Dim::cp: return {s.tp, s.cp};
    case Dim::dp: return {s.tp * s.cp, s.dp};
    case Dim::dp_cp: return {s.tp, s.cp * s.dp};
    case Dim::etp: return {1, s.etp};
    case Dim::ep: return {s.etp, s.ep};
    case Dim::ep_etp: return {1, s.ep * s.etp};
    case Dim::expert_dp: return {s.etp * s.ep, stage_gpus() / (s.etp * s.ep)};
    case Dim::pp: return {stage_gpus(), s.pp};
    }
    return {1, 1};
}

void RankGrid::check_gpu(int gpu) const {
    if (gpu < 0 || gpu >= gpus())
        throw std::invalid_argument("rank grid: GPU " + std::to_string(gpu) + " outside the grid of " +
                                    std::to_string(gpus()));
}

int RankGrid::gpu(int tp, int cp, int dp, int pp) const {
    const GridSpec& s = spec_;
    if (tp < 0 || tp >= s.tp || cp < 0 || cp >= s.cp || dp < 0 || dp >= s.dp || pp < 0 || pp >= s.pp)
        throw std::invalid_argument("rank grid: coordinate (tp " + std::to_string(tp) + ", cp " + std::to_string(cp) +
                                    ", dp " + std::to_string(dp) + ", pp " + std::to_string(pp) + ") outside the grid");
    return tp + s.tp * (cp + s.cp * (dp + s.dp * pp));
}

int RankGrid::stage_of(int gpu) const {
    check_gpu(gpu);
    return gpu / stage_gpus();
}

int RankGrid::group_size(Dim dim) const { return shape(dim).size; }

std::vector<Group> RankGrid::stage_groups(Dim dim, int stage) const {
    if (stage < 0 || stage >= spec_.pp)
        throw std::invalid_argument("rank grid: stage " + std::to_string(stage) + " outside the pipeline of " +
                                    std::to_string(spec_.pp));
    const Shape sh = shape(dim);
    const int m = stage_gpus();
    // pp groups run across stages: their "stage" is the whole grid.
    const int first = dim == Dim::pp ? 0 : stage * m;
    const int extent = dim == Dim::pp ? m * spec_.pp : m;
    const int span = sh.stride * sh.size;
    std::vector<Group> out;
    for (int block = 0; block < extent; block += span)
        for (int a = 0; a < sh.stride; ++a) {
            Group g;
            g.reserve(static_cast<std::size_t>(sh.size));
            for (int k = 0; k < sh.size; ++k) g.push_back(first + block + a + k * sh.stride);
            out.push_back(std::move(g));
        }
    return out;
}

Group RankGrid::group_of(Dim dim, int gpu) const {
    check_gpu(gpu);
    const Shape sh = shape(dim);
    const int m = stage_gpus();
    const int base_of_stage = dim == Dim::pp ? 0 : (gpu / m) * m;
    const int local = gpu - base_of_stage;
    const int base = local - ((local / sh.stride) % sh.size) * sh.stride;
    Group g;
    g.reserve(static_cast<std::size_t>(sh.size));
    for (int k = 0; k < sh.size; ++k) g.push_back(base_of_stage + base + k * sh.stride);
    return g;
}

collective::GroupPlacement RankGrid::placement(Dim dim) const {
    const Group g = group_of(dim, 0);
    int same_node = 0;
    for (int r : g) same_node += node_of(r) == node_of(g.front()) ? 1 : 0;
    return collective::GroupPlacement{static_cast<int>(g.size()), same_node};
}

std::vector<Group> RankGrid::stage_pairs(int from, int to) const {
    if (from < 0 || from >= spec_.pp || to < 0 || to >= spec_.pp)
        throw std::invalid_argument("rank grid: a transfer from stage " + std::to_string(from) + " to stage " +
                                    std::to_string(to) + " outside the pipeline of " + std::to_string(spec_.pp));
    const int m = stage_gpus();
    std::vector<Group> out;
    out.reserve(static_cast<std::size_t>(m));
    for (int i = 0; i < m; ++i) out.push_back({from * m + i, to * m + i});
    return out;
}

std::vector<Group> RankGrid::ring_pair(Dim dim, int gpu) const {
    const Group g = group_of(dim, gpu);
    if (g.size() < 2) return {};
    for (std::size_t k = 0; k < g.size(); ++k)
        if (g[k] == gpu) return {{gpu, g[(k + 1) % g.size()]}};
    return {};
}

std::vector<Group> RankGrid::stage_ring_pairs(Dim dim, int stage) const {
    std::vector<Group> out;
    for (const Group& g : stage_groups(dim, stage)) {
        if (g.size() < 2) continue;
        for (std::size_t k = 0; k < g.size(); ++k) out.push_back({g[k], g[(k + 1) % g.size()]});
    }
    return out;
}

bool RankGrid::stage_hop_crosses_nodes() const { return stage_gpus() >= spec_.gpus_per_node; }

} // namespace tcsim::layout
