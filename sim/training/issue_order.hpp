// Full mode's agreed issue order: the order in which each rank's communication streams issue
// their ops, so that every member of a group calls the group's collectives in one order.
//
// Why. A communicator requires its members to call its collectives in the same order (NCCL:
// "the same order on all ranks"); frameworks get it from the fixed program order every rank runs
// (Megatron-LM's pipeline schedules, DualPipe's hand-interleaved forward-backward chunks). In
// symmetric mode a communication stream issues its ops as they become ready, and every member of
// a group is the one representative, so all agree by construction. Simulating every GPU,
// readiness differs from GPU to GPU (their groups meet different contention), and issuing by
// readiness lets two members of one group call its collectives in different orders (DualPipe's
// forward dispatch and backward combine become ready microseconds apart), which no framework
// does: the rendezvous would pair different collectives, or two groups would wait on each other.
//
// The agreed order is the representative's: the order in which a replay of the symmetric
// program ran each rank's stream's ops, i.e. the program order a framework written for this
// schedule issues them in. expand_to_full copies Op::issue to every GPU of the stage, so the
// members of any group (one stage's GPUs) agree, and every op's turn comes in full mode as it
// came in the symmetric replay.
//
// Contract: agree_issue_order(program, spans), with `spans` the spans of one completed replay of
// `program` (each op once, in completion order, as StepTrace records them), sets Op::issue of
// every communication op to its position among the ops of its rank and stream in completion
// order (a stream runs one op at a time, so also the order they started in), and
// program.comm_order to CommOrder::agreed. Replaying the program in that order repeats the
// replay the spans came from. Throws std::invalid_argument if `spans` does not name every op of
// the program exactly once.
#pragma once

#include "exec/executor.hpp"
#include "training/program.hpp"

#include <vector>

namespace tcsim::training {

void agree_issue_order(Program& program, const std::vector<exec::OpSpan>& spans);

} // namespace tcsim::training
