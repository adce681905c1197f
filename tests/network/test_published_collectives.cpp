// Every NCCL and DeepEP figure of the shared component benchmarks (component_benchmarks.csv,
// rows named by id below with their published values), reproduced by the collective benchmark
// within 10% at the message size the source used.
//
// Link efficiencies (NCCL's per link kind, NVLS's and DeepEP's own) are the shipped ones, read
// from topologies/efficiency/<generation>.toml, so this test checks the files' values (their
// derivations are in the files).
#include "network/collective_benchmark.hpp"

#include "config/config_files.hpp"
#include "config/load_efficiency.hpp"

#include "test_clusters.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace tcsim;
using network::Algorithm;
using network::BenchmarkOp;
using network::CollectiveBenchmarkSpec;

namespace {

constexpr double GiB = 1073741824.0;

hardware::LinkEfficiency shipped_links(const std::string& generation) {
    const config::DiskFiles files;
    return config::load_efficiency(files, "topologies/efficiency/" + generation + ".toml").links;
}

test::ClusterShape shape(const std::string& gpu, const std::string& generation, double nvlink_bidirectional,
                         int nodes) {
    test::ClusterShape s;
    s.gpu = gpu;
    s.nvlink_bidirectional_gbps = nvlink_bidirectional;
    s.nodes = nodes;
    s.links = shipped_links(generation);
    return s;
}

test::ClusterShape hopper(const std::string& gpu, double nvlink_bidirectional, int nodes) {
    return shape(gpu, "hopper", nvlink_bidirectional, nodes);
}

/// DeepSeek's H800 cluster: 8 x 400 Gb/s CX7 per node, 8-plane 2-tier fat tree of 64-port
/// switches (hardware_and_pricing.md 3e). DeepEP's V1 figures were measured on it.
test::ClusterShape h800_mpft(int nodes) {
    auto s = hopper("H800-SXM", 400, nodes);
    s.fabric = topology::FabricKind::multi_plane;
    s.planes = 8;
    return s;
}

network::CollectiveBenchmarkRow run(const test::ClusterShape& shape, BenchmarkOp op, int gpus, double size,
                                    Algorithm algorithm = Algorithm::automatic, double token_bytes = 0,
                                    int max_nodes = 4) {
    CollectiveBenchmarkSpec spec;
    spec.op = op;
    spec.gpus = gpus;
    spec.sizes = {units::Bytes(size)};
    spec.algorithm = algorithm;
    if (token_bytes > 0) spec.token_bytes = units::Bytes(token_bytes);
    spec.max_nodes = max_nodes;
    return network::run_collective_benchmark(test::make_cluster(shape), spec).at(0);
}

double gbps(units::Bandwidth b) { return b.value() / 1e9; }

// DeepSeek-V3 token sizes on the wire (hidden 7168): FP8 with one FP32 scale per 128 values for
// dispatch in the normal kernels (DeepEP tests: fp8_factor = (1 + 4/128) / 2 of BF16), BF16
// for combine; the low-latency FP8 message adds 16 bytes of metadata (DeepEP
// tests/test_low_latency.py: hidden + hidden / 128 * 4 + 16).
constexpr double kFp8Token = 7168.0 * (1.0 + 4.0 / 128.0);
constexpr double kBf16Token = 7168.0 * 2.0;
constexpr double kLowLatencyFp8Token = 7168.0 + 7168.0 / 128.0 * 4.0 + 16.0;

} // namespace

TEST_CASE("NCCL all-reduce bus bandwidth inside one node") {
    struct Row {
        const char* id;
        test::ClusterShape shape;
        Algorithm algorithm;
        double published_busbw; // GB/s
    };
    const auto a100 = shape("A100-80GB-SXM", "ampere", 600, 1);
    const std::vector<Row> rows{
        // "all-reduce busBw ~370 GB/s with ring" (NCCL maintainer, nccl-tests #212)
        {"nccl-h100-intranode-ring", hopper("H100-SXM", 900, 1), Algorithm::ring, 370},
        // "all-reduce peak busBw ~480 GB/s (algbw ~275 GB/s) at large sizes (>256 MB) with NVLS"
        {"nccl-h100-intranode-nvls", hopper("H100-SXM", 900, 1), Algorithm::automatic, 480},
        // "all-reduce peak busBw 475 GB/s (NCCL 2.20.3)"
        {"nccl-h200-intranode", hopper("H200-SXM", 900, 1), Algorithm::automatic, 475},
        // "all-reduce busBw 215 GB/s" (8 x H800, NVLink 400 GB/s bidirectional)
        {"nccl-h800-intranode", hopper("H800-SXM", 400, 1), Algorithm::automatic, 215},
        // "all-reduce busBw 232.5 GB/s single node"
        {"nccl-a100-intranode", a100, Algorithm::automatic, 232.5},
        // 8 x B200 all-reduce 16 GiB: 838.97 GB/s with NVLS (hardware_and_pricing.md 4c, exact)
        {"b200-intranode-nvls", shape("B200", "blackwell", 1800, 1), Algorithm::automatic, 838.97},
    };
    for (const Row& r : rows) {
        CAPTURE(r.id);
        // nccl-tests' large-message plateau: 16 GiB, as the H200 measurement of 4c.
        const auto row = run(r.shape, BenchmarkOp::all_reduce, 8, 16 * GiB, r.algorithm);
        CHECK(gbps(row.busbw) == doctest::Approx(r.published_busbw).epsilon(0.10));
    }
}

