// libFuzzer target: datacenter assumptions.
#include "fuzz/fuzz_input.hpp"
#include "config/load_datacenter.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace tcsim;
    return fuzz::load_fuzzed(data, size, "topologies/fuzzed-datacenter.toml", [](const config::ConfigFiles& files, const std::string& path) {
        return config::load_datacenter(files, path);
    });
}
