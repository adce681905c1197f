// libFuzzer target: a sweep file (sweep/load_sweep.hpp). Only the loader runs: the points' files
// are read when a sweep runs, not when it is loaded.
#include "fuzz/fuzz_input.hpp"
#include "sweep/load_sweep.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace tcsim;
    return fuzz::load_fuzzed(
        data, size, "sweeps/fuzzed-sweep.toml",
        [](const config::ConfigFiles& files, const std::string& path) { return sweep::load_sweep(files, path); });
}
