// The executor's large tables (its ops, their collectives, successor lists and edges), kept
// apart from any one Executor so that the next executor on the same thread writes into memory
// that is already mapped. A step of a run builds a million ops for a long context; fresh tables
// for every step cost the kernel's zeroing of every new page (about a tenth of the default
// tcsim's CPU, README "Performance"). Whoever runs several executors one after another (a run's
// steps on one thread) owns one ExecutorTables and hands it to each in turn.
//
// Contract
// - Opaque to everyone but Executor: it holds no state a run can observe. An executor given the
//   tables clears them when it is constructed (capacity kept) and leaves them filled when it is
//   destroyed; a run on reused tables is the same run, event for event, as one on fresh tables.
// - Serves one executor at a time (not thread safe); it must outlive the executor it is given to.
// - Large tables are on huge pages (engine/huge_page_allocator.hpp); `bytes()` is the capacity
//   held, for tests and benchmarks.
// - Ops declared by an OpSource (exec/op_source.hpp) are held only while they matter: `ops` and
//   `comms` are then a pool of records, reused once an op has finished (`free` lists the unused
//   ones), and `places` maps every declared op to its record (4 bytes an op).
#pragma once

#include "collective/comm_work.hpp"
#include "engine/huge_page_allocator.hpp"
#include "engine/sim_time.hpp"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace tcsim::exec {

using OpId = std::uint32_t;

class ExecutorTables {
public:
    ExecutorTables() = default;
    ExecutorTables(const ExecutorTables&) = delete;
    ExecutorTables& operator=(const ExecutorTables&) = delete;
    ExecutorTables(ExecutorTables&&) noexcept = default;
    ExecutorTables& operator=(ExecutorTables&&) noexcept = default;
    ~ExecutorTables() = default;

    /// Bytes of capacity held across the tables.
    [[nodiscard]] std::size_t bytes() const {
        return ops.capacity() * sizeof(Op) + comms.capacity() * sizeof(collective::CommWork) +
               successors.capacity() * sizeof(EdgeList) + edges.capacity() * sizeof(Edge) +
               places.capacity() * sizeof(std::uint32_t) + free.capacity() * sizeof(std::uint32_t);
    }

private:
    friend class Executor;

    // Ops given with add() are all held (a million for a long context): an op is 40 bytes and its
    // successors live in one flat list of edges, with no allocation per op. Ops declared by an
    // OpSource (the step replay's, symmetric or full) have a record only while in flight.
    struct Op {
        std::int32_t lane = 0;
        std::int32_t slot = 0;
        std::int32_t category = 0;
        std::int32_t waiting = 0; ///< dependencies not yet finished
        std::int32_t comm = -1;   ///< index into comms, or -1 for compute
        std::uint16_t stream = 0;
        bool done = false;
        engine::Duration duration{0}; ///< compute only
        double start_s = 0;
    };
    static constexpr std::uint32_t kNoEdge = 0xffffffffU;
    /// One successor of an op: `to`, and the next edge of the same op (kNoEdge at the end).
    struct Edge {
        OpId to = 0;
        std::uint32_t next = kNoEdge;
    };
    /// An op's successors, in the order they were added: its first and last edge.
    struct EdgeList {
        std::uint32_t first = kNoEdge;
        std::uint32_t last = kNoEdge;
    };

    void clear() {
        ops.clear();
        comms.clear();
        successors.clear();
        edges.clear();
        places.clear();
        free.clear();
    }

    engine::HugeVector<Op> ops;
    engine::HugeVector<collective::CommWork> comms;
    engine::HugeVector<EdgeList> successors; ///< by op id (and ids named before they were added)
    engine::HugeVector<Edge> edges;
    engine::HugeVector<std::uint32_t> places; ///< declared ops only: by op id, its record or a mark
    std::vector<std::uint32_t> free;          ///< declared ops only: records not in use
};

} // namespace tcsim::exec
