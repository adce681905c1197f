#include "network/group_layout.hpp"

#include <stdexcept>
#include <string>

namespace tcsim::network {

using workload::ParallelDim;

int stage_gpus(const workload::ParallelSpec& p) { return p.tp * p.cp * p.dp; }

GroupShape group_shape(const workload::ParallelSpec& p, ParallelDim dim, int size) {
    const int m = stage_gpus(p);
    GroupShape s{1, size};
    switch (dim) {
    case ParallelDim::tp: s.stride = 1; break;
    case ParallelDim::cp: s.stride = p.tp; break;
    case ParallelDim::dp: s.stride = size == p.dp * p.cp && p.cp > 1 ? p.tp : p.tp * p.cp; break;
    case ParallelDim::ep: s.stride = p.tp * p.cp * size <= m ? p.tp * p.cp : p.tp; break;
    case ParallelDim::expert_dp: s.stride = p.tp * p.ep; break;
    case ParallelDim::pp: s.stride = m; break;
    }
    const long span = static_cast<long>(s.stride) * s.size;
    const long total = dim == ParallelDim::pp ? static_cast<long>(m) * p.pp : m;
    if (size < 1 || s.stride < 1 || span > total || total % span != 0)
        throw std::invalid_argument(std::string("network: a ") + workload::to_string(dim) + " group of " +
                                    std::to_string(size) + " ranks does not tile a stage of " + std::to_string(m) +
                                    " GPUs (tp " + std::to_string(p.tp) + ", cp " + std::to_string(p.cp) + ", dp " +
                                    std::to_string(p.dp) + ", ep " + std::to_string(p.ep) + ")");
    return s;
}

std::vector<std::vector<int>> stage_groups(const workload::ParallelSpec& p, const GroupShape& shape, int stage) {
    const int m = stage_gpus(p);
    const int first = stage * m;
    const int span = shape.stride * shape.size;
    std::vector<std::vector<int>> out;
    for (int block = 0; block < m; block += span) {
        for (int a = 0; a < shape.stride; ++a) {
            std::vector<int> g;
            g.reserve(static_cast<std::size_t>(shape.size));
            for (int k = 0; k < shape.size; ++k) g.push_back(first + block + a + k * shape.stride);
            out.push_back(std::move(g));
        }
    }
    return out;
}

std::vector<int> group_of(const workload::ParallelSpec& p, const GroupShape& shape, int gpu) {
    const int m = stage_gpus(p);
    const int stage = gpu / m;
    const int local = gpu % m;
    const int base = local - ((local / shape.stride) % shape.size) * shape.stride;
    std::vector<int> g;
    for (int k = 0; k < shape.size; ++k) g.push_back(stage * m + base + k * shape.stride);
    return g;
}

} // namespace tcsim::network
