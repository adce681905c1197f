#include "sweep/sweep_points.hpp"

namespace tcsim::sweep {

std::vector<SweepPoint> points(const SweepSpec& spec) {
    const std::size_t axes = spec.axes.size();
    std::vector<SweepPoint> out;
    if (axes == 0) return out;
    // The group each axis belongs to, named by its first axis; the groups in file order.
    std::vector<std::size_t> leader(axes);
    std::vector<std::size_t> groups;
    for (std::size_t a = 0; a < axes; ++a) {
        leader[a] = spec.combine == Combine::zip ? 0 : spec.axes[a].zip_with.value_or(a);
        if (leader[a] == a) groups.push_back(a);
    }
    std::size_t count = 1;
    for (const std::size_t g : groups) count *= spec.axes[g].values.size();
    out.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        // Mixed-radix digits of i, the last group fastest.
        std::vector<std::size_t> digit(axes, 0);
        std::size_t rest = i;
        for (std::size_t k = groups.size(); k-- > 0;) {
            const std::size_t size = spec.axes[groups[k]].values.size();
            digit[groups[k]] = rest % size;
            rest /= size;
        }
        SweepPoint p{i, std::vector<std::size_t>(axes)};
        for (std::size_t a = 0; a < axes; ++a) p.value[a] = digit[leader[a]];
        out.push_back(std::move(p));
    }
    return out;
}

} // namespace tcsim::sweep
