// Program construction: per-stage templates of segments, instantiated per micro-batch.
//
// A stage's forward (or backward) is the same kernels for every micro-batch, so it is built
// once as a template of segments with local dependencies and copied into ops per micro-batch
// with an index offset. Cross-stage dependencies (pipeline sends) and the data-parallel tail
// are wired after every rank's ops exist.
#include "training/program_builder.hpp"

#include "training/full_expansion.hpp"
#include "training/layer_ops.hpp"
#include "training/pipeline_schedule.hpp"
#include "workload/model_math.hpp"
#include "workload/plan_check.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <numeric>
#include <set>
#include <stdexcept>
#include <string>
#include <tuple>

namespace tcsim::training {

using workload::layer_parameters;
using workload::ModelSpec;
using workload::ParallelSpec;
using workload::PipelineSchedule;
using workload::PlanError;
using workload::Workload;

int micro_batches_per_pipeline(const Workload& w, int global_batch_sequences) {
    const int per_pipeline = w.parallel.dp * w.parallel.micro_batch_sequences;
    if (global_batch_sequences <= 0 || global_batch_sequences % per_pipeline != 0)
        throw PlanError("batch of " + std::to_string(global_batch_sequences) + " sequences",
                        {"the global batch must be a positive multiple of DP x micro-batch = " +
                         std::to_string(w.parallel.dp) + " x " + std::to_string(w.parallel.micro_batch_sequences) +
                         " = " + std::to_string(per_pipeline) + " sequences"});
    return global_batch_sequences / per_pipeline;
}

namespace {

constexpr double kParameterBytes = 2.0; // BF16 parameters gathered after the sharded update
// Adam with FP32 master weights, besides reading the gradient (in its reduction dtype): read
// master, m, v; write master, m, v and the BF16 copy: 3 x 4 + 3 x 4 + 2 bytes per parameter.
constexpr double kOptimizerStateBytesPerParameter = 26.0;

struct Template {
    std::vector<Segment> segments;
    /// Per layer, in order of first appearance: the offsets of its first and last compute
    /// segments (the program's gradient buckets and parameter gathers key on them).
    struct LayerSpan {
        int layer = 0;
        int first = 0;
        int last = 0;
    };
    std::vector<LayerSpan> layers;
    /// Per (segment, rank): the program's collective for that segment on that rank
    /// (Program::comms), the same for every micro-batch; kNoComm until first made.
    std::vector<std::uint32_t> comm_ids;
};

/// Fills `t.layers` from its segments.
void index_layers(Template& t) {
    t.layers.clear();
    for (std::size_t i = 0; i < t.segments.size(); ++i) {
        const Segment& s = t.segments[i];
        if (!s.is_compute()) continue;
        const auto at = std::find_if(t.layers.begin(), t.layers.end(),
                                     [&](const Template::LayerSpan& l) { return l.layer == s.layer; });
        if (at == t.layers.end())
            t.layers.push_back({s.layer, static_cast<int>(i), static_cast<int>(i)});
        else
            at->last = static_cast<int>(i);
    }
}

struct StageTemplates {
    Template forward, backward, backward_input, weight;
    double expert_parameters = 0, dense_parameters = 0;
};

/// Weights touched by a forward template: k x n x groups of every GEMM, once per block name
/// (the MTP module reuses the main output head's weights).
/// `shared_table`: the embedding table is the output head's weight (tied embeddings on a stage
/// that holds both), already counted with the head's GEMM.
void count_weights(const Template& fwd, const std::vector<ComputeBlock>& blocks, double vocab_hidden, bool embedding,
                   bool shared_table, double& expert, double& dense) {
    // Blocks are interned by name, so equal layers share one: count each block once per layer
    // (not once per stage, which would hold one layer's weights however many the stage has).
    std::set<std::pair<int, int>> seen; // (layer, block)
    for (const Segment& s : fwd.segments) {
        if (!s.is_compute() || !seen.insert({s.layer, s.block}).second) continue;
        const ComputeBlock& b = blocks[static_cast<std::size_t>(s.block)];
        if (b.name.rfind("mtp.head", 0) == 0) continue;
        for (const Kernel& k : b.kernels) {
            if (k.role == KernelRole::attention_scores) continue; // between activations, no weights
            if (k.cls == OpClass::grouped_gemm)
                expert += k.shape.k * k.shape.n * k.shape.groups;
            else if (k.cls == OpClass::gemm)
                dense += k.shape.k * k.shape.n * k.shape.groups;
        }
    }
    if (embedding && !shared_table) dense += vocab_hidden;
}

/// Chains the segments of a weight-gradient list so that its last one finishes last.
void chain(Template& t) {
    for (std::size_t i = 1; i < t.segments.size(); ++i)
        if (t.segments[i].deps.empty()) t.segments[i].deps.push_back(static_cast<int>(i) - 1);
}

/// What a group set is, beside its dimension: a collective's groups, a ring shift's pairs, or
/// a pipeline send's pairs.
enum class SetKind : std::uint8_t { groups, ring, pairs };

/// The program's group sets, each added to `table` once per key (a key names one
/// communicator: its kind, dimension and two numbers, e.g. a representative rank and a peer).
class GroupSets {
public:
    explicit GroupSets(collective::GroupTable& table) : table_(table) {}

