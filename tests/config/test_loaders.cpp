// Every shipped configuration file loads, and the numbers that matter read back as published.
#include "config/builtin_files.hpp"
#include "config/config_files.hpp"
#include "config/load_claim.hpp"
#include "config/load_cluster.hpp"
#include "config/load_datacenter.hpp"
#include "config/load_efficiency.hpp"
#include "config/load_gpu_catalog.hpp"
#include "config/load_prices.hpp"
#include "config/load_workload.hpp"
#include "config/overrides.hpp"
#include "config_error_capture.hpp"
#include "hardware/nvswitch.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

using namespace tcsim;
using namespace tcsim::config;

namespace {

/// Paths, relative to the source root, of the `.toml` files directly in `folder`.
std::vector<std::string> shipped(const std::string& folder) {
    std::vector<std::string> out;
    for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(TCSIM_SOURCE_DIR) / folder))
        if (entry.is_regular_file() && entry.path().extension() == ".toml")
            out.push_back(folder + "/" + entry.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
}

bool is_cluster_file(const std::string& path) {
    return path != "topologies/gpus.toml" && path != "topologies/prices.toml" && path != "topologies/datacenter.toml" &&
           path != "topologies/mfu_records.toml" && path != "topologies/model_uncertainty.toml";
}

const DiskFiles& disk() {
    static const DiskFiles files(TCSIM_SOURCE_DIR);
    return files;
}

} // namespace

TEST_CASE("every shipped cluster, efficiency and workload file loads") {
    const auto topologies = shipped("topologies");
    CHECK(std::count_if(topologies.begin(), topologies.end(), is_cluster_file) >= 5);
    for (const auto& path : topologies) {
        CAPTURE(path);
        if (is_cluster_file(path)) {
            const auto c = load_cluster(disk(), path);
            CHECK(c.gpus() > 0);
            CHECK(c.network_per_gpu().value() > 0.0);
        }
    }
    const auto efficiency = shipped("topologies/efficiency");
    CHECK(efficiency.size() >= 4);
    for (const auto& path : efficiency) {
        CAPTURE(path);
        const auto e = load_efficiency(disk(), path);
        CHECK(e.compute.gemm_bf16.peak_fraction > 0.0);
        CHECK(e.links.fraction("network") > 0.0);
    }
    const auto workloads = shipped("workloads");
    CHECK(workloads.size() >= 3);
    for (const auto& path : workloads) {
        CAPTURE(path);
        const auto w = load_workload(disk(), path);
        CHECK(w.parallel.gpus() > 0);
        CHECK(w.training.tokens > 0.0);
    }
}

TEST_CASE("GPU catalog: dense peaks, memory and NVLink as in the datasheets") {
    const auto catalog = load_gpu_catalog(disk(), "topologies/gpus.toml");
    for (const char* name : {"A100-80GB-SXM", "H100-SXM", "H800-SXM", "H200-SXM", "B200", "V100-SXM2-32GB"})
        CHECK_MESSAGE(catalog.contains(name), name);
    using hardware::Dtype;
    const auto& h800 = catalog.find("H800-SXM");
    // hardware_and_pricing.md 1a: H800 BF16 989.4 / FP8 1,979 dense, NVLink 400 GB/s bidirectional.
    CHECK(h800.peak(Dtype::bf16).value() == doctest::Approx(989.4e12));
    CHECK(h800.peak(Dtype::fp8).value() == doctest::Approx(1979e12));
    CHECK(h800.nvlink_per_direction().value() == doctest::Approx(200e9));
    CHECK(h800.hbm_capacity.value() == doctest::Approx(80.0 * 1024 * 1024 * 1024));
    CHECK(h800.hbm_bandwidth.value() == doctest::Approx(3.35e12));
    CHECK(h800.compute_units == 132);
    // A100 has no FP8: absent in the file means zero.
    CHECK(catalog.find("A100-80GB-SXM").peak(Dtype::fp8).value() == 0.0);
    CHECK(catalog.find("A100-80GB-SXM").peak(Dtype::bf16).value() == doctest::Approx(312e12));
    CHECK(catalog.find("V100-SXM2-32GB").peak(Dtype::tf32).value() == 0.0);
    CHECK(catalog.find("B200").nvlink_bidirectional.value() == doctest::Approx(1.8e12));
    CHECK(catalog.find("H200-SXM").hbm_capacity.value() == doctest::Approx(141e9));
}

