// One GPU model's datasheet: dense peaks by dtype, memory, NVLink, power.
#pragma once

#include "hardware/dtype.hpp"
#include "units/quantity.hpp"

#include <array>
#include <string>

namespace tcsim::hardware {

struct GpuSpec {
    std::string name;                                      ///< catalog key, e.g. "H800-SXM"
    std::string vendor; ///< who makes it, e.g. "NVIDIA", "AMD", "Google", "Intel", "Huawei"
    std::array<units::FlopRate, kDtypeCount> dense_peak{}; ///< indexed by Dtype; dense (not 2:4 sparse)
    units::Bytes hbm_capacity;
    units::Bandwidth hbm_bandwidth;
    units::Bandwidth nvlink_bidirectional; ///< total over all links, both directions (datasheet)
    units::Watts tdp;
    int streaming_multiprocessors = 0; ///< SM count; communication kernels may reserve some
    std::string source;                ///< where the numbers come from

    [[nodiscard]] units::FlopRate peak(Dtype d) const { return dense_peak[static_cast<int>(d)]; }
    /// NVLink bandwidth in one direction: half the datasheet's bidirectional figure.
    [[nodiscard]] units::Bandwidth nvlink_per_direction() const { return nvlink_bidirectional / 2.0; }
};

} // namespace tcsim::hardware
