// The kernels and collectives of one transformer layer (and of the embedding, the output head
// and the multi-token-prediction modules) for one micro-batch on one rank, forward and backward.
//
// Output is a list of `Segment`s: a compute block or a collective, with dependencies on earlier
// segments of the same list. Segments split exactly where a collective must happen (tensor-
// parallel all-reduce, expert dispatch/combine), so the replay can overlap one micro-batch's
// communication with another's compute when the schedule interleaves them.
#pragma once

#include "topology/cluster.hpp"
#include "training/program.hpp"
#include "workload/workload.hpp"

#include <map>
#include <string>
#include <vector>

namespace tcsim::training {

/// A collective of a layer and the dimension whose groups run it.
struct DimComm {
    CommWork work;
    Dim dim = Dim::tp;
};

struct Segment {
    int block = -1; ///< compute block index, or -1 for a collective
    CommWork comm;  ///< its group set is chosen per rank when the program is built
    Dim dim = Dim::tp;
    Stream stream = Stream::compute;
    Phase phase = Phase::forward;
    int layer = -1;
    std::vector<int> deps; ///< indices of earlier segments in the same list
    [[nodiscard]] bool is_compute() const { return block >= 0; }
};

/// Where each parallel dimension's groups sit (size, ranks per node), as the rank grid places
/// them.
struct Placement {
    GroupPlacement tp, cp, etp, ep, ep_etp, expert_dp;
    GroupPlacement dp_cp; ///< the ranks that hold the same dense weights: DP x CP
    bool pp_crosses_nodes = false;
};
Placement place(const layout::RankGrid& grid);
/// The rank grid of a layout on nodes of `gpus_per_node` GPUs.
layout::RankGrid rank_grid(const workload::ParallelSpec& parallel, int gpus_per_node);

/// One GEMM (or a group of `groups` equal ones) as the layers build it: 2mnk FLOPs each, inputs
/// read in `dtype`, output written in BF16.
[[nodiscard]] Kernel gemm_kernel(double m, double n, double k, hardware::Dtype dtype, int groups = 1);
/// Bytes of one token of `hidden` values on the wire in `dtype`: FP8 carries one FP32 scale per
/// 128 values (DeepSeek-V3 Sec 3.3.2, DeepEP's fp8_factor), other dtypes their own width.
[[nodiscard]] double token_wire_bytes(double hidden, hardware::Dtype dtype);
/// FLOPs per output element of an activation function (exp, tanh and division one FLOP each).
[[nodiscard]] double activation_flops_per_element(workload::Activation activation);
/// The activation kernel of an FFN (or of experts) producing `elements` outputs: reads the up
/// projection's output (and the gate's, for a gated unit), writes the activation, in BF16.
[[nodiscard]] Kernel activation_kernel(double elements, workload::Activation activation,
                                       KernelRole role = KernelRole::other);

/// Builds segment lists. Compute blocks are interned by name in `blocks`, so every micro-batch
/// shares one block per distinct layer kind and the replay prices each once.
class LayerOps {
public:
    LayerOps(const workload::Workload& workload, const Placement& placement, int seq_len, int micro_batch_sequences,
             std::vector<ComputeBlock>& blocks);

    /// Forward of transformer layer `layer` (0-based); appends to `out`, the first new segment
    /// depending on `entry` (an index in `out`, or -1 for none). Returns the index of the last.
    int forward_layer(int layer, std::vector<Segment>& out, int entry) const;
    /// Backward of `layer`. With `split_weight_grad`, weight-gradient GEMMs go to `weight_out`
    /// (zero-bubble schedules run them later); otherwise they stay in the backward blocks.
    int backward_layer(int layer, std::vector<Segment>& out, int entry, bool split_weight_grad,
                       std::vector<Segment>* weight_out) const;

    int forward_embedding(std::vector<Segment>& out, int entry) const;
    int backward_embedding(std::vector<Segment>& out, int entry) const;
    /// MTP modules [first_mtp, last_mtp) (projection and layer each) and, with `loss`, the final
    /// norm, output head and loss of the main model and of every MTP module: in the order main
    /// head, then each module here with its head, then the heads of modules computed on earlier
    /// chunks (a custom pipeline layout may put them there).
    int forward_head(std::vector<Segment>& out, int entry, int first_mtp, int last_mtp, bool loss) const;
    int backward_head(std::vector<Segment>& out, int entry, int first_mtp, int last_mtp, bool loss,
                      bool split_weight_grad, std::vector<Segment>* weight_out) const;

    /// Tokens each rank processes per micro-batch (micro-batch sequences x seq_len / CP).
    [[nodiscard]] double tokens() const { return tokens_; }

private:
    int intern(const std::string& name, std::vector<Kernel> kernels) const;
    int add_compute(std::vector<Segment>& out, const std::string& name, std::vector<Kernel> kernels, Phase phase,
                    int layer, std::vector<int> deps) const;
    int add_comm(std::vector<Segment>& out, const DimComm& comm, Phase phase, int layer, std::vector<int> deps) const;

    const workload::Workload& workload_;
    Placement placement_;
    int seq_len_;
    double tokens_;
    std::vector<ComputeBlock>& blocks_;
    mutable std::map<std::string, int> interned_;
};

} // namespace tcsim::training