TEST_CASE("DeepSeek-V3 cluster: 2,048 H800, 400 Gb/s per GPU, 8-plane fat tree") {
    const auto c = load_cluster(disk(), "topologies/deepseek-v3-h800.toml");
    CHECK(c.gpus() == 2048);
    CHECK(c.gpu.name == "H800-SXM");
    CHECK(c.nvlink_per_direction.value() == doctest::Approx(200e9));
    // arXiv:2412.19437 3.2.2: "IB (50 GB/s)" per GPU.
    CHECK(c.network_per_gpu().value() == doctest::Approx(50e9));
    CHECK(c.fabric.kind == topology::FabricKind::multi_plane);
    CHECK(c.fabric.planes == 8);
    CHECK(c.fabric.tiers == 2);
    CHECK(c.fabric.switch_radix == 64);
    CHECK(c.fabric.latency.count() == doctest::Approx(3.7e-6));
    CHECK(c.efficiency.compute.gemm_fp8.peak_fraction == doctest::Approx(0.9044));
    CHECK(c.efficiency.links.fraction("nvlink") == doctest::Approx(0.82));
}

TEST_CASE("Blackwell's GEMM curves take the output-tile form, fitted on XLA's B200 table") {
    const auto e = load_efficiency(disk(), "topologies/efficiency/blackwell.toml");
    for (const auto* g : {&e.compute.gemm_bf16, &e.compute.gemm_fp8}) {
        CHECK(g->mn_half > 1e5); // output elements: hundreds of thousands to millions
        CHECK(g->m_half == 0.0);
        CHECK(g->n_half == 0.0);
        CHECK(g->k_half > 0.0);
        CHECK(g->peak_fraction == doctest::Approx(1.0)); // the asymptote held at the dense peak
        // The largest shapes reach MAMF's best, and no further.
        const double at_8192 = g->peak_fraction * (8192.0 * 8192) / (8192.0 * 8192 + g->mn_half) * 8192 / (8192 + g->k_half);
        CHECK(at_8192 > g->ceiling);
    }
    CHECK(e.compute.gemm_bf16.ceiling == doctest::Approx(1745.0 / 2250).epsilon(0.001));
    // Hopper keeps the separable form.
    const auto hopper = load_efficiency(disk(), "topologies/efficiency/hopper.toml");
    CHECK(hopper.compute.gemm_bf16.mn_half == 0.0);
    CHECK(hopper.compute.gemm_bf16.m_half > 0.0);
}

