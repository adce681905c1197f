#include "calibration/calibration_record.hpp"

#include <array>
#include <utility>

namespace tcsim::calibration {
namespace {

struct MetricInfo {
    Metric metric;
    std::string_view name;
    std::string_view unit;
};

// The spelling in calibration files, and the unit values are stored and printed in.
constexpr std::array<MetricInfo, 12> kMetrics{{
    {Metric::step_time, "step_time", "s"},
    {Metric::tflops_per_gpu, "tflops_per_gpu", "TFLOP/s"},
    {Metric::mfu, "mfu", "fraction"},
    {Metric::tokens_per_s_per_gpu, "tokens_per_s_per_gpu", "tokens/s"},
    {Metric::pretrain_gpu_hours, "pretrain_gpu_hours", "GPU-h"},
    {Metric::extension_gpu_hours, "extension_gpu_hours", "GPU-h"},
    {Metric::total_gpu_hours, "total_gpu_hours", "GPU-h"},
    {Metric::pretrain_days, "pretrain_days", "days"},
    {Metric::gemm_throughput, "gemm_throughput", "TFLOP/s"},
    {Metric::bus_bandwidth, "bus_bandwidth", "GB/s"},
    {Metric::rdma_bandwidth, "rdma_bandwidth", "GB/s"},
    {Metric::nvlink_bandwidth, "nvlink_bandwidth", "GB/s"},
}};

} // namespace

std::string_view to_string(Metric m) {
    for (const auto& info : kMetrics)
        if (info.metric == m) return info.name;
    return "?";
}

std::optional<Metric> metric_from_string(std::string_view s) {
    for (const auto& info : kMetrics)
        if (info.name == s) return info.metric;
    return std::nullopt;
}

std::string_view unit_of(Metric m) {
    for (const auto& info : kMetrics)
        if (info.metric == m) return info.unit;
    return "";
}

std::string_view to_string(FlopCount f) {
    switch (f) {
    case FlopCount::model: return "model";
    case FlopCount::hardware: return "hardware";
    case FlopCount::megatron: return "megatron";
    case FlopCount::eight_nd: return "8nd";
    case FlopCount::six_nd: return "6nd";
    }
    return "?";
}

std::string_view to_string(RecordKind k) {
    switch (k) {
    case RecordKind::step: return "step";
    case RecordKind::run: return "run";
    case RecordKind::gemm: return "gemm";
    case RecordKind::collective: return "collective";
    case RecordKind::expert_all_to_all: return "expert_all_to_all";
    }
    return "?";
}

} // namespace tcsim::calibration
