// How workload files spell dtypes, pipeline schedules and recomputation policies; shared by the
// workload loader and by calibration records, whose overrides use the same words.
#pragma once

#include "config/toml_reader.hpp"
#include "hardware/dtype.hpp"
#include "hardware/gemm_library.hpp"
#include "workload/parallel_spec.hpp"
#include "workload/training_spec.hpp"

#include <array>

namespace tcsim::config {

// FP16 is accepted as written in the source (GPT-3, Megatron) and shares BF16's peak.
// mxfp8 and nvfp4 are Blackwell's block-scaled formats (hardware/dtype.hpp).
inline constexpr std::array<Spelling<hardware::Dtype>, 7> kDtypeSpellings{{
    {"fp8", hardware::Dtype::fp8},
    {"bf16", hardware::Dtype::bf16},
    {"fp16", hardware::Dtype::bf16},
    {"tf32", hardware::Dtype::tf32},
    {"fp32", hardware::Dtype::fp32},
    {"mxfp8", hardware::Dtype::mxfp8},
    {"nvfp4", hardware::Dtype::nvfp4},
}};

inline constexpr std::array<Spelling<hardware::GemmLibrary>, 2> kGemmLibrarySpellings{{
    {hardware::to_string(hardware::GemmLibrary::cublas), hardware::GemmLibrary::cublas},
    {hardware::to_string(hardware::GemmLibrary::deepgemm), hardware::GemmLibrary::deepgemm},
}};

inline constexpr std::array<Spelling<workload::Recompute>, 3> kRecomputeSpellings{{
    {"none", workload::Recompute::none},
    {"selective", workload::Recompute::selective},
    {"full", workload::Recompute::full},
}};

// Spelled through to_string so that the file format and the reports cannot drift apart.
inline constexpr std::array<Spelling<workload::PipelineSchedule>, 5> kScheduleSpellings{{
    {workload::to_string(workload::PipelineSchedule::gpipe), workload::PipelineSchedule::gpipe},
    {workload::to_string(workload::PipelineSchedule::one_f_one_b), workload::PipelineSchedule::one_f_one_b},
    {workload::to_string(workload::PipelineSchedule::interleaved_1f1b), workload::PipelineSchedule::interleaved_1f1b},
    {workload::to_string(workload::PipelineSchedule::zero_bubble), workload::PipelineSchedule::zero_bubble},
    {workload::to_string(workload::PipelineSchedule::dualpipe), workload::PipelineSchedule::dualpipe},
}};

inline constexpr std::array<Spelling<workload::MoeDispatcher>, 3> kMoeDispatcherSpellings{{
    {workload::to_string(workload::MoeDispatcher::alltoall), workload::MoeDispatcher::alltoall},
    {workload::to_string(workload::MoeDispatcher::allgather), workload::MoeDispatcher::allgather},
    {workload::to_string(workload::MoeDispatcher::deepep), workload::MoeDispatcher::deepep},
}};

inline constexpr std::array<Spelling<workload::CpPass>, 2> kCpPassSpellings{{
    {workload::to_string(workload::CpPass::kv), workload::CpPass::kv},
    {workload::to_string(workload::CpPass::latent), workload::CpPass::latent},
}};

inline constexpr std::array<Spelling<workload::PipelineSplit>, 2> kPipelineSplitSpellings{{
    {workload::to_string(workload::PipelineSplit::balanced), workload::PipelineSplit::balanced},
    {workload::to_string(workload::PipelineSplit::even), workload::PipelineSplit::even},
}};

} // namespace tcsim::config
