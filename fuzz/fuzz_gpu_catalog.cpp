// libFuzzer target: the GPU catalog.
#include "fuzz/fuzz_input.hpp"
#include "config/load_gpu_catalog.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace tcsim;
    return fuzz::load_fuzzed(data, size, "topologies/fuzzed-gpus.toml", [](const config::ConfigFiles& files, const std::string& path) {
        return config::load_gpu_catalog(files, path);
    });
}
