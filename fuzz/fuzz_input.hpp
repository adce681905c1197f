// Shared by the libFuzzer targets: the fuzzer's bytes as one input file among the shipped files,
// and the one rule every target checks: a loader either returns or throws the error type that
// carries a located message for the user (config::ConfigError; workload::PlanError for a layout
// a claim resizes). Any other
// exception, a crash, a sanitizer report, a hang or a leak is a finding.
#pragma once

#include "config/builtin_files.hpp"
#include "config/config_error.hpp"
#include "config/config_files.hpp"
#include "workload/plan_check.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

namespace tcsim::fuzz {

/// The shipped files (disk, under the source tree), with the fuzzed text read at `path`.
class FuzzFiles : public config::ConfigFiles {
public:
    FuzzFiles(std::string path, std::string text) : path_(std::move(path)), text_(std::move(text)) {}
    [[nodiscard]] std::string read(const std::string& path) const override {
        return path == path_ ? text_ : disk_.read(path);
    }

private:
    std::string path_;
    std::string text_;
    config::DiskFiles disk_{TCSIM_SOURCE_DIR};
};

inline std::string text_of(const std::uint8_t* data, std::size_t size) {
    return std::string(reinterpret_cast<const char*>(data), size);
}

/// Runs `load(files, path)` on the fuzzed text as the file at `path`; ConfigError (and, where a
/// file resizes a layout, PlanError) is the expected refusal, anything else escapes to libFuzzer
/// as a finding.
template <class Load>
int load_fuzzed(const std::uint8_t* data, std::size_t size, const std::string& path, Load&& load) {
    const FuzzFiles files(path, text_of(data, size));
    try {
        (void)load(files, path);
    } catch (const config::ConfigError&) {
    } catch (const workload::PlanError&) {
    }
    return 0;
}

} // namespace tcsim::fuzz
