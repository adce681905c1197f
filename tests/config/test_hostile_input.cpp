// Hostile input (issue 15): values the TOML reader accepts as numbers but that no real model or
// cluster has are refused by the loaders, before any work, at their file, line and key with the
// key's range (config/limits.hpp). Each row edits one line of a shipped file in memory (the
// built-in DeepSeek-V3 cluster, workload, GPU catalog, price list, datacenter assumptions, Hopper
// efficiency, claim and published figures) and loads it through the real
// loader; the message must start with FILE:LINE: and name the key and the words given.
// Rows marked "overflow" are the values that used to wrap int arithmetic (UBSan) and print
// figures computed from wrapped values; "internal error" rows used to exit 1.
#include "config/builtin_files.hpp"
#include "config/config_files.hpp"
#include "config/load_claim.hpp"
#include "config/load_cluster.hpp"
#include "config/load_datacenter.hpp"
#include "config/load_efficiency.hpp"
#include "config/load_gpu_catalog.hpp"
#include "config/load_prices.hpp"
#include "config/load_published.hpp"
#include "config/load_workload.hpp"
#include "config_error_capture.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <vector>

using namespace tcsim;
using namespace tcsim::config;
using tcsim::config::testing::config_error_from;
using tcsim::config::testing::line_of;
using tcsim::config::testing::line_replaced;