TEST_CASE("NCCL all-reduce bus bandwidth across two nodes") {
    // nccl-h100-ndr-per-nic: "expect 46-48 GB/s per NIC (use NCCL_ALGO=RING for 2-node NIC
    // checks)", 16 H100 + ConnectX-7 NDR 400 Gb/s, one NIC per GPU.
    {
        const auto row = run(hopper("H100-SXM", 900, 2), BenchmarkOp::all_reduce, 16, 16 * GiB, Algorithm::ring);
        CHECK(gbps(row.busbw) / 8 == doctest::Approx(47).epsilon(0.10));
    }
    // nccl-a100-intranode: "2 nodes with 4x200Gb IB: 86 GB/s".
    {
        auto a100 = shape("A100-80GB-SXM", "ampere", 600, 2);
        a100.nics_per_node = 4;
        a100.nic_gbit = 200;
        const auto row = run(a100, BenchmarkOp::all_reduce, 16, 16 * GiB);
        CHECK(row.algorithm == Algorithm::ring);
        CHECK(gbps(row.busbw) == doctest::Approx(86).epsilon(0.10));
    }
    // nccl-dgx1-ib: "~48 GB/s with 4 IB adapters; 12.2 GB/s per 100 Gb/s card" (2 x DGX-1, V100,
    // 4 x EDR 100 Gb/s per node). DGX-1's hybrid cube-mesh NVLink is modelled as a switch: it is
    // not the bottleneck here.
    {
        auto v100 = shape("V100-SXM2-32GB", "volta", 300, 2);
        v100.nics_per_node = 4;
        v100.nic_gbit = 100;
        const auto row = run(v100, BenchmarkOp::all_reduce, 16, 16 * GiB);
        CHECK(gbps(row.busbw) == doctest::Approx(48).epsilon(0.10));
        CHECK(gbps(row.busbw) / 4 == doctest::Approx(12.2).epsilon(0.10));
    }
}

TEST_CASE("DeepEP V1 normal kernels on H800 (4,096 tokens, hidden 7168, top-8 on <= 4 nodes)") {
    // deepep-v1-normal-ep*: "Dispatch bottleneck bandwidth X GB/s, combine Y GB/s" (NVLink for
    // EP8, RDMA otherwise).
    struct Row {
        const char* id;
        int gpus;
        double dispatch;
        double combine;
    };
    const std::vector<Row> rows{
        {"deepep-v1-normal-ep8", 8, 153, 158},
        {"deepep-v1-normal-ep16", 16, 43, 43},
        {"deepep-v1-normal-ep32", 32, 58, 57},
        {"deepep-v1-normal-ep64", 64, 51, 50},
    };
    for (const Row& r : rows) {
        CAPTURE(r.id);
        const auto shape = h800_mpft(r.gpus / 8);
        const auto d = run(shape, BenchmarkOp::ep_dispatch, r.gpus, 4096 * kFp8Token, Algorithm::automatic, kFp8Token);
        const auto c = run(shape, BenchmarkOp::ep_combine, r.gpus, 4096 * kBf16Token, Algorithm::automatic, kBf16Token);
        CHECK(d.algorithm == Algorithm::deepep_normal);
        CHECK(gbps(d.busbw) == doctest::Approx(r.dispatch).epsilon(0.10));
        CHECK(gbps(c.busbw) == doctest::Approx(r.combine).epsilon(0.10));
    }
}

