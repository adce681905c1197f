// The simulated step as Chrome trace-event JSON (loads in Perfetto and chrome://tracing).
//
// Contract: one process per representative rank ("pipeline rank r, stands for N GPUs"), one
// thread per stream (compute, comm, pp, dp); every op is a complete event ("ph":"X") with
// microsecond start and duration and args naming its micro-batch, layer, phase and, for
// collectives, kind, group size and bytes. Output is deterministic (ops in program order).
#pragma once

#include "training/step_simulator.hpp"

#include <ostream>

namespace tcsim::report {

void write_chrome_trace(std::ostream& out, const training::StepTrace& trace);

} // namespace tcsim::report