    template <class Make>
    collective::GroupSetId get(SetKind kind, Dim dim, int a, int b, Make make) {
        const Key key{kind, dim, a, b};
        if (const auto it = ids_.find(key); it != ids_.end()) return it->second;
        return ids_.emplace(key, table_.add(make())).first->second;
    }

private:
    using Key = std::tuple<SetKind, Dim, int, int>;
    collective::GroupTable& table_;
    std::map<Key, collective::GroupSetId> ids_;
};

class Builder {
public:
    Builder(const topology::ClusterSpec& cluster, const Workload& w, int seq_len, int global_batch,
            engine::HugeVector<Op> storage)
        : w_(w), seq_len_(seq_len), p_(w.parallel), grid_(rank_grid(w.parallel, cluster.gpus_per_node)),
          placement_(place(grid_)) {
        program_.ops = std::move(storage);
        program_.ops.clear();
        m_ = micro_batches_per_pipeline(w, global_batch);
        program_.grid = grid_;
        program_.ranks = p_.pp;
        program_.gpus_per_rank = p_.tp * p_.cp * p_.dp;
        program_.micro_batches = m_;
        stages_ = model_stages(p_.schedule, p_.pp, p_.virtual_stages);
        if (p_.schedule == PipelineSchedule::dualpipe && (m_ % 2 != 0 || m_ < 2 * p_.pp))
            throw PlanError("DualPipe with " + std::to_string(p_.pp) + " stages",
                            {"needs an even number of micro-batches per pipeline, at least " +
                             std::to_string(2 * p_.pp) + "; the batch of " + std::to_string(global_batch) +
                             " sequences gives " + std::to_string(m_)});
    }

    Program build() {
        const auto layout = partition_stages(w_.model, seq_len_, p_);
        LayerOps ops(w_, placement_, seq_len_, p_.micro_batch_sequences, program_.blocks);
        const bool split = p_.schedule == PipelineSchedule::zero_bubble || p_.schedule == PipelineSchedule::dualpipe;
        for (const StageLayers& st : layout) templates_.push_back(make_templates(ops, st, split));

        const auto orders = make_schedule(p_.schedule, p_.pp, m_, p_.virtual_stages, p_.ep_comm_overlap);
        program_.expert_parameters.assign(static_cast<std::size_t>(p_.pp), 0.0);
        program_.dense_parameters.assign(static_cast<std::size_t>(p_.pp), 0.0);
        const int chunks = chunks_per_rank(p_.schedule, p_.virtual_stages);
        reserve_ops(orders);
        for (int r = 0; r < p_.pp; ++r) {
            for (int c = 0; c < chunks; ++c) {
                const auto& t = templates_[static_cast<std::size_t>(model_stage(p_.schedule, p_.pp, r, c))];
                program_.expert_parameters[static_cast<std::size_t>(r)] += t.expert_parameters;
                program_.dense_parameters[static_cast<std::size_t>(r)] += t.dense_parameters;
            }
            int slot = 0;
            for (const Action& a : orders[static_cast<std::size_t>(r)]) {
                emit_action(r, a, slot);
                ++slot;
            }
        }
        wire_pipeline();
        for (int r = 0; r < p_.pp; ++r) emit_data_parallel_tail(r);
        return std::move(program_);
    }

private:
    enum class Kind { forward, backward, backward_input, weight };
    struct Instance {
        OpIndex first = 0; ///< ops [first, end)
        OpIndex end = 0;
        std::vector<OpIndex> entries;
        OpIndex exit = 0;
        OpIndex send = std::numeric_limits<OpIndex>::max(); ///< the pipeline send after it, if any
    };
    using Key = std::tuple<int, int, int>; // micro-batch, model stage, kind

