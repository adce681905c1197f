#include "network/collective_calibration.hpp"

#include <array>
#include <string_view>

namespace tcsim::network {

bool supports_nvls(const hardware::GpuSpec& gpu) {
    // Catalog names (topologies/gpus.toml) of GPUs whose HGX/NVL baseboards carry NVSwitch gen3
    // or later. GH200 and GB200 start with G, so test for the family letters anywhere.
    static constexpr std::array<std::string_view, 10> kNvlsGpus{"H100", "H200", "H800", "H20", "GH200",
                                                                "B100", "B200", "B300", "GB200", "GB300"};
    const std::string_view name = gpu.name;
    for (std::string_view g : kNvlsGpus)
        if (name.substr(0, g.size()) == g) return true;
    return false;
}

} // namespace tcsim::network
