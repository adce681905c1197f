// libFuzzer target: a cluster file (and the GPU catalog and efficiency files it names).
#include "fuzz/fuzz_input.hpp"
#include "config/load_cluster.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace tcsim;
    return fuzz::load_fuzzed(data, size, "topologies/fuzzed-cluster.toml", [](const config::ConfigFiles& files, const std::string& path) {
        return config::load_cluster(files, path);
    });
}
