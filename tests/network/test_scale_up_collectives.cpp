// Collectives on the scale-up domains of other vendors (issue 17): the xGMI/HCCS/Gaudi full mesh
// and the TPU ICI torus. Every expectation is derived here from the link rates and sizes (the
// closed forms of network/algorithms/mesh_direct.cpp and torus_ring.cpp, and of dimension-order
// all-to-all on a torus), never read from the simulator's output.
#include "network/collective_benchmark.hpp"

#include "test_clusters.hpp"

#include <doctest/doctest.h>

#include <vector>

using namespace tcsim;
using network::Algorithm;
using network::BenchmarkOp;

namespace {

constexpr double kScaleUpFraction = 0.82; // test_clusters.hpp's nvlink fraction, every scale-up link

topology::ClusterSpec mesh_node() {
    // MI300X board: 896 GB/s both directions over 7 peers = 64 GB/s per peer each way
    // (hardware_and_pricing.md 1b); one link's latency 3.33 us (test value).
    test::ClusterShape s;
    s.gpu = "MI300X";
    s.nvlink_bidirectional_gbps = 896;
    topology::ClusterSpec c = test::make_cluster(s);
    c.efficiency.links.nvls.reset();
    c.scale_up.kind = topology::ScaleUpKind::full_mesh;
    return c;
}

topology::ClusterSpec torus_slice(std::vector<int> dims, int slices = 1) {
    // TPU v5p: ICI 1,200 GB/s both directions per chip over 6 ports = 100 GB/s per port each
    // way (Cloud TPU v5p page); 1 us per hop (test value).
    test::ClusterShape s;
    s.gpu = "TPU-v5p";
    s.nvlink_bidirectional_gbps = 1200;
    s.nvlink_latency_us = 1.0;
    s.nodes = slices;
    s.gpus_per_node = 1;
    for (int d : dims) s.gpus_per_node *= d;
    s.nics_per_node = s.gpus_per_node / 4;
    s.nic_gbit = 200;
    s.fabric = topology::FabricKind::fat_tree;
    topology::ClusterSpec c = test::make_cluster(s);
    c.efficiency.links.nvls.reset();
    c.scale_up.kind = topology::ScaleUpKind::torus;
    c.scale_up.torus = std::move(dims);
    return c;
}

network::CollectiveBenchmarkRow once(const topology::ClusterSpec& c, BenchmarkOp op, int gpus, double bytes,
                                     Algorithm algorithm = Algorithm::automatic) {
    network::CollectiveBenchmarkSpec spec;
    spec.op = op;
    spec.gpus = gpus;
    spec.sizes = {units::Bytes(bytes)};
    spec.algorithm = algorithm;
    return network::run_collective_benchmark(c, spec).front();
}

} // namespace

TEST_CASE("full mesh: direct all-gather, reduce-scatter, all-reduce and all-to-all match S/(n f B) + alpha") {
    const auto c = mesh_node();
    const double b = 64e9 * kScaleUpFraction; // one peer link, one direction, achievable
    const double alpha = 3.33e-6;             // one link: no switch to cross
    for (const double s : {1048576.0, 1073741824.0}) {
        CAPTURE(s);
        const auto ag = once(c, BenchmarkOp::all_gather, 8, s);
        CHECK(ag.algorithm == Algorithm::mesh_direct);
        CHECK(ag.time.count() == doctest::Approx(s / 8 / b + alpha).epsilon(0.01));
        const auto rs = once(c, BenchmarkOp::reduce_scatter, 8, s);
        CHECK(rs.algorithm == Algorithm::mesh_direct);
        CHECK(rs.time.count() == doctest::Approx(s / 8 / b + alpha).epsilon(0.01));
        const auto ar = once(c, BenchmarkOp::all_reduce, 8, s);
        CHECK(ar.algorithm == Algorithm::mesh_direct);
        CHECK(ar.time.count() == doctest::Approx(2 * s / 8 / b + 2 * alpha).epsilon(0.01));
        // All-to-all is pairwise, which on a mesh is direct: S/n on each peer link.
        const auto a2a = once(c, BenchmarkOp::all_to_all, 8, s);
        CHECK(a2a.time.count() == doctest::Approx(s / 8 / b + alpha).epsilon(0.01));
    }
}