    StageTemplates make_templates(const LayerOps& ops, const StageLayers& st, bool split) const {
        StageTemplates t;
        {
            auto& seg = t.forward.segments;
            int last = -1;
            if (st.embedding) last = ops.forward_embedding(seg, last);
            for (int l = st.first_layer; l < st.last_layer; ++l) last = ops.forward_layer(l, seg, last);
            if (st.head || st.mtp_modules() > 0) ops.forward_head(seg, last, st.first_mtp, st.last_mtp, st.head);
        }
        auto backward = [&](Template& into, Template* weight) {
            auto& seg = into.segments;
            std::vector<Segment>* wout = weight != nullptr ? &weight->segments : nullptr;
            int last = -1;
            if (st.head || st.mtp_modules() > 0)
                last = ops.backward_head(seg, last, st.first_mtp, st.last_mtp, st.head, weight != nullptr, wout);
            for (int l = st.last_layer - 1; l >= st.first_layer; --l)
                last = ops.backward_layer(l, seg, last, weight != nullptr, wout);
            if (st.embedding) ops.backward_embedding(seg, last);
        };
        backward(t.backward, nullptr);
        if (split) {
            backward(t.backward_input, &t.weight);
            chain(t.weight);
        }
        for (Template* each : {&t.forward, &t.backward, &t.backward_input, &t.weight}) index_layers(*each);
        count_weights(t.forward, program_.blocks, static_cast<double>(w_.model.vocab) * w_.model.hidden / p_.tp,
                      st.embedding, w_.model.tied_embeddings && st.head, t.expert_parameters, t.dense_parameters);
        return t;
    }

    /// Room for every op the schedule's actions instantiate (each with its pipeline send) and a
    /// data-parallel tail of a few collectives per layer, so that the op list is allocated once.
    void reserve_ops(const std::vector<std::vector<Action>>& orders) {
        std::size_t n = 0;
        auto add = [&](int rank, int chunk, Kind kind) {
            n += template_of(model_stage(p_.schedule, p_.pp, rank, chunk), kind).segments.size() + 1;
        };
        for (int r = 0; r < p_.pp; ++r)
            for (const Action& a : orders[static_cast<std::size_t>(r)]) {
                switch (a.kind) {
                case ActionKind::forward: add(r, a.chunk, Kind::forward); break;
                case ActionKind::backward: add(r, a.chunk, Kind::backward); break;
                case ActionKind::backward_input: add(r, a.chunk, Kind::backward_input); break;
                case ActionKind::weight: add(r, a.chunk, Kind::weight); break;
                case ActionKind::forward_backward:
                    add(r, a.chunk, Kind::forward);
                    add(r, a.chunk2, Kind::backward);
                    break;
                }
            }
        n += static_cast<std::size_t>(p_.pp) * (4 * static_cast<std::size_t>(w_.model.layers + 2) + 8);
        program_.ops.reserve(n);
    }

    Template& template_of(int stage, Kind kind) {
        auto& t = templates_[static_cast<std::size_t>(stage)];
        switch (kind) {
        case Kind::forward: return t.forward;
        case Kind::backward: return t.backward;
        case Kind::backward_input: return t.backward_input;
        case Kind::weight: return t.weight;
        }
        return t.forward;
    }