TEST_CASE("Hopper efficiency parameters") {
    const auto e = load_efficiency(disk(), "topologies/efficiency/hopper.toml");
    // The values `tcsim calibrate --train deepgemm` wrote (calibrations/deepgemm.toml).
    CHECK(e.compute.gemm_bf16.peak_fraction == doctest::Approx(0.978));
    CHECK(e.compute.gemm_fp8.peak_fraction == doctest::Approx(0.9044));
    CHECK(e.compute.gemm_fp8.m_half == doctest::Approx(74.33));
    CHECK(e.compute.gemm_fp8.n_half == doctest::Approx(987.1));
    CHECK(e.compute.attention_forward == doctest::Approx(0.60));
    CHECK(e.compute.attention_backward == doctest::Approx(0.45));
    CHECK(e.compute.memory == doctest::Approx(0.90));
    CHECK(e.compute.kernel_launch.count() == doctest::Approx(4e-6));
    // MAMF's best H100 BF16 shape caps the curve; the sustained fraction is Ampere's fit.
    CHECK(e.compute.gemm_bf16.ceiling == doctest::Approx(0.803));
    // FP8: MAMF's best H100 SXM shape through cuBLAS, 1,402.6 of 1,979 TFLOP/s; DeepGEMM's up to
    // 1,550 on H800.
    CHECK(e.compute.gemm_fp8.ceiling == doctest::Approx(1402.6 / 1979).epsilon(0.001));
    REQUIRE(e.compute.gemm_fp8.deepgemm_ceiling.has_value());
    CHECK(*e.compute.gemm_fp8.deepgemm_ceiling == doctest::Approx(1550.0 / 1979).epsilon(0.001));
    CHECK(e.compute.sustained == load_efficiency(disk(), "topologies/efficiency/ampere.toml").compute.sustained);
    CHECK(e.links.fraction("network") == doctest::Approx(0.94));
    REQUIRE(e.links.nvls);
    // 8 x H100 NVLS: algbw ~275 GB/s moves S(1 + 1/8) per GPU of 450 GB/s (nccl-h100-intranode-nvls).
    CHECK(e.links.nvls->nvlink == doctest::Approx(275.0 * 9 / 8 / 450).epsilon(0.01));
    CHECK(e.links.nvls->latency.count() == doctest::Approx(23e-6));
    // DeepEP's fractions are fitted (calibrations/deepep.toml); they must stay inside what the
    // published rows bound (hopper.toml): NVLink between EP16's 0.61 and EP8's 0.69, RDMA within
    // the rows' 0.81-0.92, the low-latency overhead within the admissible 16-24 us.
    CHECK(e.links.deepep.nvlink >= 0.61);
    CHECK(e.links.deepep.nvlink <= 0.69);
    CHECK(e.links.deepep.network >= 0.81);
    CHECK(e.links.deepep.network <= 0.92);
    CHECK(e.links.deepep.low_latency_overhead.count() >= 16e-6);
    CHECK(e.links.deepep.low_latency_overhead.count() <= 24e-6);
    CHECK(e.compute.source.find("topologies/efficiency/hopper.toml") != std::string::npos);
    // Ampere has no FP8 GEMM table: all zero.
    const auto ampere = load_efficiency(disk(), "topologies/efficiency/ampere.toml");
    CHECK(ampere.compute.gemm_fp8.peak_fraction == 0.0);
    // ... and no NVLS (NVSwitch gen2).
    CHECK_FALSE(ampere.links.nvls);
    // Ampere's curve passes through MAMF's best (86.9 %) at 8192^3 and never exceeds it.
    const auto& g = ampere.compute.gemm_bf16;
    CHECK(g.ceiling == doctest::Approx(271.2 / 312).epsilon(0.001));
    const double at_8192 =
        g.peak_fraction * 8192 / (8192 + g.m_half) * 8192 / (8192 + g.n_half) * 8192 / (8192 + g.k_half);
    CHECK(at_8192 == doctest::Approx(g.ceiling).epsilon(0.001));
    // Its sustained fraction is fitted on Megatron-LM SC'21 training throughput: below one, and
    // the training GEMM (sustained x ceiling) well below the benchmark's best.
    CHECK(ampere.compute.sustained > 0.7);
    CHECK(ampere.compute.sustained < 0.9);
}

TEST_CASE("DeepSeek-V3 workload reads back as in the technical report") {
    const auto w = load_workload(disk(), "workloads/deepseek-v3.toml");
    // Sec. 3.3: FP8 GEMMs with fine-grained scaling, DeepSeek's own kernels (DeepGEMM).
    CHECK(w.training.gemm_dtype == hardware::Dtype::fp8);
    CHECK(w.training.fp8_gemm_library == hardware::GemmLibrary::deepgemm);
    // A workload that names none runs cuBLAS, as frameworks do.
    CHECK(load_workload(disk(), "workloads/llama4-maverick.toml").training.fp8_gemm_library ==
          hardware::GemmLibrary::cublas);
    const auto& m = w.model;
    CHECK(m.layers == 61);
    CHECK(m.hidden == 7168);
    CHECK(m.vocab == 129280);
    CHECK_FALSE(m.tied_embeddings);
    CHECK(m.mtp_modules == 1);
    CHECK(m.attention.kind == workload::AttentionKind::mla);
    CHECK(m.attention.heads == 128);
    CHECK(m.attention.q_lora_rank == 1536);
    CHECK(m.attention.kv_lora_rank == 512);
    CHECK(m.attention.qk_head_dim() == 192);
    CHECK(m.attention.v_dim() == 128);
    CHECK(m.ffn.dense_intermediate == 18432);
    CHECK(m.ffn.first_dense_layers == 3);
    CHECK(m.ffn.routed_experts == 256);
    CHECK(m.ffn.shared_experts == 1);
    CHECK(m.ffn.expert_intermediate == 2048);
    CHECK(m.ffn.top_k == 8);
    CHECK(m.ffn.max_nodes_per_token == 4);
    CHECK(m.is_moe_layer(3));
    CHECK_FALSE(m.is_moe_layer(2));

    const auto& t = w.training;
    CHECK(t.tokens == doctest::Approx(14.8e12));
    CHECK(t.seq_len == 4096);
    CHECK(t.global_batch_sequences == 15360);
    CHECK(t.ramp.start_sequences == 3072);
    CHECK(t.ramp.over_tokens == doctest::Approx(469e9));
    REQUIRE(t.extension.size() == 2);
    CHECK(t.extension[0].seq_len == 32768);
    CHECK(t.extension[0].global_batch_sequences == 1920);
    CHECK(t.extension[0].steps == 1000);
    CHECK(t.extension[1].seq_len == 131072);
    CHECK(t.extension[1].global_batch_sequences == 480);
    // Each extension stage's own layout: CP = seq_len / 4K, the ring passing MLA's latent.
    REQUIRE(t.extension[0].parallel.has_value());
    REQUIRE(t.extension[1].parallel.has_value());
    CHECK(t.extension[0].parallel->cp == 8);
    CHECK(t.extension[1].parallel->cp == 32);
    CHECK(t.extension[1].parallel->dp == 4);
    CHECK(t.extension[0].parallel->cp_pass == workload::CpPass::latent);
    CHECK(t.extension[1].parallel->cp_pass == workload::CpPass::latent);
    CHECK(w.parallel.cp_pass == workload::CpPass::kv); // pre-training: no CP, the default
    CHECK(t.gemm_dtype == hardware::Dtype::fp8);
    CHECK(t.attention_dtype == hardware::Dtype::bf16);
    CHECK(t.recompute == workload::Recompute::none);

    const auto& p = w.parallel;
    CHECK(p.tp == 1);
    CHECK(p.pp == 16);
    CHECK(p.dp == 128);
    CHECK(p.ep == 64);
    CHECK(p.gpus() == 2048);
    CHECK(p.schedule == workload::PipelineSchedule::dualpipe);
    CHECK(p.zero_stage == 1);
    CHECK(p.comm_fraction == 20.0 / 132.0); // comm_sms = 20 of comm_sms_of = 132
}

