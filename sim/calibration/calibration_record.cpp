#include "calibration/calibration_record.hpp"

#include <array>
#include <utility>

namespace tcsim::calibration {
namespace {

// The spelling in calibration files.
constexpr std::array<config::Spelling<Metric>, kMetricCount> kMetrics{{
    {"step_time", Metric::step_time},
    {"tflops_per_gpu", Metric::tflops_per_gpu},
    {"mfu", Metric::mfu},
    {"tokens_per_s_per_gpu", Metric::tokens_per_s_per_gpu},
    {"pretrain_gpu_hours", Metric::pretrain_gpu_hours},
    {"extension_gpu_hours", Metric::extension_gpu_hours},
    {"total_gpu_hours", Metric::total_gpu_hours},
    {"post_training_gpu_hours", Metric::post_training_gpu_hours},
    {"pretrain_days", Metric::pretrain_days},
    {"gemm_throughput", Metric::gemm_throughput},
    {"bus_bandwidth", Metric::bus_bandwidth},
    {"rdma_bandwidth", Metric::rdma_bandwidth},
    {"nvlink_bandwidth", Metric::nvlink_bandwidth},
    {"expert_comm_to_compute", Metric::expert_comm_to_compute},
    {"prefill_tokens_per_s_per_gpu", Metric::prefill_tokens_per_s_per_gpu},
    {"decode_tokens_per_s_per_gpu", Metric::decode_tokens_per_s_per_gpu},
    {"output_tokens_per_s_per_request", Metric::output_tokens_per_s_per_request},
}};

} // namespace

const std::array<config::Spelling<Metric>, kMetricCount>& metric_spellings() { return kMetrics; }

std::string_view to_string(Metric m) {
    for (const auto& s : kMetrics)
        if (s.value == m) return s.text;
    return "?";
}

std::optional<Metric> metric_from_string(std::string_view s) {
    for (const auto& spelling : kMetrics)
        if (spelling.text == s) return spelling.value;
    return std::nullopt;
}

// The unit values are stored and printed in.
std::string_view unit_of(Metric m) {
    switch (m) {
    case Metric::step_time: return "s";
    case Metric::tflops_per_gpu:
    case Metric::gemm_throughput: return "TFLOP/s";
    case Metric::mfu: return "fraction";
    case Metric::tokens_per_s_per_gpu: return "tokens/s";
    case Metric::pretrain_gpu_hours:
    case Metric::extension_gpu_hours:
    case Metric::total_gpu_hours:
    case Metric::post_training_gpu_hours: return "GPU-h";
    case Metric::pretrain_days: return "days";
    case Metric::bus_bandwidth:
    case Metric::rdma_bandwidth:
    case Metric::nvlink_bandwidth: return "GB/s";
    case Metric::expert_comm_to_compute: return "ratio";
    case Metric::prefill_tokens_per_s_per_gpu:
    case Metric::decode_tokens_per_s_per_gpu:
    case Metric::output_tokens_per_s_per_request: return "tokens/s";
    }
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
    case RecordKind::serve: return "serve";
    }
    return "?";
}

} // namespace tcsim::calibration
