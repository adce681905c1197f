#include "run/checkpoint.hpp"

#include "workload/model_math.hpp"

namespace tcsim::run {

units::Bytes checkpoint_bytes(const workload::ModelSpec& model) {
    const auto params = workload::count_parameters(model);
    return units::Bytes((params.total + params.mtp) * kCheckpointBytesPerParameter);
}

} // namespace tcsim::run
