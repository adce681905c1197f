// libFuzzer target: a workload file.
#include "fuzz/fuzz_input.hpp"
#include "config/load_workload.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace tcsim;
    return fuzz::load_fuzzed(data, size, "workloads/fuzzed-workload.toml", [](const config::ConfigFiles& files, const std::string& path) {
        return config::load_workload(files, path);
    });
}
