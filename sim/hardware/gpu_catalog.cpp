// A sorted map keeps `names()` and error messages in a stable, readable order.
#include "hardware/gpu_catalog.hpp"

#include <stdexcept>
#include <utility>

namespace tcsim::hardware {

void GpuCatalog::add(GpuSpec spec) {
    if (spec.name.empty()) throw std::invalid_argument("a GPU in the catalog needs a name");
    const std::string name = spec.name;
    if (!gpus_.emplace(name, std::move(spec)).second)
        throw std::invalid_argument("GPU '" + name + "' is already in the catalog");
}

bool GpuCatalog::contains(std::string_view name) const { return gpus_.find(name) != gpus_.end(); }

const GpuSpec& GpuCatalog::find(std::string_view name) const {
    const auto it = gpus_.find(name);
    if (it == gpus_.end()) {
        throw std::out_of_range("unknown GPU '" + std::string(name) +
                                "'; the catalog has: " + (gpus_.empty() ? std::string("(none)") : names_joined()));
    }
    return it->second;
}

std::vector<std::string> GpuCatalog::names() const {
    std::vector<std::string> out;
    out.reserve(gpus_.size());
    for (const auto& [name, spec] : gpus_) out.push_back(name);
    return out;
}

std::string GpuCatalog::names_joined() const {
    std::string out;
    for (const auto& [name, spec] : gpus_) {
        if (!out.empty()) out += ", ";
        out += name;
    }
    return out;
}

} // namespace tcsim::hardware