TEST_CASE("full mesh: a ring uses one link of seven, so it is (n - 1) times slower than direct") {
    const auto c = mesh_node();
    const double s = 1073741824.0;
    const double b = 64e9 * kScaleUpFraction;
    const auto ring = once(c, BenchmarkOp::all_gather, 8, s, Algorithm::ring);
    CHECK(ring.time.count() == doctest::Approx(7.0 / 8 * s / b + 7 * 3.33e-6).epsilon(0.01));
    const auto direct = once(c, BenchmarkOp::all_gather, 8, s);
    CHECK(ring.time.count() / direct.time.count() == doctest::Approx(7.0).epsilon(0.02));
}

TEST_CASE("torus: all-reduce by bidirectional rings per dimension matches its closed form") {
    // A full X x Y x Z slice: dimension x carries (X-1)/X S each way (2(X-1)/X S per ring edge
    // over two directions), y the x-reduced shard S/X, z S/(XY); the dimensions run on disjoint
    // links, so the first sets the time. Latency: 2 (X-1 + Y-1 + Z-1) hops.
    const double b = 100e9 * kScaleUpFraction;
    const double hop = 1e-6;
    for (const double s : {1048576.0, 1073741824.0}) {
        CAPTURE(s);
        const auto c = torus_slice({4, 4, 4});
        const auto ar = once(c, BenchmarkOp::all_reduce, 64, s);
        CHECK(ar.algorithm == Algorithm::torus_ring);
        CHECK(ar.time.count() == doctest::Approx(0.75 * s / b + 2 * 9 * hop).epsilon(0.01));
        // Reduce-scatter and all-gather: half the bytes, half the steps.
        const auto ag = once(c, BenchmarkOp::all_gather, 64, s);
        CHECK(ag.algorithm == Algorithm::torus_ring);
        CHECK(ag.time.count() == doctest::Approx(0.375 * s / b + 9 * hop).epsilon(0.01));
        const auto rs = once(c, BenchmarkOp::reduce_scatter, 64, s);
        CHECK(rs.time.count() == doctest::Approx(0.375 * s / b + 9 * hop).epsilon(0.01));
        // A plane of the slice (GPUs 0-15: x and y full, z = 0): two dimensions.
        const auto plane = once(c, BenchmarkOp::all_reduce, 16, s);
        CHECK(plane.algorithm == Algorithm::torus_ring);
        CHECK(plane.time.count() == doctest::Approx(0.75 * s / b + 2 * 6 * hop).epsilon(0.01));
        // One x ring (GPUs 0-3).
        const auto row = once(c, BenchmarkOp::all_reduce, 4, s);
        CHECK(row.time.count() == doctest::Approx(0.75 * s / b + 2 * 3 * hop).epsilon(0.01));
    }
}

TEST_CASE("torus: a dimension of extent 2 is one link carrying both ports") {
    // 2 x 4 x 4: the 2 chips of an x ring are joined by both x ports, one link of 200 GB/s each
    // way. All-reduce between 2 chips sends S/2 (reduce-scatter) + S/2 (all-gather) each way:
    // S / (2 x 100 GB/s) = 0.5 S / B. Then y carries 2 (3/4)(S/2) / 2 = 3/8 S each way at B, z
    // 3/32 S: x is the slowest. Latency 2 (1 + 3 + 3) hops.
    const double b = 100e9 * kScaleUpFraction;
    const double s = 1073741824.0;
    const auto c = torus_slice({2, 4, 4});
    const auto ar = once(c, BenchmarkOp::all_reduce, 32, s);
    CHECK(ar.algorithm == Algorithm::torus_ring);
    CHECK(ar.time.count() == doctest::Approx(0.5 * s / b + 2 * 7 * 1e-6).epsilon(0.01));
}

