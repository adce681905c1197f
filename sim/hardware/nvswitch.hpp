// What an NVIDIA GPU's NVSwitch can do beyond moving bytes (other vendors have no NVSwitch).
#pragma once

#include "hardware/gpu_spec.hpp"

namespace tcsim::hardware {

/// Whether the GPU's NVSwitch does in-switch reductions (NVLink SHARP, NVSwitch gen3+): Hopper
/// (H100, H200, H800, H20, GH200) and Blackwell (B100, B200, B300, GB200, GB300). H800 is
/// included: 8 x H800 all-reduce reaches 215 GB/s bus bandwidth (nccl-h800-intranode), above
/// the 200 GB/s per-direction line rate a ring can reach. A100 (NVSwitch gen2) and older: no;
/// PCIe cards and the bridged H200 NVL: no; other vendors' parts (no NVSwitch): no.
/// An efficiency file carries [links.nvls] exactly for these GPUs (config/load_cluster.hpp).
[[nodiscard]] bool supports_nvls(const GpuSpec& gpu);

} // namespace tcsim::hardware