namespace {

enum class Target { cluster, workload, gpus, prices, datacenter, efficiency, claim, published };

struct HostileCase {
    Target target;
    const char* line_start; ///< the line to replace starts so (after a newline); "" with `after`
    const char* line;       ///< the new line
    const char* key;        ///< the dotted key the message must name
    const char* words;      ///< words the message must contain
};

// clang-format off
const std::vector<HostileCase> kCases = {
    // [model]: the hang (quadratic work before the memory refusal) and silent nonsense.
    {Target::workload, "layers = ", "layers = 1000000", "model.layers", "from 1 to 10000, found 1000000"},
    {Target::workload, "layers = ", "layers = 0", "model.layers", "expected a positive integer, found 0"},
    {Target::workload, "layers = ", "layers = -61", "model.layers", "found -61"},
    {Target::workload, "layers = ", "layers = 61.5", "model.layers", "expected a positive integer, found floating-point"},
    {Target::workload, "layers = ", "layers = \"61\"", "model.layers", "found string"},
    {Target::workload, "hidden = ", "hidden = 1000000000", "model.hidden", "from 1 to 1000000, found 1000000000"},
    {Target::workload, "hidden = ", "hidden = 99999999999999999", "model.hidden", "found 99999999999999999"},
    {Target::workload, "vocab = ", "vocab = 1000000000000", "model.vocab", "from 1 to 100000000"},
    {Target::workload, "mtp_modules = ", "mtp_modules = 2147483647", "model.mtp_modules", "from 0 to 1000"},
    // [model.attention]
    {Target::workload, "heads = ", "heads = 2147483647", "model.attention.heads", "from 1 to 100000"},
    {Target::workload, "q_lora_rank = ", "q_lora_rank = 2147483647", "model.attention.q_lora_rank", "from 0 to 1000000"},
    // overflow: activation_bytes_per_token multiplied kv_lora_rank in int
    {Target::workload, "kv_lora_rank = ", "kv_lora_rank = 2147483647", "model.attention.kv_lora_rank", "from 1 to 1000000"},
    {Target::workload, "qk_nope_head_dim = ", "qk_nope_head_dim = 2147483647", "model.attention.qk_nope_head_dim", "from 1 to 100000"},
    {Target::workload, "qk_rope_head_dim = ", "qk_rope_head_dim = 1000000", "model.attention.qk_rope_head_dim", "from 1 to 100000"},
    {Target::workload, "v_head_dim = ", "v_head_dim = 0", "model.attention.v_head_dim", "expected a positive integer, found 0"},
    // [model.ffn]
    {Target::workload, "dense_intermediate = ", "dense_intermediate = 2147483647", "model.ffn.dense_intermediate", "from 1 to 10000000"},
    {Target::workload, "routed_experts = ", "routed_experts = 2000000000", "model.ffn.routed_experts", "from 0 to 1000000"},
    {Target::workload, "shared_experts = ", "shared_experts = 1000000", "model.ffn.shared_experts", "from 0 to 10000"},
    {Target::workload, "expert_intermediate = ", "expert_intermediate = 100000000", "model.ffn.expert_intermediate", "from 1 to 10000000"},
    {Target::workload, "top_k = ", "top_k = 100000", "model.ffn.top_k", "from 1 to 10000"},
    {Target::workload, "first_dense_layers = ", "first_dense_layers = 100000", "model.ffn.first_dense_layers", "from 0 to 10000"},
    {Target::workload, "max_nodes_per_token = ", "max_nodes_per_token = 2147483647", "model.ffn.max_nodes_per_token", "from 0 to 10000000"},
    // [training]: internal error (tokens = 1e30), zero steps (tokens = 1), overflow (seq_len + 1)
    {Target::workload, "tokens = ", "tokens = 1e30", "training.tokens", "from 1 to 1e+18, found 1e+30"},
    {Target::workload, "tokens = ", "tokens = 1", "training.tokens", "at least one global batch of tokens"},
    {Target::workload, "tokens = ", "tokens = 0.5", "training.tokens", "from 1 to 1e+18"},
    {Target::workload, "tokens = ", "tokens = nan", "training.tokens", "expected a finite number"},
    {Target::workload, "tokens = ", "tokens = inf", "training.tokens", "expected a finite number"},
    {Target::workload, "tokens = ", "tokens = -14.8e12", "training.tokens", "found -1.48e+13"},
    {Target::workload, "seq_len = 4096", "seq_len = 2147483647", "training.seq_len", "from 1 to 100000000, found 2147483647"},
    {Target::workload, "seq_len = 4096", "seq_len = 0", "training.seq_len", "found 0"},
    {Target::workload, "global_batch_sequences = 15360", "global_batch_sequences = 2147483647", "training.global_batch_sequences", "from 1 to 100000000"},
    {Target::workload, "seq_len = 32768", "seq_len = 1000000000", "training.extension[0].seq_len", "from 1 to 100000000"},
    // [parallel]
    {Target::workload, "tp = 1", "tp = 2147483647", "parallel.tp", "from 1 to 10000000"},
    {Target::workload, "pp = 16", "pp = 100000000", "parallel.pp", "from 1 to 10000000"},
    {Target::workload, "dp = 128", "dp = 9223372036854775807", "parallel.dp", "found 9223372036854775807"},
    {Target::workload, "ep = 64", "ep = 0", "parallel.ep", "expected a positive integer, found 0"},
    {Target::workload, "micro_batch_sequences = ", "micro_batch_sequences = 2000000000", "parallel.micro_batch_sequences", "from 1 to 100000000"},
    {Target::workload, "comm_sms = ", "comm_sms = 1000000", "parallel.comm_sms", "from 0 to 10000"},
    {Target::workload, "comm_sms_of = ", "comm_sms_of = 0", "parallel.comm_sms_of", "greater than zero"},
    {Target::workload, "zero_stage = ", "zero_stage = 4", "parallel.zero_stage", "from 0 to 3, found 4"},
    // Clusters: internal errors of the fabric and of the clock, and sizes beyond any cluster.
    {Target::cluster, "nodes = ", "nodes = 100000000", "nodes", "from 1 to 10000000"},
    {Target::cluster, "gpus_per_node = ", "gpus_per_node = 1000000", "gpus_per_node", "from 1 to 100000"},
    {Target::cluster, "nics_per_node = ", "nics_per_node = 8000", "nics_per_node", "from 1 to 1000, found 8000"},
    {Target::cluster, "nics_per_node = ", "nics_per_node = 0", "nics_per_node", "found 0"},
    {Target::cluster, "nic_bandwidth = ", "nic_bandwidth = \"1e300 Gb/s\"", "nic_bandwidth", "from \"1 Mb/s\" to \"1000 Tb/s\", found \"1e300 Gb/s\""},
    {Target::cluster, "nic_bandwidth = ", "nic_bandwidth = \"1e-300 Gb/s\"", "nic_bandwidth", "found \"1e-300 Gb/s\""},
    {Target::cluster, "nic_bandwidth = ", "nic_bandwidth = \"0 Gb/s\"", "nic_bandwidth", "found \"0 Gb/s\" (must be greater than zero)"},
    {Target::cluster, "nic_bandwidth = ", "nic_bandwidth = \"-400 Gb/s\"", "nic_bandwidth", "nic_bandwidth"},
    {Target::cluster, "nvlink_latency = ", "nvlink_latency = \"1e30 us\"", "nvlink_latency", "from \"1 ns\" to \"1 s\", found \"1e30 us\""},
    {Target::cluster, "nvlink_latency = ", "nvlink_latency = \"0 us\"", "nvlink_latency", "found \"0 us\" (must be greater than zero)"},
    {Target::cluster, "latency = ", "latency = \"1e30 us\"", "fabric.latency", "from \"1 ns\" to \"1 s\""},
    {Target::cluster, "latency = ", "latency = \"2 h\"", "fabric.latency", "found \"2 h\""},
    {Target::cluster, "tiers = ", "tiers = 6", "fabric.tiers", "from 1 to 3, found 6"},
    {Target::cluster, "tiers = ", "tiers = 0", "fabric.tiers", "expected a positive integer, found 0"},
    {Target::cluster, "switch_radix = ", "switch_radix = 10000000", "fabric.switch_radix", "from 2 to 100000"},
    {Target::cluster, "oversubscription = ", "oversubscription = 1e9", "fabric.oversubscription", "from 1 to 100, found 1e+09"},
    {Target::cluster, "oversubscription = ", "oversubscription = 0.5", "fabric.oversubscription", "from 1 to 100, found 0.5"},
    {Target::cluster, "planes = ", "planes = 100000", "fabric.planes", "from 1 to 1000"},
    // The GPU catalog the cluster names.
    {Target::gpus, "hbm = ", "hbm = \"1e30 GB\"", "hbm", "from \"1 MB\" to \"1 PB\""},
    {Target::gpus, "hbm_bandwidth = ", "hbm_bandwidth = \"1e-9 GB/s\"", "hbm_bandwidth", "from \"1 MB/s\""},
    {Target::gpus, "peak_bf16 = ", "peak_bf16 = \"1e30 TFLOP/s\"", "peak_bf16", "from \"1 GFLOP/s\""},
    {Target::gpus, "tdp = ", "tdp = \"1e12 W\"", "tdp", "from \"1 W\" to \"100 kW\""},
    {Target::gpus, "sms = ", "sms = 2147483647", "sms", "from 1 to 100000"},
    // The price list: a price of 1e300 dollars printed a 300-digit cost and exited 0.
    {Target::prices, "per_gpu_hour = \"2.00", "per_gpu_hour = \"1e300 USD/h\"", "per_gpu_hour", "from \"0.001 USD/h\" to \"1000 USD/h\""},
    {Target::prices, "per_gpu_hour = \"2.00", "per_gpu_hour = \"1e-300 USD/h\"", "per_gpu_hour", "from \"0.001 USD/h\""},
    {Target::prices, "per_gpu = ", "per_gpu = \"1e30 kUSD\"", "per_gpu", "to \"100 MUSD\""},
    {Target::prices, "per_kwh = ", "per_kwh = \"1e9 USD/kWh\"", "per_kwh", "to \"100 USD/kWh\""},
    {Target::prices, "lifetime = ", "lifetime = \"1e30 day\"", "lifetime", "to \"36525 day\""},
    // The datacenter assumptions: an MTBF of 1 ns ran 200,000 failures before giving up; a
    // restart of 1e30 h or a storage bandwidth of 1e-300 B/s overflowed the clock.
    {Target::datacenter, "mtbf_per_gpu = ", "mtbf_per_gpu = { value = \"1 ns\", source = \"x\" }", "mtbf_per_gpu.value", "from \"1 h\""},
    {Target::datacenter, "restart = ", "restart = { value = \"1e30 h\", source = \"x\" }", "restart.value", "to \"30 day\""},
    {Target::datacenter, "restart = ", "restart = { value = \"10 min\", low = \"0.001 s\", high = \"1 h\", source = \"x\" }", "restart.low", "from \"1 s\""},
    {Target::datacenter, "storage_write_bandwidth = ", "storage_write_bandwidth = { value = \"1e-300 B/s\", source = \"x\" }", "storage_write_bandwidth.value", "from \"1 MB/s\""},
    {Target::datacenter, "network_per_endpoint = ", "network_per_endpoint = { value = \"1e12 W\", source = \"x\" }", "network_per_endpoint.value", "to \"100 kW\""},
    // Efficiency: GEMM half-sizes and fixed latencies.
    {Target::efficiency, "m_half = ", "m_half = { value = 1e300, source = \"x\" }", "m_half.value", "from 0 to 1e+09"},
    {Target::efficiency, "kernel_launch = ", "kernel_launch = { value = \"1e9 s\", source = \"x\" }", "kernel_launch.value", "to \"1 s\""},
    // Claims and published figures.
    {Target::claim, "gpu_hours = ", "gpu_hours = 1e300", "gpu_hours", "to 1e+13"},
    {Target::claim, "per_gpu_hour = ", "per_gpu_hour = \"1e9 USD/h\"", "per_gpu_hour", "to \"1000 USD/h\""},
    {Target::published, "value = ", "value = 1e300", "value", "to 1e+13"},
};
// clang-format on

std::string path_of(Target t) {
    switch (t) {
    case Target::cluster: return std::string(kBuiltinCluster);
    case Target::workload: return std::string(kBuiltinWorkload);
    case Target::gpus: return "topologies/gpus.toml";
    case Target::prices: return std::string(kBuiltinPrices);
    case Target::datacenter: return "topologies/datacenter.toml";
    case Target::efficiency: return "topologies/efficiency/hopper.toml";
    case Target::claim: return "claims/deepseek-v3-cost.toml"; // has gpu_hours and a price
    case Target::published: return std::string(kBuiltinPublished);
    }
    return {};
}

} // namespace

