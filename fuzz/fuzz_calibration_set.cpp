// libFuzzer target: a calibration set.
#include "fuzz/fuzz_input.hpp"
#include "calibration/load_calibration_set.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace tcsim;
    return fuzz::load_fuzzed(data, size, "calibrations/fuzzed.toml", [](const config::ConfigFiles& files, const std::string& path) {
        return calibration::load_calibration_set(files, path);
    });
}
