// libFuzzer target: an efficiency parameter file.
#include "fuzz/fuzz_input.hpp"
#include "config/load_efficiency.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace tcsim;
    return fuzz::load_fuzzed(data, size, "topologies/efficiency/fuzzed.toml", [](const config::ConfigFiles& files, const std::string& path) {
        return config::load_efficiency(files, path);
    });
}
