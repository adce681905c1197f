#include "calibration/prediction_kind.hpp"

namespace tcsim::calibration {

std::string_view to_string(PredictionKind kind) {
    switch (kind) {
    case PredictionKind::gemm: return "gemm";
    case PredictionKind::collective: return "collective";
    case PredictionKind::expert_all_to_all: return "expert_all_to_all";
    case PredictionKind::dense_step: return "dense_step";
    case PredictionKind::moe_step: return "moe_step";
    case PredictionKind::whole_run: return "whole_run";
    case PredictionKind::post_training: return "post_training";
    case PredictionKind::serving: return "serving";
    }
    return "unknown";
}

PredictionKind classify(RecordKind kind, Metric metric, bool moe) {
    switch (metric) {
    case Metric::pretrain_gpu_hours:
    case Metric::extension_gpu_hours:
    case Metric::total_gpu_hours:
    case Metric::pretrain_days: return PredictionKind::whole_run;
    case Metric::post_training_gpu_hours: return PredictionKind::post_training;
    default: break;
    }
    switch (kind) {
    case RecordKind::gemm: return PredictionKind::gemm;
    case RecordKind::collective: return PredictionKind::collective;
    case RecordKind::expert_all_to_all: return PredictionKind::expert_all_to_all;
    case RecordKind::serve: return PredictionKind::serving;
    case RecordKind::step:
    case RecordKind::run: break; // a run record's step metrics are its steady step's
    }
    return moe ? PredictionKind::moe_step : PredictionKind::dense_step;
}

} // namespace tcsim::calibration