TEST_CASE("GPT-3 and Llama 3.1 workloads") {
    const auto gpt3 = load_workload(disk(), "workloads/gpt3-175b.toml");
    CHECK(gpt3.model.attention.kind == workload::AttentionKind::mha);
    CHECK(gpt3.model.attention.kv_heads == 96);
    CHECK(gpt3.model.position == workload::PositionKind::learned);
    CHECK(gpt3.model.max_position == 2048);
    CHECK(gpt3.model.norm == workload::NormKind::layernorm);
    CHECK(gpt3.model.ffn.activation == workload::Activation::gelu);
    CHECK(gpt3.model.ffn.dense_intermediate == 49152);
    CHECK(gpt3.training.gemm_dtype == hardware::Dtype::bf16); // fp16 shares bf16's peak
    CHECK(gpt3.training.recompute == workload::Recompute::full);
    CHECK(gpt3.parallel.gpus() == 1024);

    const auto llama = load_workload(disk(), "workloads/llama3.1-405b.toml");
    CHECK(llama.model.attention.kind == workload::AttentionKind::gqa);
    CHECK(llama.model.attention.kv_heads == 8);
    CHECK(llama.model.ffn.dense_intermediate == 53248);
    CHECK(llama.training.global_batch_sequences * llama.training.seq_len == 16777216); // 16M tokens
    CHECK(llama.parallel.gpus() == 16384);
    CHECK(llama.parallel.schedule == workload::PipelineSchedule::interleaved_1f1b);
    // Sec. 3.3.2: chunks of one unit, the embedding and the head on chunks of their own.
    CHECK(llama.parallel.virtual_stages * llama.parallel.pp == llama.model.layers + 2);
    CHECK(llama.parallel.split_embedding_and_loss);
    CHECK_FALSE(gpt3.parallel.split_embedding_and_loss);
    // FSDP: parameters gathered beside the forward, not after the optimizer.
    CHECK(llama.parallel.overlap_param_gather);
    CHECK_FALSE(gpt3.parallel.overlap_param_gather); // the default
    // Both split their layers by count as Megatron-LM does (96 / PP16; 128 units / 128 chunks).
    CHECK(gpt3.parallel.pipeline_split == workload::PipelineSplit::even);
    CHECK(llama.parallel.pipeline_split == workload::PipelineSplit::even);
    const auto bloom = load_workload(disk(), "workloads/bloom-176b.toml");
    CHECK(bloom.parallel.pipeline_split == workload::PipelineSplit::even); // 'type:transformer|embedding'
    CHECK(bloom.parallel.split_embedding_and_loss);
    const auto qwen = load_workload(disk(), "workloads/qwen3-235b-a22b.toml");
    CHECK(qwen.parallel.last_stage_layers == 10);
    CHECK(qwen.parallel.first_stage_layers == 0); // not set
    CHECK(load_workload(disk(), "workloads/deepseek-v3.toml").parallel.pipeline_split ==
          workload::PipelineSplit::balanced);
}