    void instantiate(int rank, int mb, int chunk, Kind kind, int slot) {
        const int stage = model_stage(p_.schedule, p_.pp, rank, chunk);
        Template& t = template_of(stage, kind);
        if (t.comm_ids.empty()) t.comm_ids.assign(t.segments.size() * static_cast<std::size_t>(p_.pp), kNoComm);
        Instance inst;
        inst.first = static_cast<OpIndex>(program_.ops.size());
        for (std::size_t k = 0; k < t.segments.size(); ++k) {
            const Segment& s = t.segments[k];
            // Written in place: the op list is a million ops for a long context.
            const auto index = static_cast<OpIndex>(program_.ops.size());
            Op& op = program_.ops.emplace_back();
            op.rank = rank;
            op.stream = s.stream;
            op.phase = s.phase;
            op.micro_batch = mb;
            op.layer = s.layer;
            op.slot = slot;
            op.block = s.block;
            if (!s.is_compute()) {
                op.dim = s.dim;
                std::uint32_t& id = t.comm_ids[k * static_cast<std::size_t>(p_.pp) + static_cast<std::size_t>(rank)];
                if (id == kNoComm) {
                    CommWork work = s.comm;
                    work.groups = work.kind == CollectiveKind::send_recv ? cached_set(SetKind::ring, s.dim, rank)
                                                                         : cached_set(SetKind::groups, s.dim, rank);
                    id = program_.add_comm(work);
                }
                op.comm = id;
            }
            op.deps.reserve(s.deps.size());
            for (int d : s.deps) op.deps.push_back(inst.first + static_cast<OpIndex>(d));
            if (s.deps.empty()) inst.entries.push_back(index);
        }
        inst.end = static_cast<OpIndex>(program_.ops.size());
        inst.exit = inst.end - 1;
        // A backward needs its own forward's activations; a weight gradient its backward.
        if (kind == Kind::backward || kind == Kind::backward_input)
            add_entry_dep(inst, instances_.at(Key{mb, stage, static_cast<int>(Kind::forward)}).exit);
        if (kind == Kind::weight)
            add_entry_dep(inst, instances_.at(Key{mb, stage, static_cast<int>(Kind::backward_input)}).exit);
        // Sends to the neighbouring stage: activations forward, gradients backward.
        const bool sends = (kind == Kind::forward && stage + 1 < stages_) ||
                           ((kind == Kind::backward || kind == Kind::backward_input) && stage > 0);
        if (sends) {
            const int peer_stage = kind == Kind::forward ? stage + 1 : stage - 1;
            const int peer = locate_stage(p_.schedule, p_.pp, m_, mb, peer_stage).rank;
            if (peer != rank) {
                Op send;
                send.rank = rank;
                send.stream = Stream::pp;
                send.phase = kind == Kind::forward ? Phase::forward : Phase::backward;
                send.micro_batch = mb;
                send.slot = slot;
                send.dim = Dim::pp;
                send.peer = peer;
                send.comm = send_comm(rank, peer);
                send.deps.push_back(inst.exit);
                inst.send = static_cast<OpIndex>(program_.ops.size());
                program_.ops.push_back(std::move(send));
            } else {
                inst.send = inst.exit;
            }
        }
        if (kind != Kind::forward) {
            tail_deps_[static_cast<std::size_t>(rank)].push_back(inst.exit);
            // The latest op of each layer in this rank's backward work: a layer's gradient
            // bucket can be reduced once the last micro-batch's backward has passed it.
            for (const Template::LayerSpan& l : t.layers)
                grad_ready_[{rank, stage, l.layer}] = inst.first + static_cast<OpIndex>(l.last);
        }
        if (kind == Kind::forward)
            for (const Template::LayerSpan& l : t.layers) // keeps the earliest
                first_use_.emplace(std::tuple{rank, stage, l.layer}, inst.first + static_cast<OpIndex>(l.first));
        if (p_.zero_stage >= 3 && kind != Kind::weight)
            gather_parameters(inst, rank, stage, slot, kind == Kind::forward);
        instances_.emplace(Key{mb, stage, static_cast<int>(kind)}, std::move(inst));
    }

    /// The collective of a pipeline send from representative `rank` to `peer`: the same for every
    /// micro-batch, so stored once per pair.
    std::uint32_t send_comm(int rank, int peer) {
        const auto [at, fresh] = send_ids_.try_emplace(std::pair{rank, peer}, kNoComm);
        if (!fresh) return at->second;
        CommWork work;
        work.kind = CollectiveKind::send_recv;
        work.placement = GroupPlacement{2, placement_.pp_crosses_nodes ? 1 : 2};
        work.crosses_nodes = placement_.pp_crosses_nodes;
        work.groups = pair_set(rank, peer);
        const double tokens = static_cast<double>(p_.micro_batch_sequences) * seq_len_ / p_.cp;
        // Each TP rank sends its 1/TP slice of the stage boundary: sequence parallelism
        // splits it already; without it, the slices are all-gathered on arrival (see
        // received()).
        const double width = p_.tp > 1 ? 1.0 / p_.tp : 1.0;
        work.bytes = units::Bytes(tokens * w_.model.hidden * 2.0 * width);
        at->second = program_.add_comm(work);
        return at->second;
    }

    /// A collective of `kind` over the `dim` groups of representative `rank` (placed as
    /// `placement`), carrying `bytes`.
    std::uint32_t group_comm(CollectiveKind kind, Dim dim, int rank, const GroupPlacement& placement, double bytes) {
        CommWork work;
        work.kind = kind;
        work.placement = placement;
        work.bytes = units::Bytes(bytes);
        work.groups = group_set(dim, rank);
        return program_.add_comm(work);
    }

