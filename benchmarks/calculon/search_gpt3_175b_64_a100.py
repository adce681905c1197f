#!/usr/bin/env python3
"""Calculon's own layout search for GPT-3 175B on 64 A100-80GB at a global batch of 1,536,
restricted to the features tcsim's workload file states, so the two searches pick from the same
space (issue 16: "its best layout at least as fast as Calculon's for the same model and batch").

Not part of the build or CI: it needs Calculon (github.com/calculon-ai/calculon, Apache-2.0,
pure Python + numpy/pandas/psutil: `apt-get install python3-numpy python3-pandas python3-psutil`).

    PYTHONPATH=/path/to/calculon python3 benchmarks/calculon/search_gpt3_175b_64_a100.py \
        /path/to/calculon [CPUS]

What is fixed, and why (workloads/gpt3-175b.toml describes Megatron-LM's 2021 GPT-3 example):
- tensor_par_comm_type "ar": no sequence parallelism (`sequence_parallel = false`);
- no tensor-parallel communication overlap, no data-parallel overlap
  (`overlap_grad_reduce = false`), no all-gather redo;
- no offloading: the system's second memory (host DRAM) set to 0 GiB; tcsim does not offload.
What stays free, as in Calculon's optimal_execution.py: TP, PP, interleaving, recomputation
(full / attn_only / none), optimizer sharding, micro-batch size, which network carries TP, PP
and DP; the batch is the largest multiple of DP not above 1,536.
Prints Calculon's best five with its own predicted batch time and the search rate.
"""
import copy
import datetime
import json
import multiprocessing as mp
import os
import sys


def main():
    root = sys.argv[1]
    cpus = int(sys.argv[2]) if len(sys.argv) > 2 else os.cpu_count()
    sys.path.insert(0, root)
    import calculon  # noqa: F401  (registers the commands)
    from calculon.llm import Llm
    from calculon.llm.optimal_execution import OptimalExecution
    from calculon.system import System

    with open(os.path.join(root, "models/gpt3-175B.json")) as f:
        app = Llm.Application(json.load(f))
    with open(os.path.join(root, "systems/a100_80g.json")) as f:
        system_json = json.load(f)
    system_json = copy.deepcopy(system_json)
    system_json["mem2"]["GiB"] = 0  # no offloading
    syst = System(system_json)

    procs, max_batch, top_n = 64, 1536, 5
    params = []
    for tp in Llm.get_all_tensor_parallelisms(procs, app.hidden, app.attn_heads):
        for pp in Llm.get_all_pipeline_parallelisms(procs, tp, app.num_blocks):
            dp = Llm.get_data_parallelism(procs, tp, pp)
            for ppint in Llm.get_valid_pipeline_interleavings(app.num_blocks, pp):
                batch = OptimalExecution.get_batch_size(dp, max_batch)
                if batch is None:
                    continue
                for recompute in ["full", "attn_only", "none"]:
                    for sharding in ([True, False] if dp > 1 else [False]):
                        params.append((False, top_n, False, procs, max_batch, "float16", app, syst, tp, pp,
                                       dp, ppint, batch, recompute, sharding, "ar", [True], False,
                                       False, False))
    start = datetime.datetime.now()
    with mp.Pool(cpus) as pool:
        searches = pool.starmap(OptimalExecution.search, params)
    seconds = (datetime.datetime.now() - start).total_seconds()
    best, count, good = [], 0, 0
    for cbest, ec, gec, _bec, _tp, _pp in searches:
        best = OptimalExecution.update_list(best, cbest, top_n)
        count += ec
        good += gec
    print(f"Calculon search: {count} configurations ({good} fit) in {seconds:.1f} s on {cpus} "
          f"processes = {count / seconds:.1f} configurations/s")
    for rank, (rate, exe, stats) in enumerate(best, 1):
        print(f"{rank}. TP{exe['tensor_par']} PP{exe['pipeline_par']} DP{exe['data_par']} "
              f"interleave {exe['pipeline_interleaving']} mbs {exe['microbatch_size']} "
              f"recompute {exe['activation_recompute']} optimizer sharding "
              f"{exe['optimizer_sharding']} nets tp/pp/dp {exe['tensor_par_net']}/"
              f"{exe['pipeline_par_net']}/{exe['data_par_net']} batch {exe['batch_size']}: "
              f"{stats['total_time']:.3f} s per batch, "
              f"{rate:.3f} samples/s, {stats['proc_mem_tier1_cap_req'] / 2**30:.1f} GiB")


if __name__ == "__main__":
    main()
