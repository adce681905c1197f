// A training workload: model + recipe + layout, as three separate inputs.
#pragma once

#include "workload/model_spec.hpp"
#include "workload/parallel_spec.hpp"
#include "workload/training_spec.hpp"

#include <string>

namespace tcsim::workload {

struct Workload {
    std::string name;
    ModelSpec model;
    TrainingSpec training;
    ParallelSpec parallel;
    std::string source;
};

} // namespace tcsim::workload
