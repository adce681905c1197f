// A training workload: model + recipe + layout, as three separate inputs.
#pragma once

#include "workload/model_spec.hpp"
#include "workload/parallel_spec.hpp"
#include "workload/post_training_spec.hpp"
#include "workload/training_spec.hpp"

#include <string>
#include <vector>

namespace tcsim::workload {

struct Workload {
    std::string name;
    ModelSpec model;
    TrainingSpec training;
    ParallelSpec parallel;
    /// Stages after pre-training and context extension, in order (post_training_spec.hpp).
    std::vector<PostTrainingStage> post_training;
    std::string source;
};

} // namespace tcsim::workload
