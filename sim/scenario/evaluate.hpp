// The pipeline's second half: checked Inputs to a run report.
//
// Contract: evaluate() simulates the run (every phase), samples failures and restarts, prices it
// both ways and, when the inputs carry claims, checks them and writes the verdict rule and the
// summary paragraph; the report also carries the published figures the inputs have. The same
// inputs give the same report, for any options.jobs: every simulation the report needs (the
// run's distinct steps, the post-training stages' steps and rollouts, the related reports')
// is planned first and done on one run::WorkPool of options.jobs threads, longest first, then
// the reports are priced in a fixed order. Throws InputError when the failure rate outpaces
// checkpoints.
// trace_steady_step() simulates the step of the report's steady phase (report::steady_phase:
// its layout, sequence length and simulated batch) again, recording every op.
#pragma once

#include "report/run_report.hpp"
#include "scenario/inputs.hpp"
#include "training/step_simulator.hpp"

namespace tcsim::scenario {

[[nodiscard]] report::RunReport evaluate(const Inputs& inputs);

[[nodiscard]] training::StepTrace trace_steady_step(const Inputs& inputs, const report::RunReport& report);

} // namespace tcsim::scenario
