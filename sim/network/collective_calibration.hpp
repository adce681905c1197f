// Calibration of collective algorithms: how far below a link's line rate particular kernels run
// and what fixed costs they carry, apart from the per-link-kind efficiencies of
// hardware::LinkEfficiency (which NCCL's ring kernels set: the cluster files' [links] table).
//
// A class of flows with its own fraction f for a link kind occupies (link efficiency / f) of a
// link's calibrated capacity per byte/s it moves, so alone on a link it reaches f x line rate,
// and it shares the link with other traffic in that proportion.
//
// Every default below is fitted to, or read off, a published figure (component_benchmarks.csv
// rows, copied into tests/network/test_published_collectives.cpp with their values):
// - nvls_nvlink 0.69: NVLink SHARP all-reduce moves S(1 + 1/n) each way per GPU, so
//   algbw = f * B / (1 + 1/n). 8 x H100: busbw ~480 GB/s, algbw ~275 GB/s (nccl-h100-intranode-
//   nvls) gives f = 275 * 9/8 / 450 = 0.687; 8 x H200 475 GB/s (nccl-h200-intranode) 0.679;
//   8 x H800 215 GB/s of 200 GB/s per direction (nccl-h800-intranode) 0.691.
// - nvls_latency 23 us: NCCL's NVLS hardware latency on NVLink (NVIDIA/nccl src/graph/tuning.cc,
//   hwLat[NVLINK][NVLS] = 23 us; hardware_and_pricing.md 2f).
// - ep_nvlink 0.66: DeepEP normal kernels over NVLink. Intranode EP8 on H800 reports 153/158 GB/s
//   dispatch/combine (deepep-v1-normal-ep8), counting every token once per receiving GPU, local
//   one included, so the wire carries 7/8 of it: 153 * 7/8 / 200 = 0.67. B200 EP8 (NVLink5, 900
//   GB/s per direction): 726/740 GB/s with 64 SMs, 643/675 with 24 SMs (deepep-v2-sm100-ep8-*)
//   give 0.62-0.72; 0.66 keeps all four within 10%.
// - ep_network 0.87: DeepEP RDMA over 400 Gb/s ConnectX-7. The rows report "logical" RDMA
//   bandwidth (token-node pairs incl. the local node, DeepEP tests/test_internode.py); the wire
//   carries (N-1)/N of it: EP32 58 GB/s -> 43.5 (0.87), EP64 51 -> 44.6 (0.89), V2 8x2 90 ->
//   45 (0.90), V2 8x2 combine 81 -> 40.5 (0.81), V2 8x4 61 -> 45.8 (0.92).
// - ep_low_latency_overhead 20 us: fixed cost of a DeepEP low-latency dispatch or combine (pure
//   RDMA, 128 tokens) beyond bytes / rate and path latency, fitted so that all twelve rows
//   deepep-v1-ll-ep8..ep256 (77-369 us) fall within 10% in time: the admissible range is about
//   16-24 us (EP128 combine bounds it below, EP8 combine above); 20 us is its middle.
#pragma once

#include "hardware/gpu_spec.hpp"
#include "units/quantity.hpp"

namespace tcsim::network {

struct CollectiveCalibration {
    double nvls_nvlink = 0.69;       ///< NVLS traffic: fraction of NVLink line rate
    units::Seconds nvls_latency{23e-6};
    double ep_nvlink = 0.66;         ///< DeepEP normal / low-latency kernels on NVLink: fraction of line rate
    double ep_network = 0.87;        ///< DeepEP RDMA: fraction of NIC line rate
    units::Seconds ep_low_latency_overhead{20e-6};
};

/// Whether the GPU's NVSwitch does in-switch reductions (NVLink SHARP, NVSwitch gen3+): Hopper
/// (H100, H200, H800, H20, GH200) and Blackwell (B100, B200, B300, GB200, GB300). H800 is
/// included: 8 x H800 all-reduce reaches 215 GB/s bus bandwidth (nccl-h800-intranode), above
/// the 200 GB/s per-direction line rate a ring can reach. A100 (NVSwitch gen2) and older: no.
bool supports_nvls(const hardware::GpuSpec& gpu);

} // namespace tcsim::network
