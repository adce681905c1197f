#include "training/step_simulator.hpp"

#include "compute/compute_model.hpp"
#include "engine/simulation.hpp"
#include "training/full_expansion.hpp"
#include "training/issue_order.hpp"
#include "training/program_builder.hpp"
#include "training/step_replay.hpp"
#include "workload/model_math.hpp"
#include "workload/plan_check.hpp"

#include <algorithm>
#include <optional>
#include <utility>

namespace tcsim::training {

StepResult simulate_step(const topology::ClusterSpec& cluster, const workload::Workload& workload, int seq_len,
                         int global_batch_sequences, StepTrace* trace, const StepOptions& options,
                         StepBuffers* buffers) {
    Program program = buffers != nullptr ? build_program(cluster, workload, seq_len, global_batch_sequences,
                                                         std::move(buffers->program_ops))
                                         : build_program(cluster, workload, seq_len, global_batch_sequences);
    const compute::ComputeModel compute(cluster.gpu,
                                        cluster.efficiency.compute.for_fp8_library(workload.training.fp8_gemm_library),
                                        workload.parallel.compute_units_held());
    network::FlowNetworkOptions flow;
    flow.ecmp = cluster.fabric.adaptive_routing ? topology::Ecmp::spread : topology::Ecmp::hashed;
    std::shared_ptr<const network::Fabric> fabric = options.fabric;
    std::optional<FullExpansion> expansion;
    if (options.full) {
        // Full mode holds the ops in flight and about kFullModeBytesPerOp per op, and takes about
        // a microsecond of CPU per op: refused before any work past kMaxFullModeOps.
        const long long full_ops = static_cast<long long>(program.ops.size()) * program.gpus_per_rank;
        if (full_ops > kMaxFullModeOps)
            throw workload::PlanError(
                "full mode (--full)",
                {"the step expands to " + std::to_string(full_ops) + " ops over " +
                 std::to_string(static_cast<long long>(program.ranks) * program.gpus_per_rank) + " GPUs (about " +
                 std::to_string(full_ops * kFullModeBytesPerOp / 1'000'000'000) + " GB and " +
                 std::to_string(full_ops / 60'000'000) +
                 " minutes of CPU at about 1 us per op), more than the " + std::to_string(kMaxFullModeOps) +
                 " full mode simulates in one step; symmetric mode (without --full) simulates one GPU per pipeline "
                 "stage, or simulate fewer GPUs (--nodes, --gpus)"});
        if (trace != nullptr && full_ops > kMaxFullModeTraceOps)
            throw workload::PlanError(
                "full mode (--full) with a trace (--trace)",
                {"the step expands to " + std::to_string(full_ops) + " ops, more than the " +
                 std::to_string(kMaxFullModeTraceOps) + " full mode traces (a trace keeps every op and its span, about " +
                 std::to_string(full_ops * kFullModeTraceBytesPerOp / 1'000'000'000) +
                 " GB here); trace it in symmetric mode (without --full), or run it without --trace"});
        // Every GPU issues its collectives in its stage representative's order, taken from a
        // replay of the symmetric program (training/issue_order.hpp), so that the members of
        // each group call its collectives in one order.
        if (fabric == nullptr && options.network == network::NetworkKind::flow) fabric = network::make_fabric(cluster);
        engine::Simulation symmetric_sim;
        const auto symmetric_network =
            network::make_network(options.network, symmetric_sim, cluster, program.groups, flow, fabric);
        StepReplay symmetric(program, compute, *symmetric_network, symmetric_sim, buffers);
        std::vector<OpSpan> spans;
        spans.reserve(program.ops.size());
        symmetric.set_observer([&spans](const OpSpan& span) { spans.push_back(span); });
        symmetric.run();
        agree_issue_order(program, spans);
        // A trace keeps the program: written out. Otherwise each GPU's ops are made one at a
        // time as the replay adds them (training/full_expansion.hpp), never held twice.
        if (trace != nullptr)
            program = expand_to_full(program);
        else
            expansion.emplace(program);
    }
    engine::Simulation sim;
    // Full mode's thousands of classes in flight meet in one component on the spine links: its
    // rates are kept incrementally (network/rate_update.hpp); symmetric mode keeps its bytes.
    if (options.full) flow.beyond_index = network::RateUpdate::incremental;
    // The network runs the program's groups: every copy in a stage (symmetric) or each GPU's own.
    const auto network = network::make_network(options.network, sim, cluster,
                                               expansion ? expansion->groups() : program.groups, flow, fabric);
    StepReplay replay = expansion ? StepReplay(*expansion, program, compute, *network, sim, buffers)
                                  : StepReplay(program, compute, *network, sim, buffers);
    if (trace != nullptr) {
        trace->spans.clear();
        trace->spans.reserve(program.ops.size());
        replay.set_observer([trace](const OpSpan& span) { trace->spans.push_back(span); });
    }

    StepResult out;
    out.ranks = replay.run();
    const auto slowest =
        std::max_element(out.ranks.begin(), out.ranks.end(),
                         [](const RankTimes& a, const RankTimes& b) { return a.finish_s < b.finish_s; });
    out.step_seconds = slowest->finish_s;
    out.breakdown = slowest->breakdown;
    out.slowest_rank = static_cast<int>(slowest - out.ranks.begin());
    const auto busiest =
        std::max_element(out.ranks.begin(), out.ranks.end(), [](const RankTimes& a, const RankTimes& b) {
            return a.breakdown.compute_s < b.breakdown.compute_s;
        });
    out.busiest_rank = static_cast<int>(busiest - out.ranks.begin());
    out.ranks_are_gpus = expansion.has_value();
    out.gpus = workload.parallel.gpus();
    out.seq_len = seq_len;
    out.global_batch_sequences = global_batch_sequences;
    out.tokens_per_step = static_cast<double>(global_batch_sequences) * seq_len;
    const auto flops = workload::flops_per_token(workload.model, seq_len, workload.training.recompute);
    out.model_flops_per_step = flops.model() * out.tokens_per_step;
    out.hardware_flops_per_step = flops.hardware() * out.tokens_per_step;
    const double per_gpu = out.model_flops_per_step / out.step_seconds / out.gpus;
    out.tflops_per_gpu = per_gpu / 1e12;
    out.mfu = per_gpu / cluster.gpu.peak(hardware::Dtype::bf16).value();
    const double gemm_peak = cluster.gpu.peak(workload.training.gemm_dtype).value();
    out.mfu_gemm_dtype = gemm_peak > 0 ? per_gpu / gemm_peak : 0.0;
    out.tokens_per_s_per_gpu = out.tokens_per_step / out.step_seconds / out.gpus;
    out.events = sim.executed();
    out.ops = expansion ? expansion->ops() : program.ops.size();
    if (trace != nullptr)
        trace->program = std::move(program);
    else if (buffers != nullptr)
        buffers->program_ops = std::move(program.ops);
    return out;
}

} // namespace tcsim::training
