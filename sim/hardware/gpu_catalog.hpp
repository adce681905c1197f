// The GPU catalog: datasheets by name, as read from topologies/gpus.toml.
//
// Contract: names are unique; `find` of an unknown name throws std::out_of_range whose message
// lists every known name, so a typo in a cluster file is answered with the choices.
#pragma once

#include "hardware/gpu_spec.hpp"

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace tcsim::hardware {

class GpuCatalog {
public:
    /// Adds a GPU; throws std::invalid_argument if its name is empty or already present.
    void add(GpuSpec spec);

    [[nodiscard]] bool contains(std::string_view name) const;

    /// The GPU called `name`; throws std::out_of_range listing the known names.
    [[nodiscard]] const GpuSpec& find(std::string_view name) const;

    [[nodiscard]] const std::map<std::string, GpuSpec, std::less<>>& all() const { return gpus_; }

    /// Known names in sorted order.
    [[nodiscard]] std::vector<std::string> names() const;

    /// "A100-80GB-SXM, H100-SXM, H800-SXM" (for error messages).
    [[nodiscard]] std::string names_joined() const;

private:
    std::map<std::string, GpuSpec, std::less<>> gpus_;
};

} // namespace tcsim::hardware