TEST_CASE("every kind of hostile value is refused at its file, line and key with the key's range") {
    CHECK(kCases.size() >= 60);
    for (const HostileCase& c : kCases) {
        CAPTURE(c.line);
        const std::string path = path_of(c.target);
        EmbeddedFiles files = builtin_files();
        const std::string text = line_replaced(files.read(path), c.line_start, c.line);
        files.add(path, text);
        const auto started = std::chrono::steady_clock::now();
        const ConfigError e = config_error_from([&] {
            switch (c.target) {
            case Target::workload: (void)load_workload(files, path); break;
            case Target::cluster:
            case Target::gpus: (void)load_cluster(files, std::string(kBuiltinCluster)); break;
            case Target::prices: (void)load_prices(files, path, {}); break;
            case Target::datacenter: (void)load_datacenter(files, path); break;
            case Target::efficiency: (void)load_efficiency(files, path); break;
            case Target::claim: (void)load_claim(files, path); break;
            case Target::published: (void)load_published(files, path); break;
            }
        });
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        const std::string message = e.what();
        CAPTURE(message);
        CHECK(e.file() == path);
        CHECK(e.line() == line_of(text, c.line));
        CHECK(e.key().ends_with(c.key));
        CHECK(message.find(c.words) != std::string::npos);
        CHECK(seconds < 1.0); // refused before any work
    }
}

TEST_CASE("fuzz finding: a GPU catalog entry with an empty name is refused at its table, not an internal error") {
    // Found by fuzz_gpu_catalog (2026-12-05): [gpu.""] reached GpuCatalog::add's
    // std::invalid_argument ("a GPU in the catalog needs a name"), an exit 1.
    const config::DiskFiles files(TCSIM_SOURCE_DIR);
    try {
        (void)config::load_gpu_catalog(files, "tests/config/data/fuzz-gpu-catalog-empty-name.toml");
        FAIL("accepted a GPU without a name");
    } catch (const config::ConfigError& e) {
        CHECK(std::string(e.what()).find("a GPU needs a name") != std::string::npos);
        CHECK(e.line() == 20); // the [gpu.""] header (the first entry got its vendor key after the finding)
    }
}