    /// Parameters of one layer on one GPU (TP-split; routed experts EP x ETP-split); layer -1 is the
    /// embedding (first stage) or the output head (last stage).
    std::pair<double, double> layer_params(int stage, int layer) const {
        const ModelSpec& m = w_.model;
        if (layer < 0) {
            const double table = static_cast<double>(m.vocab) * m.hidden / p_.tp;
            const bool first = stage == 0, last = stage == stages_ - 1;
            const double tables = (first ? 1.0 : 0.0) + (last && !(m.tied_embeddings && first) ? 1.0 : 0.0);
            return {0.0, table * tables};
        }
        const auto lp = layer_parameters(m, layer);
        return {lp.routed_experts / (p_.ep * p_.etp),
                lp.other / p_.tp + workload::replicated_kv_parameters_per_rank(m, p_.tp)};
    }

    /// ZeRO-3 / FSDP: each layer's parameters are all-gathered before it runs, forward and
    /// backward, one layer ahead (the gather of layer l waits for layer l-1 to start).
    void gather_parameters(const Instance& inst, int rank, int stage, int slot, bool forward) {
        std::vector<std::pair<int, OpIndex>> first_of_layer; // in execution order
        for (OpIndex i = inst.first; i < inst.end; ++i) {
            const Op& op = program_.ops[i];
            if (!op.is_compute()) continue;
            if (first_of_layer.empty() || first_of_layer.back().first != op.layer)
                first_of_layer.push_back({op.layer, i});
        }
        OpIndex previous = std::numeric_limits<OpIndex>::max();
        for (std::size_t k = 0; k < first_of_layer.size(); ++k) {
            const int layer = first_of_layer[k].first; // not a structured binding: the lambda below captures it
            const OpIndex first = first_of_layer[k].second;
            auto [expert, dense] = layer_params(stage, layer);
            if (layer < 0 && stage == 0 && stage == stages_ - 1) dense /= 2; // embedding or head, one table each
            std::vector<OpIndex> deps;
            if (previous != std::numeric_limits<OpIndex>::max()) deps.push_back(previous);
            auto gather = [&](const GroupPlacement& g, Dim dim, double params) {
                if (g.size <= 1 || params <= 0) return;
                Op op;
                op.rank = rank;
                op.stream = Stream::dp;
                op.phase = forward ? Phase::forward : Phase::backward;
                op.layer = layer;
                op.slot = slot;
                op.deps = deps;
                op.dim = dim;
                op.comm = group_comm(CollectiveKind::all_gather, dim, rank, g, params * kParameterBytes);
                program_.ops[first].deps.push_back(static_cast<OpIndex>(program_.ops.size()));
                program_.ops.push_back(std::move(op));
            };
            gather(placement_.dp_cp, Dim::dp_cp, dense);
            gather(placement_.expert_dp, Dim::expert_dp, expert);
            previous = first;
        }
    }

    void add_entry_dep(const Instance& inst, OpIndex dep) {
        for (OpIndex e : inst.entries) program_.ops[e].deps.push_back(dep);
    }

    void emit_action(int rank, const Action& a, int slot) {
        if (tail_deps_.size() < static_cast<std::size_t>(p_.pp)) tail_deps_.resize(static_cast<std::size_t>(p_.pp));
        switch (a.kind) {
        case ActionKind::forward: instantiate(rank, a.micro_batch, a.chunk, Kind::forward, slot); break;
        case ActionKind::backward: instantiate(rank, a.micro_batch, a.chunk, Kind::backward, slot); break;
        case ActionKind::backward_input: instantiate(rank, a.micro_batch, a.chunk, Kind::backward_input, slot); break;
        case ActionKind::weight: instantiate(rank, a.micro_batch, a.chunk, Kind::weight, slot); break;
        case ActionKind::forward_backward:
            instantiate(rank, a.micro_batch, a.chunk, Kind::forward, slot);
            instantiate(rank, a.micro_batch2, a.chunk2, Kind::backward, slot);
            break;
        }
    }

