#include "hardware/efficiency.hpp"

#include "hardware/link_class.hpp"

#include <stdexcept>

namespace tcsim::hardware {

std::optional<double> LinkEfficiency::find_fraction(std::string_view cls) const {
    const auto it = fractions.find(cls);
    if (it == fractions.end()) return std::nullopt;
    return it->second;
}

double LinkEfficiency::fraction(std::string_view cls) const {
    if (auto f = find_fraction(cls)) return *f;
    throw std::invalid_argument("link efficiency: no achievable fraction for link class '" + std::string(cls) + "'");
}

void LinkEfficiency::set_fraction(std::string_view cls, double f) {
    const LinkClass c = link_class(cls); // throws naming an unknown class
    if (!c.contended())
        throw std::invalid_argument("link class '" + std::string(cls) +
                                    "' is never a bottleneck here and takes no achievable fraction");
    fractions.insert_or_assign(std::string(cls), f);
}

} // namespace tcsim::hardware