TEST_CASE("prices: DeepSeek's $2 per H800 GPU-hour, and a dated entry per GPU") {
    const auto prices = load_prices(disk(), "topologies/prices.toml");
    REQUIRE(prices.rental.count("H800-SXM") == 1);
    CHECK(prices.rental.at("H800-SXM").per_gpu_hour.value() == doctest::Approx(2.0));
    const auto catalog = load_gpu_catalog(disk(), "topologies/gpus.toml");
    for (const char* name : {"A100-80GB-SXM", "H100-SXM", "H800-SXM", "H200-SXM", "B200"}) {
        CAPTURE(name);
        REQUIRE(prices.rental.count(name) == 1);
        CHECK_FALSE(prices.rental.at(name).date.empty());
        CHECK(catalog.contains(name));
    }
}

TEST_CASE("the built-in files equal the shipped files, and the built-in scenario loads from them") {
    const EmbeddedFiles& builtin = builtin_files();
    for (const auto& path : {kBuiltinCluster, kBuiltinWorkload, kBuiltinPrices})
        CHECK(builtin.contains(std::string(path)));
    const auto paths = builtin.paths();
    CHECK(paths.size() >= 8);
    for (const auto& path : paths) {
        CAPTURE(path);
        CHECK(builtin.read(path) == disk().read(path));
    }
    for (const auto& path : shipped("topologies/efficiency")) CHECK_MESSAGE(builtin.contains(path), path);

    const auto cluster = load_cluster(builtin, std::string(kBuiltinCluster));
    const auto work = load_workload(builtin, std::string(kBuiltinWorkload));
    const auto prices = load_prices(builtin, std::string(kBuiltinPrices));
    CHECK(cluster.gpus() == work.parallel.gpus());
    CHECK(prices.rental.count(cluster.gpu.name) == 1);
}

TEST_CASE("run-level catalogs: datacenter assumptions, MFU records, ownership prices") {
    const auto d = load_datacenter(disk(), "topologies/datacenter.toml");
    // Llama 3: 419 interruptions in 54 days on 16,384 GPUs (arXiv:2407.21783 sec. 3.3.4).
    CHECK(d.reliability.failures_per_gpu_hour.value == doctest::Approx(419.0 / (16384 * 54 * 24)).epsilon(1e-4));
    REQUIRE(d.reliability.failures_per_gpu_hour_range.has_value());
    CHECK(d.reliability.failures_per_gpu_hour_range->low == doctest::Approx(1.0 / 120000));
    CHECK(d.reliability.restart_seconds.value == doctest::Approx(600));
    CHECK(d.reliability.storage_write_bytes_per_second.value == doctest::Approx(2e12));
    CHECK_FALSE(d.reliability.checkpoint_interval_seconds.has_value());
    CHECK(d.power.pue.value >= 1.0);
    const auto records = load_mfu_records(disk(), "topologies/mfu_records.toml");
    // Llama 3 405B, Table 4: 43 % BF16 MFU on 8,192 H100.
    CHECK(records.at("H100-SXM").mfu == doctest::Approx(0.43));
    const auto prices = load_prices(disk(), "topologies/prices.toml");
    CHECK(prices.purchase.at("H800-SXM").per_gpu.value() == doctest::Approx(33750));
    // DeepSeek ISCA'25 Table 3: $4.39K (MPFT) and $7.5K (3-tier fat tree) per endpoint.
    CHECK(prices.network.at(2).per_endpoint.value() == doctest::Approx(4390));
    CHECK(prices.network.at(3).per_endpoint.value() == doctest::Approx(7500));
    REQUIRE(prices.electricity.has_value());
    CHECK(prices.electricity->price.value() * 3.6e6 == doctest::Approx(0.0806));
    REQUIRE(prices.lifetime.has_value());
    CHECK(prices.lifetime->count() / 86400 / 365.25 == doctest::Approx(4.0));
}

