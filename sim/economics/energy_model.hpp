// Energy of a training run and the facility power it draws.
//
// Model (per phase of the failure-free run, then scaled to the sampled durations):
//   GPU power     = TDP x (idle + (1 - idle) x busy), busy = the compute stream's share of the
//                   simulated step (StepBreakdown::compute_s / step_seconds): a GPU computing draws
//                   its TDP, one waiting on communication or another pipeline stage draws the
//                   `gpu_idle_fraction` of it.
//   server power  = `non_gpu_server_fraction` x TDP per GPU (CPUs, memory, NVSwitches, NICs, fans),
//                   independent of the step.
//   network power = `network_per_endpoint` x endpoints (switches and optics of the scale-out fabric).
//   facility      = (GPU + server + network) x PUE.
// Time that failures add (restarts, redone work, checkpoints) is charged at the run's average
// facility power: redone work draws what the first attempt drew, and a restart's idle cluster
// draws less, so this slightly over-counts restarts (stated in every report).
#pragma once

#include "hardware/gpu_spec.hpp"
#include "run/run_result.hpp"
#include "units/quantity.hpp"

#include <string>
#include <vector>

namespace tcsim::economics {

/// A number with where it comes from.
struct Cited {
    double value = 0;
    std::string source;
};

struct PowerParameters {
    Cited gpu_idle_fraction;       ///< of TDP, while the compute stream waits
    Cited non_gpu_server_fraction; ///< rest of the server per GPU, as a fraction of GPU TDP
    Cited network_watts_per_endpoint;
    Cited pue; ///< facility power / IT power
};

struct PhaseEnergy {
    std::string name;
    double busy_fraction = 0;
    units::Watts it_power; ///< whole cluster
    units::Joules facility_energy;
};

struct EnergyEstimate {
    std::vector<PhaseEnergy> phases;
    double busy_fraction = 0; ///< time-weighted over the failure-free run
    units::Watts gpu_power;   ///< average, whole cluster
    units::Watts server_power;
    units::Watts network_power;
    units::Watts it_power;         ///< gpu + server + network, average
    units::Watts facility_power;   ///< it_power x PUE
    units::Joules pretrain_energy; ///< facility energy, failure-free
    units::Joules extension_energy;
    double pue = 1;
};

EnergyEstimate estimate_energy(const run::RunResult& run, const hardware::GpuSpec& gpu, int network_endpoints,
                               const PowerParameters& power);

/// Facility energy of a stage that took `seconds` of wall clock instead of its failure-free
/// `failure_free_seconds` (the extra time at the average facility power).
units::Joules energy_over(const EnergyEstimate& estimate, units::Joules failure_free_energy,
                          double failure_free_seconds, double seconds);

} // namespace tcsim::economics
