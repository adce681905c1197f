#include "economics/energy_model.hpp"

#include <stdexcept>

namespace tcsim::economics {

EnergyEstimate estimate_energy(const run::RunResult& run, const hardware::GpuSpec& gpu, int network_endpoints,
                               const PowerParameters& power) {
    const double idle = power.gpu_idle_fraction.value;
    if (!(idle >= 0 && idle <= 1)) throw std::invalid_argument("the GPU idle power fraction must be in [0, 1]");
    if (!(power.pue.value >= 1)) throw std::invalid_argument("PUE must be at least 1");
    const double gpus = run.gpus;
    const units::Watts tdp = gpu.tdp;
    EnergyEstimate out;
    out.pue = power.pue.value;
    out.server_power = tdp * (power.non_gpu_server_fraction.value * gpus);
    out.network_power = units::watts(power.network_watts_per_endpoint.value * network_endpoints);
    double seconds = 0;
    double busy_seconds = 0;
    units::Joules gpu_energy;
    for (const auto& phase : run.phases) {
        PhaseEnergy e;
        e.name = phase.name;
        const double step = phase.step.step_seconds;
        e.busy_fraction = step > 0 ? phase.step.breakdown.compute_s / step : 0.0;
        const units::Watts gpu_power = tdp * ((idle + (1.0 - idle) * e.busy_fraction) * gpus);
        e.it_power = gpu_power + out.server_power + out.network_power;
        const units::Seconds t(phase.seconds);
        e.facility_energy = e.it_power * t * out.pue;
        gpu_energy += gpu_power * t;
        seconds += phase.seconds;
        busy_seconds += e.busy_fraction * phase.seconds;
        (phase.extension ? out.extension_energy : out.pretrain_energy) += e.facility_energy;
        out.phases.push_back(e);
    }
    if (seconds > 0) {
        out.busy_fraction = busy_seconds / seconds;
        out.gpu_power = gpu_energy / units::Seconds(seconds);
    }
    out.it_power = out.gpu_power + out.server_power + out.network_power;
    out.facility_power = out.it_power * out.pue;
    return out;
}

units::Joules energy_over(const EnergyEstimate& estimate, units::Joules failure_free_energy,
                          double failure_free_seconds, double seconds) {
    return failure_free_energy + estimate.facility_power * units::Seconds(seconds - failure_free_seconds);
}

} // namespace tcsim::economics
