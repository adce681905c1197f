// Full mode's program without holding it: every GPU's copy of its stage's ops, made one at a time
// from the symmetric program (issue 14 item 6, issue 18).
//
// GPU g = stage * M + q (M = tp x cp x dp GPUs per stage, TP innermost) runs its stage's ops in
// program order; its copy of its stage's k-th op has id base(g) + k. A dependency on an op of
// stage s goes to the GPU at the same position q of stage s; a pipeline send goes to the GPU at
// position q of the peer stage; every collective is issued by each member with `comm.member` =
// its GPU on its own group, a set of one group taken from the program's rank grid (as the
// symmetric program's stage sets are): one set per (dimension, group), named by the group's lowest
// GPU, one per (source, destination) for a send and per (dimension, GPU) for a ring shift. Sets
// are added to groups() the first time an op names them, in the order ops are made, so making
// the ops in id order gives the same set ids as expand_to_full (program_builder.hpp), which is
// this expansion written out as a Program.
//
// Why: written out, each GPU's op is 64 bytes and, for a collective, its own CommWork (member
// and group) another 64; 40M ops of a 16,384-GPU step would need 4-5 GB before the executor
// holds its own copy. Made one at a time, each op is only the executor's (about 90 bytes with
// its edges and collective when it holds every op; a record of the ops in flight and 4 bytes per
// op when it makes them as they matter, exec/op_source.hpp).
//
// The graph is also answered backwards, for an executor that makes each op only when it first
// matters (exec/op_source.hpp): an op's successors (from the symmetric program's, each mapped to
// the same position q of its stage) and the ops without dependencies, both ascending by full id.
//
// Contract: make(g, k, op, comm, deps) fills `op` (the stage's k-th op with rank g and the GPU's
// peer; its `deps` left empty, its `comm` the symmetric program's index), for a communication
// op `comm` (its collective with the GPU's own group set and member; left as it was for a
// compute op), and `deps` (the dependencies as full ids).
// make_groups() adds every op's group set in the order making every op in id order would, so
// that ops made in any order after it name the same sets as expand_to_full's. locate(id) is
// the (GPU, position) of a full id; successors(id, out) and roots(out) replace `out`.
// Throws std::invalid_argument when the program's rank grid does not cover its ranks.
#pragma once

#include "collective/group_table.hpp"
#include "training/program.hpp"
#include "training/program_successors.hpp"

#include <cstdint>
#include <map>
#include <tuple>
#include <vector>

namespace tcsim::training {

class FullExpansion {
public:
    explicit FullExpansion(const Program& symmetric);

    [[nodiscard]] int gpus() const { return gpus_; }
    [[nodiscard]] int per_stage() const { return per_stage_; }
    /// Ops in all, and communication ops among them.
    [[nodiscard]] std::size_t ops() const { return total_; }
    [[nodiscard]] std::size_t comm_ops() const { return comm_total_; }
    [[nodiscard]] std::size_t dependencies() const { return deps_total_; }
    /// The ops GPU g runs: its stage's ops, as indices into the symmetric program.
    [[nodiscard]] const std::vector<OpIndex>& stage_ops(int g) const {
        return of_rank_[static_cast<std::size_t>(g / per_stage_)];
    }
    [[nodiscard]] OpIndex base(int g) const { return base_[static_cast<std::size_t>(g)]; }

    void make(int g, std::size_t k, Op& op, CommWork& comm, std::vector<OpIndex>& deps);
    void make_groups();

    struct Place {
        int gpu = 0;
        std::size_t position = 0;
    };
    [[nodiscard]] Place locate(OpIndex id) const;
    /// The ops that depend on `id`, ascending, each as many times as it names `id`.
    void successors(OpIndex id, std::vector<OpIndex>& out) const;
    /// The ops without dependencies, ascending.
    void roots(std::vector<OpIndex>& out) const;

    /// The group sets the ops name (grows as ops are made).
    [[nodiscard]] const collective::GroupTable& groups() const { return groups_; }
    [[nodiscard]] collective::GroupTable& groups() { return groups_; }

private:
    collective::GroupSetId set_of(int g, CollectiveKind kind, Dim dim, int peer);

    const Program& sym_;
    int per_stage_ = 1;
    int gpus_ = 0;
    std::size_t total_ = 0, comm_total_ = 0, deps_total_ = 0;
    std::vector<std::vector<OpIndex>> of_rank_; ///< symmetric ops of each stage, in program order
    std::vector<OpIndex> position_;             ///< each symmetric op's place in its stage's list
    std::vector<OpIndex> base_;                 ///< by GPU
    std::vector<OpIndex> stage_first_;          ///< by stage: the first id of its first GPU
    /// The symmetric program's successors, each op's sorted by (rank, index), which is full-id
    /// order on every GPU of a stage.
    ProgramSuccessors successors_;
    collective::GroupTable groups_;
    /// (kind: 0 groups by lowest GPU, 1 ring by GPU, 2 pairs by (GPU, peer GPU); dim; a; b) -> set.
    std::map<std::tuple<int, int, int, int>, collective::GroupSetId> ids_;
    /// Per GPU and dimension, the set of its own group and of its ring shift (-1 until made).
    std::vector<std::int64_t> own_, ring_;
};

} // namespace tcsim::training