TEST_CASE("accelerators beyond Hopper: vendors, compute units and scale-up links from their datasheets") {
    using hardware::Dtype;
    const auto catalog = load_gpu_catalog(disk(), "topologies/gpus.toml");
    // hardware_and_pricing.md 1b: MI300X BF16 1,307.4 dense, 192 GB at 5.3 TB/s, IF 7 x 128 = 896 GB/s.
    const auto& mi300x = catalog.find("MI300X");
    CHECK(mi300x.vendor == "AMD");
    CHECK(mi300x.scale_up_link == "Infinity Fabric");
    CHECK(mi300x.peak(Dtype::bf16).value() == doctest::Approx(1307.4e12));
    CHECK(mi300x.nvlink_per_direction().value() == doctest::Approx(7 * 128e9 / 2));
    CHECK(mi300x.compute_units == 304);
    // Google's v5p page: 459 TFLOP/s BF16, 1,200 GBps bidirectional ICI, 2 TensorCores.
    const auto& v5p = catalog.find("TPU-v5p");
    CHECK(v5p.vendor == "Google");
    CHECK(v5p.peak(Dtype::bf16).value() == doctest::Approx(459e12));
    CHECK(v5p.nvlink_per_direction().value() == doctest::Approx(600e9));
    // Gaudi 3: 24 x 200 GbE = 600 GB/s each way (1.2 TB/s bidirectional).
    CHECK(catalog.find("Gaudi3").nvlink_per_direction().value() == doctest::Approx(24 * 200e9 / 8));
    // The Ascend 910B has no FP8 tensor rate: absent means zero.
    CHECK(catalog.find("Ascend-910B").peak(Dtype::fp8).value() == 0.0);
    CHECK(catalog.find("GB200").peak(Dtype::nvfp4).value() == doctest::Approx(2 * 5000e12));
    // NVLS only where an NVSwitch reduces: not AMD, not the bridged H200 NVL, not a PCIe card.
    CHECK(hardware::supports_nvls(catalog.find("GB200")));
    CHECK_FALSE(hardware::supports_nvls(mi300x));
    CHECK_FALSE(hardware::supports_nvls(catalog.find("H200-NVL")));
    CHECK_FALSE(hardware::supports_nvls(catalog.find("L40S")));
}

TEST_CASE("a borrowed efficiency file is the lender's parameters, said so, without NVLS") {
    const auto hopper = load_efficiency(disk(), "topologies/efficiency/hopper.toml");
    const auto tpu = load_efficiency(disk(), "topologies/efficiency/tpu.toml");
    CHECK(hopper.borrowed.empty());
    CHECK(tpu.borrowed.find("topologies/efficiency/hopper.toml") != std::string::npos);
    CHECK(tpu.compute.sustained == hopper.compute.sustained);
    CHECK(tpu.links.fraction("network") == hopper.links.fraction("network"));
    CHECK_FALSE(tpu.links.nvls.has_value());
}

namespace {

/// The shipped cluster file at `path` loaded with `--set` overrides `sets`.
topology::ClusterSpec cluster_with(const std::string& path, std::initializer_list<const char*> sets) {
    Overrides o;
    for (const char* s : sets) o.add_set(s);
    DiskFiles files(TCSIM_SOURCE_DIR);
    files.set_overrides(o);
    return load_cluster(files, path);
}

} // namespace

TEST_CASE("[scale_up] job_gpus: the job's share of each switched domain, with the NICs that serve it") {
    // Slurm block scheduling with --segment=16 on GB200 NVL72: 16 of 18 four-GPU trays, 64 of 72
    // GPUs and their 64 of 72 NICs; 32 racks give exactly 2,048 GPUs.
    const auto c = cluster_with("topologies/gb200-nvl72-cluster.toml", {"cluster.scale_up.job_gpus=64"});
    CHECK(c.gpus_per_node == 64);
    CHECK(c.scale_up.domain_gpus == 72);
    CHECK(c.nics_per_node == 64);
    CHECK(c.gpus() == 2048);
    CHECK(c.network_per_gpu().value() == doctest::Approx(50e9)); // still one 400 Gb/s NIC per GPU
    CHECK(c.name.find("64 of 72 GPUs per scale-up domain") != std::string::npos);
    // The whole domain is the file as it was.
    const auto whole = cluster_with("topologies/gb200-nvl72-cluster.toml", {"cluster.scale_up.job_gpus=72"});
    CHECK(whole.gpus_per_node == 72);
    CHECK(whole.scale_up.domain_gpus == 0);
}

