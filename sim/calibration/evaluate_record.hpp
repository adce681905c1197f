// Predicts what a calibration record publishes.
//
// Contract: predict(record, files) loads the record's cluster (and workload), applies its
// overrides, runs the part of tcsim the record exercises and returns one predicted value per
// published value, in the metric's unit:
// - step: workload::check_plan and training::check_memory (the memory check of `tcsim run`, at
//   the step's length and batch), then one training::simulate_step at the (overridden) steady-state
//   sequence length and batch. TFLOP/s and MFU divide the FLOPs of one step, counted as the
//   source counts them (FlopCount), by the predicted step time x GPUs.
// - run: run::check_run (plan and memory, as `tcsim run`), then run::simulate_run (ramp, steady state, extension unless include_extension = false);
//   failure-free, like the run model.
// - gemm: compute::ComputeModel::kernel_time of one GEMM kernel (FLOPs 2mnk x groups; traffic
//   the inputs in the GEMM dtype and a BF16 output, as workload/layer_ops.cpp counts it).
// - collective, expert_all_to_all: the network helper's nccl-tests-like benchmark
//   (collective_probe.hpp), bus bandwidth as nccl-tests or DeepEP define it.
// Throws RecordError for a setup the cluster cannot provide, workload::PlanError for a layout
// that cannot run or does not fit in memory (with the breakdown), config::ConfigError for a file problem. Deterministic and thread-safe.
#pragma once

#include "calibration/calibration_record.hpp"
#include "config/config_files.hpp"
#include "training/step_result.hpp"

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace tcsim::calibration {

class RecordError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct RecordPrediction {
    std::vector<double> values; ///< aligned with CalibrationRecord::published
    /// Step records: the simulated step's breakdown; run records: the steady phase's.
    std::optional<training::StepBreakdown> breakdown;
    double step_seconds = 0;
    int gpus = 0;
    bool moe = false;    ///< step and run records: the model has routed experts
    std::string summary; ///< one line saying where the time went
};

[[nodiscard]] RecordPrediction predict(const CalibrationRecord& record, const config::ConfigFiles& files);

} // namespace tcsim::calibration