TEST_CASE("torus: all-to-all with dimension-order routing loads each link with 2 X Y Z / 4 flows on a 4x4x4 "
          "slice") {
    // On a ring of 4, link c -> c+1 carries c -> c+1, c -> c+2 when c is even (ties split by the
    // source's parity) and c-1 -> c+1 when c-1 is even: 2 flows of the ring's 4 x 3. In x, the
    // flows of one row go to all 16 (y, z) destinations: 2 x 16 = 32 flows per link; y and z
    // likewise. One class at a common rate: each flow S/64 at f B / 32, so T = S / (2 f B);
    // latency: the longest route, 2 + 2 + 2 hops.
    const double b = 100e9 * kScaleUpFraction;
    const double s = 1073741824.0;
    const auto c = torus_slice({4, 4, 4});
    const auto a2a = once(c, BenchmarkOp::all_to_all, 64, s);
    CHECK(a2a.time.count() == doctest::Approx(s / (2 * b) + 6e-6).epsilon(0.01));
}

TEST_CASE("torus: a group that is not a whole sub-torus runs the plain ring") {
    // GPUs 0-7 of a 4x4x4 slice: x full, y only 0 and 1 of 4: no wrap-around ring in y.
    const auto c = torus_slice({4, 4, 4});
    const auto ar = once(c, BenchmarkOp::all_reduce, 8, 1048576.0);
    CHECK(ar.algorithm == Algorithm::ring);
}

TEST_CASE("twisted torus: an x line is no closed ring, so its two rings share each link and take twice as long") {
    // 4 x 4 x 8 twisted: chip (3,0,0)'s x wrap-around goes to (0,0,4), so the ring step from
    // x = 3 to x = 0 (chips 0-3 at y = z = 0) goes back along the line, 3 hops (the crossing way
    // is 1 + 4 hops), on the - links, which carry the - ring's own steps too; likewise the -
    // ring's step 0 -> 3 on the + links. Each direction's ring sends (n-1)/n S per step
    // (2 (n-1)/n S of all-reduce, half each way) = 0.75 S over links shared by two flows:
    // 0.75 S / (f B / 2) = 1.5 S / (f B); latency 2 (n-1) steps of the longest, 3 hops.
    // The plain torus: 0.75 S / (f B) + 2 x 3 hops of one link.
    const double b = 100e9 * kScaleUpFraction;
    const double s = 1073741824.0;
    auto c = torus_slice({4, 4, 8});
    c.scale_up.twisted = true;
    const auto ar = once(c, BenchmarkOp::all_reduce, 4, s);
    CHECK(ar.algorithm == Algorithm::torus_ring);
    CHECK(ar.time.count() == doctest::Approx(1.5 * s / b + 2 * 3 * 3e-6).epsilon(0.01));
    const auto plain = once(torus_slice({4, 4, 8}), BenchmarkOp::all_reduce, 4, s);
    CHECK(plain.algorithm == Algorithm::torus_ring);
    CHECK(plain.time.count() == doctest::Approx(0.75 * s / b + 2 * 3 * 1e-6).epsilon(0.01));
}

TEST_CASE("twisted torus: all-to-all over the whole slice is faster than on the plain torus") {
    // The twist shortens the longest routes (TPU v4 paper: better all-to-all on twisted tori):
    // the same bytes over the same links, fewer hops per flow, so less load per link.
    const double s = 1073741824.0;
    auto twisted = torus_slice({4, 4, 8});
    twisted.scale_up.twisted = true;
    const auto a2a_twisted = once(twisted, BenchmarkOp::all_to_all, 128, s);
    const auto a2a_plain = once(torus_slice({4, 4, 8}), BenchmarkOp::all_to_all, 128, s);
    CHECK(a2a_twisted.time.count() < a2a_plain.time.count());
}

TEST_CASE("multislice: an all-reduce over two slices crosses the data-center network") {
    // Two 4x4x4 slices, 16 DCN NICs of 200 Gb/s each: 128 chips share 16 x 25 GB/s per slice,
    // far below ICI; whatever the algorithm, the time exceeds that of the same bytes on ICI.
    const auto c = torus_slice({4, 4, 4}, 2);
    const double s = 1073741824.0;
    const auto two = once(c, BenchmarkOp::all_reduce, 128, s);
    const auto one = once(c, BenchmarkOp::all_reduce, 64, s);
    CHECK(two.time.count() > one.time.count());
    // Lower bound: each slice must receive the other's partial sums, S bytes, over its 16 NICs
    // of 25 GB/s at the network fraction 0.94.
    CHECK(two.time.count() > s / (16 * 25e9 * 0.94) * 0.99);
}