TEST_CASE("[scale_up] job_gpus and twisted are refused where the fabric cannot have them, naming the key") {
    using testing::config_error_from;
    const ConfigError more = config_error_from(
        [] { (void)cluster_with("topologies/gb200-nvl72-cluster.toml", {"cluster.scale_up.job_gpus=80"}); });
    CHECK(more.key() == "scale_up.job_gpus");
    CHECK(more.problem().find("at most the domain's gpus_per_node (72)") != std::string::npos);
    // A full mesh or a torus needs all its chips: each one's links are sized for all of them.
    const ConfigError mesh = config_error_from(
        [] { (void)cluster_with("topologies/mi300x-cluster.toml", {"cluster.scale_up.job_gpus=4"}); });
    CHECK(mesh.key() == "scale_up.job_gpus");
    CHECK(mesh.problem().find("applies only to kind = \"switch\"") != std::string::npos);
    // A node of 8 GPUs and 4 NICs cannot give a job of 3 GPUs a whole number of NICs (1.5).
    const ConfigError nics = config_error_from([] {
        (void)cluster_with("topologies/dgx-h100-superpod.toml",
                           {"cluster.nics_per_node=4", "cluster.scale_up.job_gpus=3"});
    });
    CHECK(nics.key() == "scale_up.job_gpus");
    // Twisted: TPU v4/v5p slices of k x k x 2k or k x 2k x 2k only.
    const auto pod = cluster_with("topologies/tpu-v5p-pod.toml", {"cluster.scale_up.twisted=true"});
    CHECK(pod.scale_up.twisted);
    const ConfigError cube = config_error_from([] {
        (void)cluster_with("topologies/tpu-v5p-pod.toml",
                           {"cluster.scale_up.torus=8x8x32", "cluster.scale_up.twisted=true"});
    });
    CHECK(cube.key() == "scale_up.twisted");
    CHECK(cube.problem().find("k x k x 2k or k x 2k x 2k") != std::string::npos);
    const ConfigError switched = config_error_from(
        [] { (void)cluster_with("topologies/gb200-nvl72-cluster.toml", {"cluster.scale_up.twisted=true"}); });
    CHECK(switched.key() == "scale_up.twisted");
}

TEST_CASE("every accelerator issue 17 asks for is in the catalog, with its maker and a whole datasheet") {
    // Issue 17, "What must exist" item 1: the entries and their vendors. Each must carry a dense
    // BF16 peak, memory and its bandwidth, a scale-up bandwidth, a TDP, its compute units and a
    // source; an FP8 peak, where the part has one, is at least its BF16 peak (same units, half the
    // bits).
    using hardware::Dtype;
    const auto catalog = load_gpu_catalog(disk(), "topologies/gpus.toml");
    const std::pair<const char*, const char*> entries[] = {
        {"GB200", "NVIDIA"},    {"GB300", "NVIDIA"},         {"B300", "NVIDIA"},        {"H20", "NVIDIA"},
        {"A800-SXM", "NVIDIA"}, {"A100-40GB-SXM", "NVIDIA"}, {"H200-NVL", "NVIDIA"},    {"L40S", "NVIDIA"},
        {"MI250X", "AMD"},      {"MI300X", "AMD"},           {"MI325X", "AMD"},         {"MI355X", "AMD"},
        {"TPU-v4", "Google"},   {"TPU-v5p", "Google"},       {"TPU-v6e", "Google"},     {"TPU-v7", "Google"},
        {"Gaudi2", "Intel"},    {"Gaudi3", "Intel"},         {"Ascend-910B", "Huawei"}, {"Ascend-910C", "Huawei"},
    };
    for (const auto& [name, vendor] : entries) {
        CAPTURE(name);
        REQUIRE(catalog.contains(name));
        const auto& g = catalog.find(name);
        CHECK(g.vendor == vendor);
        CHECK(g.peak(Dtype::bf16).value() > 0.0);
        if (g.peak(Dtype::fp8).value() > 0.0) CHECK(g.peak(Dtype::fp8).value() >= g.peak(Dtype::bf16).value());
        CHECK(g.hbm_capacity.value() > 0.0);
        CHECK(g.hbm_bandwidth.value() > 0.0);
        CHECK(g.nvlink_bidirectional.value() > 0.0);
        CHECK_FALSE(g.scale_up_link.empty());
        CHECK(g.tdp.value() > 0.0);
        CHECK(g.compute_units > 0);
        CHECK_FALSE(g.source.empty());
    }
}