    /// Entry of stage s's forward waits for stage s-1's send; entry of stage s's backward waits
    /// for stage s+1's backward send.
    void wire_pipeline() {
        for (auto& [key, inst] : instances_) {
            const auto [mb, stage, kind_int] = key;
            const auto kind = static_cast<Kind>(kind_int);
            if (kind == Kind::forward && stage > 0)
                add_entry_dep(inst, received(inst, mb, stage, instances_.at(Key{mb, stage - 1, kind_int}).send));
            if ((kind == Kind::backward || kind == Kind::backward_input) && stage + 1 < stages_) {
                auto it = instances_.find(Key{mb, stage + 1, static_cast<int>(Kind::backward)});
                if (it == instances_.end())
                    it = instances_.find(Key{mb, stage + 1, static_cast<int>(Kind::backward_input)});
                add_entry_dep(inst, received(inst, mb, stage, it->second.send));
            }
        }
    }

    /// What `inst`, stage `stage`'s work on micro-batch `mb`, waits for once `send` reaches it.
    /// With sequence parallelism (or without TP) the send itself. Without sequence parallelism
    /// each TP rank sent only its 1/TP slice of the replicated tensor and the receiving stage's
    /// TP group all-gathers the slices over NVLink: the scatter/gather optimisation of
    /// Megatron-LM 2021-2023 (Narayanan et al., SC'21, arXiv:2104.04473 sec. 4.1; p2p_communication.py
    /// split_tensor_into_1d_equal_chunks / gather_split_1d_tensor, on unless
    /// --no-scatter-gather-tensors-in-pipeline) and of DeepSpeed's pipeline engine under model
    /// parallelism (deepspeed/runtime/pipe/engine.py: is_pipe_partitioned = is_model_parallel).
    /// Megatron-Core sends the whole tensor without sequence parallelism, but its TP layouts
    /// run with sequence parallelism, where the two agree: an assumption for TP without SP there.
    OpIndex received(const Instance& inst, int mb, int stage, OpIndex send) {
        const Op& s = program_.ops[send];
        if (p_.sequence_parallel || p_.tp <= 1 || s.is_compute()) return send;
        const int rank = locate_stage(p_.schedule, p_.pp, m_, mb, stage).rank;
        Op gather;
        gather.rank = rank;
        gather.stream = Stream::pp;
        gather.phase = s.phase;
        gather.micro_batch = mb;
        gather.slot = program_.ops[inst.first].slot;
        gather.dim = Dim::tp;
        gather.comm = group_comm(CollectiveKind::all_gather, Dim::tp, rank, placement_.tp,
                                 program_.comm(s).bytes.value() * static_cast<double>(p_.tp));
        gather.deps.push_back(send);
        program_.ops.push_back(std::move(gather));
        return static_cast<OpIndex>(program_.ops.size()) - 1;
    }

    OpIndex add_dp_op(int rank, int slot, Stream stream, std::vector<OpIndex> deps) {
        Op op;
        op.rank = rank;
        op.stream = stream;
        op.phase = Phase::optimizer;
        op.slot = slot;
        op.deps = std::move(deps);
        program_.ops.push_back(std::move(op));
        return static_cast<OpIndex>(program_.ops.size()) - 1;
    }

