// One accelerator's datasheet (a GPU, TPU, Gaudi or Ascend NPU; "GPU" throughout the code): dense
// peaks by dtype, memory, scale-up bandwidth (NVLink for NVIDIA, Infinity Fabric for AMD, ICI for
// TPUs, on-chip RoCE for Gaudi, HCCS/UB for Ascend), power, compute units.
#pragma once

#include "hardware/dtype.hpp"
#include "units/quantity.hpp"

#include <array>
#include <string>

namespace tcsim::hardware {

struct GpuSpec {
    std::string name;   ///< catalog key, e.g. "H800-SXM"
    std::string vendor; ///< who makes it, e.g. "NVIDIA", "AMD", "Google", "Intel", "Huawei"
    std::array<units::FlopRate, kDtypeCount> dense_peak{}; ///< indexed by Dtype; dense (not 2:4 sparse)
    units::Bytes hbm_capacity;
    units::Bandwidth hbm_bandwidth;
    units::Bandwidth nvlink_bidirectional; ///< scale-up: total over all links, both directions (datasheet)
    std::string scale_up_link = "NVLink";  ///< the vendor's name of that link, for messages
    units::Watts tdp;
    int compute_units = 0; ///< SMs (NVIDIA), CUs (AMD), TensorCores (TPU), TPCs (Gaudi), AI cores (Ascend)
    std::string source;    ///< where the numbers come from

    [[nodiscard]] units::FlopRate peak(Dtype d) const { return dense_peak[static_cast<int>(d)]; }
    /// Scale-up bandwidth in one direction: half the datasheet's bidirectional figure.
    [[nodiscard]] units::Bandwidth nvlink_per_direction() const { return nvlink_bidirectional / 2.0; }
};

} // namespace tcsim::hardware
