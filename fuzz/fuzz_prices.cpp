// libFuzzer target: a price catalog.
#include "fuzz/fuzz_input.hpp"
#include "config/load_prices.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace tcsim;
    return fuzz::load_fuzzed(data, size, "topologies/fuzzed-prices.toml", [](const config::ConfigFiles& files, const std::string& path) {
        return config::load_prices(files, path);
    });
}
