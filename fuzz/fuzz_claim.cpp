// libFuzzer target: a claim file (and the cluster and workload it names).
#include "fuzz/fuzz_input.hpp"
#include "config/load_claim.hpp"
#include "run/resize.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace tcsim;
    return fuzz::load_fuzzed(data, size, "claims/fuzzed-claim.toml", [](const config::ConfigFiles& files, const std::string& path) {
        return config::load_claim(files, path, run::resize_to_gpus);
    });
}
