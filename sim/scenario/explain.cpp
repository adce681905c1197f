#include "scenario/explain.hpp"

#include "config/load_cluster.hpp"
#include "config/load_workload.hpp"
#include "run/run_model.hpp"
#include "scenario/cluster_use.hpp"
#include "scenario/input_error.hpp"
#include "scenario/inputs_at_median.hpp"
#include "training/program_builder.hpp"
#include "training/stage_split.hpp"
#include "workload/plan_check.hpp"

namespace tcsim::scenario {

report::Explanation explain(const config::ConfigFiles& given_files, const std::string& workload_path,
                            const std::string& cluster_path, const ClusterUse& use) {
    using config::FileKind;
    // Read through a view of its own, so that the ranges met (taken at their median) are this
    // explanation's alone.
    const config::FilesWithOverrides files(given_files, {});
    if (cluster_path.empty())
        refuse_unread(files.overrides(), {FileKind::workload}, "tcsim explain without --cluster");
    else
        refuse_unread(files.overrides(), {FileKind::workload, FileKind::cluster, FileKind::gpus, FileKind::efficiency},
                      "tcsim explain");
    workload::Workload w = config::load_workload(files, workload_path);
    topology::ClusterSpec cluster;
    report::Explanation out;
    out.have_cluster = !cluster_path.empty();
    if (out.have_cluster) {
        cluster = config::load_cluster(files, cluster_path);
    } else {
        // Without a cluster: the layout's GPUs in 8-GPU nodes, memory capacity unknown.
        cluster.name = "(none: 8-GPU nodes assumed, no memory capacity)";
        cluster.gpus_per_node = 8;
        cluster.nodes = (w.parallel.gpus() + 7) / 8;
    }
    // A refused layout names the files it came from, as `run` does, and the overrides given.
    const std::string given = overridden_text(files.overrides(), use, Options{});
    try {
        apply_cluster_use(cluster, w, use, files.overrides());
        if (out.have_cluster)
            workload::check_plan(cluster, w);
        else
            workload::check_layout(w);
    } catch (const workload::PlanError& e) {
        throw InputError(workload_path + " ([parallel], [training])" +
                         (out.have_cluster ? " on " + cluster_path : std::string()) +
                         (given.empty() ? std::string() : " with " + given) + ": " + e.what());
    }
    out.overrides = overridden(files.overrides(), use, Options{});
    out.builtin_inputs = files.builtin_stand_ins();
    out.inputs_at_median = inputs_at_median(files.uncertain());
    out.workload = w.name;
    out.cluster = cluster.name;
    out.seq_len = w.training.seq_len;
    out.model = w.model;
    out.parallel = w.parallel;
    out.gemm_dtype = w.training.gemm_dtype;
    out.attention_dtype = w.training.attention_dtype;
    out.fp8_gemm_library = w.training.fp8_gemm_library;
    out.recompute_modules = w.training.recompute_modules.any();
    out.parameters = workload::count_parameters(w.model);
    out.flops = workload::flops_per_token(w.model, w.training.seq_len, w.training.recompute);
    // At the batch `run` would simulate: a schedule that cannot run the batch as read (say,
    // interleaved 1F1B with micro-batches per replica not a multiple of PP) is explained at the
    // nearest it can, and the report says which.
    out.global_batch_sequences = w.training.global_batch_sequences;
    out.batch_sequences = run::runnable_batch(w.parallel, w.training.global_batch_sequences);
    out.memory = training::estimate_memory(cluster, w, w.training.seq_len, out.batch_sequences);
    out.pipeline_stages = training::partition_stages(w.model, w.training.seq_len, w.parallel);
    for (const auto& st : out.pipeline_stages)
        out.stage_forward_flops.push_back(training::stage_forward_flops_per_token(w.model, w.training.seq_len, st));
    const auto program = training::build_program(cluster, w, w.training.seq_len, out.batch_sequences);
    for (const auto& op : program.ops) {
        if (op.is_compute()) continue;
        out.comm_bytes_per_gpu[layout::to_string(op.dim)] += program.comm(op).bytes.value() / program.ranks;
    }
    return out;
}

} // namespace tcsim::scenario