    void emit_data_parallel_tail(int rank) {
        const auto r = static_cast<std::size_t>(rank);
        const int slot = std::numeric_limits<int>::max() / 2;
        const double dense = program_.dense_parameters[r];
        const double expert = program_.expert_parameters[r];
        const GroupPlacement dense_group = placement_.dp_cp;
        const GroupPlacement expert_group = placement_.expert_dp;
        const bool sharded = p_.zero_stage >= 1;
        std::vector<OpIndex> reduced;
        // Dense weights are reduced and gathered over DP x CP, routed experts over expert-DP.
        auto collective = [&](CollectiveKind kind, Dim dim, double bytes, std::vector<OpIndex> deps) {
            const std::uint32_t comm =
                group_comm(kind, dim, rank, dim == Dim::expert_dp ? expert_group : dense_group, bytes);
            const OpIndex i = add_dp_op(rank, slot, Stream::dp, std::move(deps));
            Op& op = program_.ops[i];
            op.dim = dim;
            op.comm = comm;
            return i;
        };
        const auto grad_kind = sharded ? CollectiveKind::reduce_scatter : CollectiveKind::all_reduce;
        // One gradient bucket per layer, reduced as soon as the last micro-batch's backward has
        // passed that layer, overlapping the rest of the backward (Megatron-LM
        // --overlap-grad-reduce; DeepSpeed's reduce buckets); without overlap, every bucket
        // waits for the rank's whole backward pass.
        // Megatron-Core (core/distributed/param_and_grad_buffer.py register_grad_ready) starts a
        // bucket's reduction only while is_last_microbatch: earlier micro-batches accumulate into
        // the FP32 main-grad buffer without communicating, so with m micro-batches only about 1/m
        // of the backward can hide the reduce-scatter, as here. Its buckets hold
        // max(40M, 1M x DP) parameters (distributed_data_parallel.py), usually more than one
        // layer: a layer per bucket starts the first reduction a little earlier than Megatron's.
        // With --overlap-param-gather the next step's all-gathers are dispatched bucket by bucket
        // from the forward pre-hooks (finish_param_sync dispatches the next bucket's), so they
        // overlap the first micro-batch's forward only, as the per-layer gathers below do.
        const std::vector<OpIndex>& whole_backward = tail_deps_[r];
        const double gradient_bytes = hardware::bytes_per_element(w_.training.grad_reduce_dtype);
        for (const auto& [key, ready] : grad_ready_) {
            const auto [bucket_rank, stage, layer] = key;
            if (bucket_rank != rank) continue;
            const auto [expert_params, dense_params] = layer_params(stage, layer);
            const std::vector<OpIndex> after = p_.overlap_grad_reduce ? std::vector<OpIndex>{ready} : whole_backward;
            if (dense_group.size > 1 && dense_params > 0)
                reduced.push_back(collective(grad_kind, Dim::dp_cp, dense_params * gradient_bytes, after));
            if (expert_group.size > 1 && expert_params > 0)
                reduced.push_back(collective(grad_kind, Dim::expert_dp, expert_params * gradient_bytes, after));
        }
        // The optimizer waits for every reduction and for the rank's whole backward.
        reduced.insert(reduced.end(), tail_deps_[r].begin(), tail_deps_[r].end());
        // The optimizer updates this rank's shard of every parameter it holds.
        const double shard = sharded ? dense / dense_group.size + expert / expert_group.size : dense + expert;
        Kernel k;
        k.cls = OpClass::optimizer;
        k.dtype = hardware::Dtype::fp32;
        k.bytes = units::Bytes(shard * (gradient_bytes + kOptimizerStateBytesPerParameter));
        k.flops = units::Flops(shard * 12.0);
        program_.blocks.push_back(ComputeBlock{"optimizer.adam", {k}});
        const OpIndex opt = add_dp_op(rank, slot, Stream::compute, reduced);
        program_.ops[opt].block = static_cast<int>(program_.blocks.size()) - 1;
        if (sharded && p_.overlap_param_gather && p_.zero_stage <= 2) {
            // Per layer, issued at the start of the (next) step in the order the forward first
            // uses them (the DP stream runs ready ops in program order); each layer's first
            // forward waits for its own gather. In steady state this is the same as gathering
            // after this step's optimizer. (ZeRO-3 gathers every layer before it runs already.)
            std::vector<std::tuple<OpIndex, int, int>> by_first_use; // (first forward op, stage, layer)
            for (const auto& [key, first] : first_use_)
                if (std::get<0>(key) == rank) by_first_use.emplace_back(first, std::get<1>(key), std::get<2>(key));
            std::sort(by_first_use.begin(), by_first_use.end());
            for (const auto& [first, stage, layer] : by_first_use) {
                const auto [expert_params, dense_params] = layer_params(stage, layer);
                // (The gather is added first: it may reallocate program_.ops.)
                if (dense_group.size > 1 && dense_params > 0) {
                    const OpIndex g =
                        collective(CollectiveKind::all_gather, Dim::dp_cp, dense_params * kParameterBytes, {});
                    program_.ops[first].deps.push_back(g);
                }
                if (expert_group.size > 1 && expert_params > 0) {
                    const OpIndex g =
                        collective(CollectiveKind::all_gather, Dim::expert_dp, expert_params * kParameterBytes, {});
                    program_.ops[first].deps.push_back(g);
                }
            }
        } else if (sharded) {
            if (dense_group.size > 1 && dense > 0)
                collective(CollectiveKind::all_gather, Dim::dp_cp, dense * kParameterBytes, {opt});
            if (expert_group.size > 1 && expert > 0)
                collective(CollectiveKind::all_gather, Dim::expert_dp, expert * kParameterBytes, {opt});
        }
    }