TEST_CASE("DeepEP V1 low-latency kernels on H800 (128 tokens, hidden 7168, top-8)") {
    // deepep-v1-ll-ep*: "Dispatch T us (X GB/s RDMA); combine T' us (Y GB/s)". Times compared.
    struct Row {
        const char* id;
        int gpus;
        double dispatch_us;
        double combine_us;
    };
    const std::vector<Row> rows{
        {"deepep-v1-ll-ep8", 8, 77, 114},      {"deepep-v1-ll-ep16", 16, 118, 195},
        {"deepep-v1-ll-ep32", 32, 155, 273},   {"deepep-v1-ll-ep64", 64, 173, 314},
        {"deepep-v1-ll-ep128", 128, 192, 369}, {"deepep-v1-ll-ep256", 256, 194, 360},
    };
    for (const Row& r : rows) {
        CAPTURE(r.id);
        const auto shape = h800_mpft(r.gpus / 8);
        const auto d = run(shape, BenchmarkOp::ep_dispatch, r.gpus, 128 * kLowLatencyFp8Token,
                           Algorithm::deepep_low_latency, kLowLatencyFp8Token, 0);
        const auto c =
            run(shape, BenchmarkOp::ep_combine, r.gpus, 128 * kBf16Token, Algorithm::deepep_low_latency, kBf16Token, 0);
        CHECK(d.time.count() * 1e6 == doctest::Approx(r.dispatch_us).epsilon(0.10));
        CHECK(c.time.count() * 1e6 == doctest::Approx(r.combine_us).epsilon(0.10));
    }
    // The reported bandwidth counts every token copy: deepep-v1-ll-ep8 "77 us (98 GB/s RDMA)".
    const auto d = run(h800_mpft(1), BenchmarkOp::ep_dispatch, 8, 128 * kLowLatencyFp8Token,
                       Algorithm::deepep_low_latency, kLowLatencyFp8Token, 0);
    CHECK(gbps(d.busbw) == doctest::Approx(98).epsilon(0.10));
}

TEST_CASE("DeepEP V2 (8K tokens, hidden 7168, top-8)") {
    // deepep-v2-*: "Dispatch X GB/s (RDMA|NVLink), combine Y GB/s ... (logical bandwidth incl.
    // local-rank traffic)". SM90 rows: Hopper with CX7, taken as H100 SXM (the row does not name
    // the GPU); SM100 rows: B200 (NVLink 5, 1.8 TB/s) with CX7.
    auto sm90 = hopper("H100-SXM", 900, 4);
    const auto sm100 = shape("B200", "blackwell", 1800, 2);
    struct Row {
        const char* id;
        test::ClusterShape shape;
        int gpus;
        double dispatch;
        double combine;
    };
    const std::vector<Row> rows{
        {"deepep-v2-sm90-ep8x2-12sm", sm90, 16, 90, 81},   {"deepep-v2-sm90-ep8x4-6sm", sm90, 32, 61, 61},
        {"deepep-v2-sm100-ep8x2-12sm", sm100, 16, 90, 91}, {"deepep-v2-sm100-ep8-64sm", sm100, 8, 726, 740},
        {"deepep-v2-sm100-ep8-24sm", sm100, 8, 643, 675},
    };
    for (const Row& r : rows) {
        CAPTURE(r.id);
        const auto d =
            run(r.shape, BenchmarkOp::ep_dispatch, r.gpus, 8192 * kFp8Token, Algorithm::automatic, kFp8Token, 0);
        const auto c =
            run(r.shape, BenchmarkOp::ep_combine, r.gpus, 8192 * kBf16Token, Algorithm::automatic, kBf16Token, 0);
        CHECK(gbps(d.busbw) == doctest::Approx(r.dispatch).epsilon(0.10));
        CHECK(gbps(c.busbw) == doctest::Approx(r.combine).epsilon(0.10));
    }
}

TEST_CASE("forced onto pairwise, an expert dispatch is NCCL's all-to-all of every token copy") {
    // 4,096 tokens x top-8 on two H800 nodes (16 GPUs): the same flows as nccl-tests' all-to-all
    // of the copies a rank sends (4,096 x 8 x token bytes), so the same time, and busbw counted as
    // nccl-tests counts the all-to-all's.
    const auto shape = h800_mpft(2);
    const double copies = 4096.0 * 8 * kBf16Token;
    const auto ep = run(shape, BenchmarkOp::ep_dispatch, 16, 4096 * kBf16Token, Algorithm::pairwise, kBf16Token, 0);
    const auto a2a = run(shape, BenchmarkOp::all_to_all, 16, copies, Algorithm::pairwise);
    CHECK(ep.algorithm == Algorithm::pairwise);
    CHECK(ep.time.count() == doctest::Approx(a2a.time.count()).epsilon(1e-12));
    CHECK(gbps(ep.busbw) == doctest::Approx(gbps(a2a.busbw)).epsilon(1e-12));
    // DeepEP's kernels send each token once to the other node (NCCL: 4 copies), then forward it
    // over H800's slower NVLink, which bounds them here: still the faster of the two.
    const auto deepep = run(shape, BenchmarkOp::ep_dispatch, 16, 4096 * kBf16Token, Algorithm::automatic, kBf16Token, 0);
    CHECK(deepep.algorithm == Algorithm::deepep_normal);
    CHECK(deepep.time.count() < ep.time.count());
}
