// libFuzzer target: a file of published figures.
#include "fuzz/fuzz_input.hpp"
#include "config/load_published.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace tcsim;
    return fuzz::load_fuzzed(data, size, "claims/published/fuzzed.toml", [](const config::ConfigFiles& files, const std::string& path) {
        return config::load_published(files, path);
    });
}