    /// The group set every copy of representative `rank`'s `dim` collective runs on: one set per
    /// (dimension, rank), so each is a communicator of its own.
    collective::GroupSetId group_set(Dim dim, int rank) {
        return sets_.get(SetKind::groups, dim, rank, 0, [&] { return grid_.stage_groups(dim, rank); });
    }
    /// group_set or ring_set through a table by (kind, rank, dimension): instantiate asks for
    /// one per collective op, and the map behind them is the slow part of building a program.
    collective::GroupSetId cached_set(SetKind kind, Dim dim, int rank) {
        constexpr std::size_t dims = static_cast<std::size_t>(Dim::pp) + 1;
        const std::size_t at = (static_cast<std::size_t>(rank) * 2 + (kind == SetKind::ring ? 1 : 0)) * dims +
                               static_cast<std::size_t>(dim);
        if (set_cache_.size() <= at) set_cache_.resize((static_cast<std::size_t>(p_.pp) * 2) * dims, kNoSet);
        if (set_cache_[at] == kNoSet)
            set_cache_[at] = kind == SetKind::ring ? ring_set(dim, rank) : group_set(dim, rank);
        return set_cache_[at];
    }
    static constexpr collective::GroupSetId kNoSet = std::numeric_limits<collective::GroupSetId>::max();
    /// A ring shift: every GPU of each `dim` group of `rank`'s stage sends to the next.
    collective::GroupSetId ring_set(Dim dim, int rank) {
        return sets_.get(SetKind::ring, dim, rank, 0, [&] { return grid_.stage_ring_pairs(dim, rank); });
    }
    /// A pipeline send: GPU i of stage `rank` to GPU i of stage `peer`, for every i.
    collective::GroupSetId pair_set(int rank, int peer) {
        return sets_.get(SetKind::pairs, Dim::pp, rank, peer, [&] { return grid_.stage_pairs(rank, peer); });
    }

    const Workload& w_;
    int seq_len_;
    const ParallelSpec& p_;
    layout::RankGrid grid_;
    Placement placement_;
    int m_ = 0;
    int stages_ = 0;
    Program program_;
    GroupSets sets_{program_.groups};
    std::vector<StageTemplates> templates_;
    std::map<Key, Instance> instances_;
    std::vector<collective::GroupSetId> set_cache_; ///< cached_set's table
    std::map<std::pair<int, int>, std::uint32_t> send_ids_; ///< (rank, peer) -> its send's collective
    std::vector<std::vector<OpIndex>> tail_deps_;
    std::map<std::tuple<int, int, int>, OpIndex> grad_ready_; ///< (rank, stage, layer) -> latest backward op
    std::map<std::tuple<int, int, int>, OpIndex> first_use_;  ///< (rank, stage, layer) -> earliest forward op
};

} // namespace

Program build_program(const topology::ClusterSpec& cluster, const Workload& workload, int seq_len,
                      int global_batch_sequences) {
    return Builder(cluster, workload, seq_len, global_batch_sequences, {}).build();
}

Program build_program(const topology::ClusterSpec& cluster, const Workload& workload, int seq_len,
                      int global_batch_sequences, engine::HugeVector<Op> storage) {
    return Builder(cluster, workload, seq_len, global_batch_sequences, std::move(storage)).build();
}

Program expand_to_full(const Program& sym) {
    FullExpansion expansion(sym);
    Program full;
    full.ranks = expansion.gpus();
    full.gpus_per_rank = 1;
    full.micro_batches = sym.micro_batches;
    full.comm_order = sym.comm_order;
    full.blocks = sym.blocks;
    full.grid = sym.grid;
    full.ops.reserve(expansion.ops());
    std::vector<OpIndex> deps;
    CommWork comm;
    for (int g = 0; g < full.ranks; ++g) {
        const std::size_t n = expansion.stage_ops(g).size();
        for (std::size_t k = 0; k < n; ++k) {
            Op op;
            expansion.make(g, k, op, comm, deps);
            // Each GPU's collective is its own (member and group set).
            if (!op.is_compute()) op.comm = full.add_comm(comm);
            op.deps = deps;
            full.ops.push_back(std::move(op));
        }
    }
    full.groups = std::move(expansion.groups());
    for (int g = 0; g < full.ranks; ++g) {
        const auto r = static_cast<std::size_t>(g / expansion.per_stage());
        full.expert_parameters.push_back(sym.expert_parameters[r]);
        full.dense_parameters.push_back(sym.dense_parameters[r]);
    }
    return full;
}

} // namespace tcsim::training
