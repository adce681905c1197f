#include "hardware/nvswitch.hpp"

#include <array>
#include <string_view>

namespace tcsim::hardware {

bool supports_nvls(const GpuSpec& gpu) {
    // Catalog names (topologies/gpus.toml) of GPUs whose HGX/NVL baseboards carry NVSwitch gen3
    // or later, matched as name prefixes (variants like "H100-SXM" share their family's).
    static constexpr std::array<std::string_view, 10> kNvlsGpus{"H100", "H200", "H800", "H20",   "GH200",
                                                                "B100", "B200", "B300", "GB200", "GB300"};
    const std::string_view name = gpu.name;
    if (!gpu.vendor.empty() && gpu.vendor != "NVIDIA") return false; // a hand-made spec may leave it empty
    // PCIe cards and the H200 NVL (2- or 4-way NVLink bridges, no NVSwitch) do not reduce in a switch.
    for (std::string_view bridged : {std::string_view("-NVL"), std::string_view("-PCIe")})
        if (name.size() >= bridged.size() && name.substr(name.size() - bridged.size()) == bridged) return false;
    for (std::string_view g : kNvlsGpus)
        if (name.substr(0, g.size()) == g) return true;
    return false;
}

} // namespace tcsim::hardware
